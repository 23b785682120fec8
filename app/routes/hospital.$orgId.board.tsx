import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/guard.server";
import { addDays, weekStart } from "../domain/dates";
import { useT } from "../i18n/use-t";
import { getOrganisation, today } from "../services/organisations.server";
import { boardFor } from "../services/rotations.server";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "view:hospital", { organisationId: params.orgId });
  const url = new URL(request.url);
  const fromParam = url.searchParams.get("from") ?? "";
  const from = weekStart(/^\d{4}-\d{2}-\d{2}$/.test(fromParam) ? fromParam : today());
  const weekCount = Math.min(26, Math.max(1, Number(url.searchParams.get("weeks")) || 8));
  const board = boardFor(params.orgId!, from, addDays(from, weekCount * 7 - 1));
  return { hospital: getOrganisation(params.orgId!)?.name ?? "", from, weekCount, ...board };
}

export default function Board() {
  const t = useT();
  const { hospital, from, weekCount, weeks, departments, rows } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>
        {hospital} · {t("rotation.board")}
      </h1>
      <Form method="get" className="row card no-print">
        <div className="field">
          <label htmlFor="from">{t("rotation.fromWeek")}</label>
          <input id="from" name="from" type="date" defaultValue={from} />
        </div>
        <div className="field">
          <label htmlFor="weeks">{t("rotation.weeks")}</label>
          <input id="weeks" name="weeks" inputMode="numeric" defaultValue={String(weekCount)} />
        </div>
        <button type="submit" className="secondary">
          {t("common.search")}
        </button>
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t("rotation.print")}
        </button>
      </Form>
      <div className="table-wrap board">
        <table data-testid="rotation-board">
          <thead>
            <tr>
              <th>{t("rotation.department")}</th>
              {weeks.map((w) => (
                <th key={w}>{w.slice(5)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {departments.map((d) => (
              <tr key={d.id}>
                <th scope="row">
                  {d.name}
                  <div className="muted">
                    {t("hospital.capacity")} {d.capacity}
                  </div>
                </th>
                {rows[d.id].map((cell) => (
                  <td key={cell.weekStart} className={cell.free === 0 ? "full" : undefined}>
                    {cell.occupants.map((name, i) => (
                      <div key={i}>{name}</div>
                    ))}
                    <div className="free">{t("rotation.free", { n: cell.free })}</div>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
