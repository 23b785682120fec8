import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireGlobalPermission } from "../auth/guard.server";
import { AccreditationBadge } from "../components/AccreditationBadge";
import { statusOn } from "../domain/accreditation";
import { useT } from "../i18n/use-t";
import { accreditationHistories, listOrganisations, today } from "../services/organisations.server";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireGlobalPermission(context, request, "manage:organisation");
  const date = today();
  const histories = accreditationHistories();
  return {
    organisations: listOrganisations().map((o) => ({
      ...o,
      status: o.kind === "training_base" ? statusOn(histories.get(o.id) ?? [], date) : null,
    })),
  };
}

export default function Organisations() {
  const t = useT();
  const { organisations } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="actions" style={{ justifyContent: "space-between" }}>
        <h1>{t("org.list")}</h1>
        <Link to="new" className="button">
          {t("org.new")}
        </Link>
      </div>
      <div className="table-wrap card">
        <table>
          <thead>
            <tr>
              <th>{t("org.code")}</th>
              <th>{t("org.name")}</th>
              <th>{t("org.kind")}</th>
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
                <td>{o.status ? <AccreditationBadge status={o.status} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
