import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { getFormProps } from "@conform-to/react";
import * as z from "zod";
import { requireUser } from "../auth/guard.server";
import { Pager } from "../components/Pager";
import { shanghaiDateTime } from "../domain/dates";
import { pageFrom, pageInfo } from "../domain/paging";
import { safeRedirectPath } from "../domain/safe-redirect";
import { parseSubmission } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
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

/** A notification's number as the page sent it; anything else names none (0), and nothing opens. */
const notificationNumber = z
  .string()
  .default("")
  .transform((s) => Number(s) || 0);

/** "Mark all read" up to the newest notification the page showed, so one arriving meanwhile stays unread. */
const markAllSchema = z.object({ upTo: notificationNumber });
const openSchema = z.object({ id: notificationNumber });

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const formData = await request.formData();
  if (formData.get("intent") === "all") {
    const submission = parseSubmission(formData, markAllSchema);
    if (submission.status !== "success") return submission.reply();
    markAllRead(user.id, submission.value.upTo);
    return redirect("/inbox");
  }
  const submission = parseSubmission(formData, openSchema);
  if (submission.status !== "success") return submission.reply();
  // Only one's own notification opens; its link was written by the app, and is checked again all the same.
  const link = openNotification(user.id, submission.value.id);
  return redirect(safeRedirectPath(link, "/inbox"));
}

/** Opening a notification marks it read and goes where it points. */
function OpenNotification({ id, children }: { id: number; children: ReactNode }) {
  const [form] = useSchemaForm(openSchema, { id: `open-${id}` });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="id" value={id} />
      <SubmitButton className="inbox-item">{children}</SubmitButton>
    </Form>
  );
}

export default function Inbox() {
  const t = useT();
  const { items, info } = useLoaderData<typeof loader>();
  const unread = items.some((n) => !n.readAt);
  const [markAll] = useSchemaForm(markAllSchema, { id: "mark-all" });
  return (
    <>
      <h1>{t("notify.inbox")}</h1>
      <section className="card">
        {items.length === 0 ? <p className="muted">{t("notify.empty")}</p> : null}
        {unread ? (
          <Form method="post" className="actions" {...getFormProps(markAll)}>
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
                <OpenNotification id={n.id}>
                  <strong>
                    {n.readAt ? null : <span className="visually-hidden">{t("notify.unread")}：</span>}
                    {title}
                  </strong>
                  <span>{body}</span>
                  <time dateTime={n.createdAt} className="muted">
                    {shanghaiDateTime(n.createdAt)}
                  </time>
                </OpenNotification>
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
