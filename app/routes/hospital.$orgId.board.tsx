import type { TitledHandle } from "../route-handle";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/guard.server";
import { boardWindow } from "../domain/rotation";
import { useT } from "../i18n/use-t";
import { getOrganisation } from "../services/organisations.server";
import { today } from "../services/clock.server";
import { boardFor } from "../services/rotations/placements.server";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "rotation.board" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "view:hospital", { organisationId: params.orgId });
  const url = new URL(request.url);
  // An impossible date (2026-13-45) shows this week with a message; the number of weeks is kept to 1–26.
  const fromParam = url.searchParams.get("from");
  const { from, to, weekCount, invalidFrom } = boardWindow(fromParam, url.searchParams.get("weeks"), today());
  const board = boardFor(params.orgId!, from, to);
  return {
    hospital: getOrganisation(params.orgId!)?.name ?? "",
    from,
    weekCount,
    invalidFrom: invalidFrom ? (fromParam ?? "").slice(0, 40) : null,
    ...board,
  };
}

export default function Board() {
  const t = useT();
  const { hospital, from, weekCount, invalidFrom, weeks, departments, rows } = useLoaderData<typeof loader>();
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
        <SubmitButton className="secondary">{t("common.show")}</SubmitButton>
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t("rotation.print")}
        </button>
      </Form>
      {invalidFrom !== null ? (
        <p className="error-text no-print" role="alert">
          {t("rotation.badFromDate", { value: invalidFrom })}
        </p>
      ) : null}
      <TableWrap className="board">
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
      </TableWrap>
    </>
  );
}
