import type { TitledHandle } from "../route-handle";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireGlobalPermission } from "../auth/guard.server";
import { AccreditationBadge } from "../components/AccreditationBadge";
import { statusOn } from "../domain/accreditation";
import { regionLabel } from "../domain/regions";
import { regions } from "../content/regions.server";
import { useT } from "../i18n/use-t";
import { accreditationHistories, listOrganisations } from "../services/organisations.server";
import { today } from "../services/clock.server";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "org.list" };

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireGlobalPermission(context, request, "manage:organisation");
  const date = today();
  const histories = accreditationHistories();
  const list = listOrganisations();
  return {
    // An alliance may span regions; every other organisation needs one before money can reach it.
    withoutRegion: list.filter((o) => o.kind !== "alliance" && !o.regionCode).length,
    organisations: list.map((o) => ({
      ...o,
      region: regionLabel(regions(), o.regionCode),
      status: o.kind === "training_base" ? statusOn(histories.get(o.id) ?? [], date) : null,
    })),
  };
}

export default function Organisations() {
  const t = useT();
  const { organisations, withoutRegion } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="actions" style={{ justifyContent: "space-between" }}>
        <h1>{t("org.list")}</h1>
        <Link to="new" className="button">
          {t("org.new")}
        </Link>
      </div>
      {withoutRegion ? (
        <p className="form-error" role="alert" data-testid="orgs-without-region">
          {t("org.withoutRegion", { n: withoutRegion })}
        </p>
      ) : null}
      <TableWrap className="card">
        <table>
          <thead>
            <tr>
              <th>{t("org.code")}</th>
              <th>{t("org.name")}</th>
              <th>{t("org.kind")}</th>
              <th>{t("org.region")}</th>
              <th>{t("org.status")}</th>
            </tr>
          </thead>
          <tbody>
            {organisations.map((o) => (
              <tr key={o.id}>
                <td>{o.code}</td>
                <td>
                  <Link to={o.id}>{o.name}</Link>
                  {o.active ? null : <span className="muted"> ({t("common.inactive")})</span>}
                </td>
                <td>{t(`orgKind.${o.kind}`)}</td>
                <td>{o.region || (o.kind === "alliance" ? "" : <span className="error-text">{t("common.none")}</span>)}</td>
                <td>{o.status ? <AccreditationBadge status={o.status} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}
