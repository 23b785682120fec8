import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guard.server";
import { Pager } from "../components/Pager";
import { shanghaiDateTime } from "../domain/dates";
import { pageFrom, pageInfo } from "../domain/paging";
import { safeRedirectPath } from "../domain/safe-redirect";
import { notificationText } from "../i18n/notification-text";
import { useT } from "../i18n/use-t";
import { inboxPage, markAllRead, openNotification } from "../services/notifications.server";

export const handle: TitledHandle = { title: "notify.inbox" };

const INBOX_PAGE_SIZE = 20;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const page = pageFrom(new URL(request.url).searchParams.get("page"), INBOX_PAGE_SIZE);
  const items = inboxPage(user.id, page);
  return { items: items.slice(0, page.size), info: pageInfo(page, items.length) };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = await request.formData();
  if (form.get("intent") === "all") {
    markAllRead(user.id, Number(form.get("upTo")) || 0);
    return redirect("/inbox");
  }
  // Only one's own notification opens; its link was written by the app, and is checked again all the same.
  const link = openNotification(user.id, Number(form.get("id")) || 0);
  return redirect(safeRedirectPath(link, "/inbox"));
}

export default function Inbox() {
  const t = useT();
  const { items, info } = useLoaderData<typeof loader>();
  const unread = items.some((n) => !n.readAt);
  return (
    <>
      <h1>{t("notify.inbox")}</h1>
      <section className="card">
        {items.length === 0 ? <p className="muted">{t("notify.empty")}</p> : null}
        {unread ? (
          <Form method="post" className="actions">
            <input type="hidden" name="intent" value="all" />
            <input type="hidden" name="upTo" value={items[0].id} />
            <SubmitButton>{t("notify.markAllRead")}</SubmitButton>
          </Form>
        ) : null}
        <ul className="inbox" data-testid="inbox">
          {items.map((n) => {
            const { title, body } = notificationText(t, n.kind, n.params);
            return (
              <li key={n.id} className={n.readAt ? "read" : "unread"}>
                <Form method="post">
                  <input type="hidden" name="id" value={n.id} />
                  <SubmitButton className="inbox-item">
                    <strong>
                      {n.readAt ? null : <span className="visually-hidden">{t("notify.unread")}：</span>}
                      {title}
                    </strong>
                    <span>{body}</span>
                    <time dateTime={n.createdAt} className="muted">
                      {shanghaiDateTime(n.createdAt)}
                    </time>
                  </SubmitButton>
                </Form>
              </li>
            );
          })}
        </ul>
        <Pager info={info} />
        <p>
          <Link to="/account#notifications">{t("notify.settings")}</Link>
        </p>
      </section>
    </>
  );
}
