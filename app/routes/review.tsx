import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireGlobalPermission, userCan } from "../auth/guard.server";
import { AccreditationBadge } from "../components/AccreditationBadge";
import { useT } from "../i18n/use-t";
import { trainingBasesWithStatus } from "../services/organisations.server";
import { claimList } from "../services/subsidies.server";
import { formatFen } from "../domain/money";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireGlobalPermission(context, request, "approve:claim");
  return {
    claims: claimList({ status: ["submitted", "approved"] }),
    bases: trainingBasesWithStatus().map((b) => ({ id: b.id, name: b.name, status: b.status, number: b.record?.number ?? "", validTo: b.record?.validTo ?? "", canOpen: userCan(user, "view:base", { organisationId: b.id }) })),
  };
}

export default function Review() {
  const t = useT();
  const { bases, claims } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("review.title")}</h1>
      <section className="card">
        <div className="actions" style={{ justifyContent: "space-between" }}>
          <h2>{t("review.claims")}</h2>
          <Link to="/finance">{t("finance.dashboard")}</Link>
        </div>
        {claims.length === 0 ? <p className="muted">{t("review.noClaims")}</p> : null}
        <div className="table-wrap">
          <table data-testid="review-claims">
            <tbody>
              {claims.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/finance/claims/${c.id}`}>{c.organisationName}</Link>
                    <div className="muted">{c.policyTitle}</div>
                  </td>
                  <td className="num">
                    {t("finance.heads", { n: c.heads })} · {formatFen(c.totalFen)}
                    {c.flagged ? <div className="error-text">{t("claim.flaggedCount", { n: c.flagged })}</div> : null}
                  </td>
                  <td>{t(`claim.status.${c.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
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
