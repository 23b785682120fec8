import type { TitledHandle } from "../route-handle";
import { auditActionText, auditDetailPairs, auditEntityText } from "../i18n/audit-text";
import { SubmitButton } from "../components/SubmitButton";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireGlobalPermission } from "../auth/guard.server";
import { useT } from "../i18n/use-t";
import { listAudit } from "../services/audit.server";
import { auditSearch, RECENT_ENTRIES_FOR_SHORT_SEARCH } from "../domain/audit-search";
import { pageFrom, pageInfo } from "../domain/paging";
import { Pager } from "../components/Pager";
import { shanghaiDateTime } from "../domain/dates";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "audit.title" };

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireGlobalPermission(context, request, "read:audit");
  const url = new URL(request.url);
  const q = url.searchParams.get("q") ?? "";
  const page = pageFrom(url.searchParams.get("page"));
  const found = listAudit({ text: q || undefined, limit: page.limit + 1, offset: page.offset });
  return { q, short: auditSearch(q).kind === "short", entries: found.slice(0, page.limit), info: pageInfo(page, found.length) };
}

export default function Audit() {
  const t = useT();
  const { q, short, entries, info } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("audit.title")}</h1>
      <Form method="get" className="row card">
        <div className="field">
          <label htmlFor="q">{t("common.search")}</label>
          <input id="q" name="q" defaultValue={q} />
        </div>
        <SubmitButton className="secondary">{t("common.search")}</SubmitButton>
      </Form>
      {short ? (
        <p className="muted" data-testid="short-search">
          {t("audit.shortSearch", { n: RECENT_ENTRIES_FOR_SHORT_SEARCH })}
        </p>
      ) : null}
      <TableWrap className="card">
        <table data-testid="audit-log">
          <thead>
            <tr>
              <th>{t("audit.at")}</th>
              <th>{t("audit.actor")}</th>
              <th>{t("audit.action")}</th>
              <th>{t("audit.entity")}</th>
              <th>{t("audit.details")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{shanghaiDateTime(e.at)}</td>
                <td>{e.actorName ?? t("audit.system")}</td>
                <td data-action={e.action}>{auditActionText(t, e.action)}</td>
                <td>
                  {auditEntityText(t, e.entityType)} <span className="muted">{e.entityId.slice(0, 8)}</span>
                </td>
                <td>
                  <dl className="audit-details">
                    {auditDetailPairs(t, e.details).map((d, i) => (
                      <div key={i}>
                        {d.label ? <dt>{d.label}</dt> : null}
                        <dd>{d.value}</dd>
                      </div>
                    ))}
                  </dl>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <Pager info={info} />
    </>
  );
}
