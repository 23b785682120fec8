import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireGlobalPermission } from "../auth/guard.server";
import { useT } from "../i18n/use-t";
import { listAudit } from "../services/audit.server";
import { shanghaiDateTime } from "../domain/dates";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireGlobalPermission(context, request, "read:audit");
  const url = new URL(request.url);
  const q = url.searchParams.get("q") ?? "";
  const page = Math.max(0, Number(url.searchParams.get("page") ?? 0) || 0);
  return { q, page, entries: listAudit({ text: q || undefined, limit: 100, offset: page * 100 }) };
}

export default function Audit() {
  const t = useT();
  const { q, page, entries } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("audit.title")}</h1>
      <Form method="get" className="row card">
        <div className="field">
          <label htmlFor="q">{t("common.search")}</label>
          <input id="q" name="q" defaultValue={q} />
        </div>
        <button type="submit" className="secondary">
          {t("common.search")}
        </button>
      </Form>
      <div className="table-wrap card">
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
                <td>{e.action}</td>
                <td>
                  {e.entityType} <span className="muted">{e.entityId.slice(0, 8)}</span>
                </td>
                <td>
                  <code className="details">{e.details}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="actions">
        {page > 0 ? <a href={`?q=${encodeURIComponent(q)}&page=${page - 1}`}>←</a> : null}
        {entries.length === 100 ? <a href={`?q=${encodeURIComponent(q)}&page=${page + 1}`}>→</a> : null}
      </p>
    </>
  );
}
