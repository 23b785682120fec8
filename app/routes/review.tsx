import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireGlobalPermission, userCan } from "../auth/guard.server";
import { AccreditationBadge } from "../components/AccreditationBadge";
import { useT } from "../i18n/use-t";
import { trainingBasesWithStatus } from "../services/organisations.server";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireGlobalPermission(context, request, "approve:claim");
  return {
    bases: trainingBasesWithStatus().map((b) => ({ id: b.id, name: b.name, status: b.status, number: b.record?.number ?? "", validTo: b.record?.validTo ?? "", canOpen: userCan(user, "view:base", { organisationId: b.id }) })),
  };
}

export default function Review() {
  const t = useT();
  const { bases } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("review.title")}</h1>
      <section className="card">
        <h2>{t("review.bases")}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("org.name")}</th>
                <th>{t("org.currentStatus")}</th>
                <th>{t("base.accreditationNumber")}</th>
                <th>{t("org.validTo")}</th>
              </tr>
            </thead>
            <tbody>
              {bases.map((b) => (
                <tr key={b.id}>
                  <td>{b.canOpen ? <a href={`/bases/${b.id}`}>{b.name}</a> : b.name}</td>
                  <td>
                    <AccreditationBadge status={b.status} />
                  </td>
                  <td>{b.number}</td>
                  <td>{b.validTo}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
