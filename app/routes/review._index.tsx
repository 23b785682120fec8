import type { TitledHandle } from "../route-handle";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { actorOf } from "../auth/current-user.server";
import { forbidden, requireUser, userCan } from "../auth/guard.server";
import { AccreditationBadge } from "../components/AccreditationBadge";
import { regions } from "../content/regions.server";
import { organisationsFor, reachOf, regionsFor } from "../domain/permissions";
import { regionLabel } from "../domain/regions";
import { useT } from "../i18n/use-t";
import { awardsIssuedBy, payingPoliciesIssuedBy } from "../services/jurisdictions.server";
import { trainingBasesWithStatus } from "../services/organisations.server";
import { claimList } from "../services/subsidy/claim-views.server";
import { formatFen } from "../domain/money";
import { pageFrom } from "../domain/paging";
import { Pager } from "../components/Pager";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "review.title" };

/** An authority's desk: claims under the policies it issued, and the training bases in its region. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const actor = actorOf(user);
  const authorities = organisationsFor(actor, "approve:claim");
  if (authorities.length === 0) throw forbidden();
  const policyCodes = payingPoliciesIssuedBy(authorities).map((p) => p.code);
  const reach = regionsFor(actor, "view:base");
  // Only the bases this desk can reach are read: a district's desk does not read the province.
  const allBases = trainingBasesWithStatus(reachOf(actor, ["view:base", "assess:base"]));
  const listed = policyCodes.length
    ? claimList({ policyCodes, status: ["submitted", "approved"] }, pageFrom(new URL(request.url).searchParams.get("page")))
    : null;
  return {
    claims: listed?.claims ?? [],
    claimPage: listed?.info ?? null,
    bases: allBases
      .filter((b) => userCan(user, "view:base", { organisationId: b.id, regionPath: b.regionPath }))
      .map((b) => ({
        id: b.id,
        name: b.name,
        region: regionLabel(regions(), b.regionCode),
        status: b.status,
        number: b.record?.number ?? "",
        validTo: b.record?.validTo ?? "",
        canDesignate: userCan(user, "designate:base", { organisationId: b.id, regionPath: b.regionPath }),
      })),
    regions: reach.map((code) => regionLabel(regions(), code)),
    canAssess: allBases.some((b) => userCan(user, "assess:base", { organisationId: b.id, regionPath: b.regionPath })),
    canAward: awardsIssuedBy(authorities).length > 0,
  };
}

export default function Review() {
  const t = useT();
  const { bases, claims, regions, claimPage, canAssess, canAward } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("review.title")}</h1>
      <section className="card">
        <div className="actions" style={{ justifyContent: "space-between" }}>
          <h2>{t("review.claims")}</h2>
          <Link to="/subsidy">{t("subsidy.dashboard")}</Link>
        </div>
        {claims.length === 0 ? <p className="muted">{t("review.noClaims")}</p> : null}
        <TableWrap>
          <table data-testid="review-claims">
            <tbody>
              {claims.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/subsidy/claims/${c.id}`}>{c.organisationName}</Link>
                    <div className="muted">{c.policyTitle}</div>
                  </td>
                  <td className="num">
                    {t(`claim.count.${c.kind}`, { n: c.subjects })} · {formatFen(c.totalFen)}
                    {c.flagged ? <div className="error-text">{t("claim.flaggedCount", { n: c.flagged })}</div> : null}
                  </td>
                  <td>{t(`claim.status.${c.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        {claimPage ? <Pager info={claimPage} /> : null}
      </section>
      <section className="card">
        <h2>
          {t("designation.bases")}
          {regions.length ? ` · ${regions.join("、")}` : ""}
        </h2>
        <p className="actions">
          {canAssess ? <Link to="/review/assessments">{t("assessment.board")} →</Link> : null}
          {canAward ? <Link to="/review/awards">{t("award.title")} →</Link> : null}
        </p>
        <TableWrap>
          <table>
            <thead>
              <tr>
                <th>{t("org.name")}</th>
                <th>{t("org.currentStatus")}</th>
                <th>{t("base.accreditationNumber")}</th>
                <th>{t("org.validTo")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {bases.map((b) => (
                <tr key={b.id}>
                  <td>
                    <a href={`/bases/${b.id}`}>{b.name}</a>
                    <div className="muted">{b.region}</div>
                  </td>
                  <td>
                    <AccreditationBadge status={b.status} />
                  </td>
                  <td>{b.number}</td>
                  <td>{b.validTo}</td>
                  <td>
                    {b.canDesignate ? (
                      <Link to={`/review/bases/${b.id}`} className="button secondary-button">
                        {t("designation.manage")}
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </>
  );
}
