import type { TitledHandle } from "../route-handle";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { userCan } from "../auth/guard.server";
import { ProgressBar } from "../components/ProgressBar";
import { ProgressChart } from "../components/ProgressChart";
import { formatFen } from "../domain/money";
import { amountPerHead, trained, unconfirmedAmounts } from "../domain/subsidy";
import { regionLabel, regionName } from "../domain/regions";
import { regions } from "../content/regions.server";
import { issuerName } from "../services/jurisdictions.server";
import { programmesRunBy } from "../services/cohorts.server";
import { useT } from "../i18n/use-t";
import { pageFrom } from "../domain/paging";
import { Pager } from "../components/Pager";
import { programByCode } from "../content/programs.server";
import { subsidyScope } from "../auth/subsidy-access.server";
import { awardPlaces, designationsUnder } from "../services/awards.server";
import { policyReachesOrganisation } from "../services/subsidy/claim-subjects.server";
import { hasPlaceholder } from "../domain/claim-policy";
import { getOrganisation, listOrganisations } from "../services/organisations.server";
import { today } from "../services/clock.server";
import { eligibilityFacts, lineTotals, policySeries, policyTally } from "../services/subsidy/eligibility.server";
import { claimList } from "../services/subsidy/claim-views.server";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "subsidy.dashboard" };

export async function loader({ context, request }: LoaderFunctionArgs) {
  const { user, organisationId, everyBase, policies, flatRate } = subsidyScope(context, request);
  const baseNames = new Map(listOrganisations("training_base").map((b) => [b.id, b.name]));
  const base = organisationId ? getOrganisation(organisationId) : null;
  // Read once, tallied under every policy.
  const facts = eligibilityFacts(organisationId);
  const lines = lineTotals(organisationId);
  // A policy's target is its issuer's region's, so a base sees the region's progress beside its own share.
  const region = organisationId ? { facts: eligibilityFacts(), lines: lineTotals() } : { facts, lines };
  const covered = new Set(policies.flatMap((p) => Object.keys(p.amounts)));
  const canClaim = !!organisationId && userCan(user, "create:claim", { organisationId });
  // Rules that pay once per designation, 双证 nurse or cohort: what they pay and where their claims stand.
  const flatRateCards = flatRate.map((p) => {
    const held = lines.filter((l) => l.policyCode === p.code);
    const figure = (state: string) =>
      held
        .filter((l) => l.state === state)
        .reduce((sum, l) => ({ n: sum.n + (l.count ?? 1), fen: sum.fen + l.amountFen }), { n: 0, fen: 0 });
    return {
      code: p.code,
      kind: p.kind,
      title: p.title,
      source: p.source,
      issuer: issuerName(p),
      amount: formatFen(p.fen),
      unconfirmed: hasPlaceholder(p),
      award:
        p.kind === "designation_award"
          ? { places: awardPlaces(p), holders: designationsUnder(p.code).map((d) => d.organisationName) }
          : null,
      figures: { open: figure("open"), approved: figure("approved"), paid: figure("paid") },
      canClaim: canClaim && policyReachesOrganisation(p, organisationId!),
    };
  });
  return {
    organisationId: organisationId ?? null,
    flatRateCards,
    baseName: base?.name ?? null,
    baseRegion: base ? regionLabel(regions(), base.regionCode) : null,
    everyBase,
    canClaim,
    currentMonth: today().slice(0, 7),
    // What the base trains that no policy here pays for, so "no subsidy" is said rather than left unsaid.
    uncovered:
      organisationId && !everyBase
        ? programmesRunBy(organisationId)
            .filter((p) => !covered.has(p.code))
            .map((p) => p.title)
        : [],
    policies: policies.map((policy) => {
      const t = policyTally(policy, organisationId, facts, lines);
      const perHead = Object.keys(policy.amounts).map((code) => amountPerHead(policy, code)!);
      const regionTotal = organisationId ? policyTally(policy, undefined, region.facts, region.lines).total : t.total;
      return {
        policy,
        issuer: issuerName(policy),
        regionTitle: regionName(regions(), policy.issuer.regionCode),
        unconfirmed: unconfirmedAmounts(policy).length > 0,
        amounts: Object.entries(policy.amounts).map(([code, items]) => ({ programme: programByCode(code)?.rules.title ?? code, items })),
        total: t.total,
        trained: trained(regionTotal),
        ownShare: organisationId ? trained(t.total) : null,
        targetFen: policy.target && perHead.length === 1 ? policy.target * perHead[0] : null,
        byBase: [...t.byBase.entries()]
          .map(([id, row]) => ({ id, name: baseNames.get(id) ?? id, ...row }))
          .sort((a, b) => a.name.localeCompare(b.name)),
        series: policySeries(policy, organisationId),
      };
    }),
    ...(() => {
      const page = pageFrom(new URL(request.url).searchParams.get("page"));
      const { claims, info } = everyBase
        ? claimList({ organisationId, policyCodes: [...policies, ...flatRate].map((p) => p.code) }, page)
        : claimList({ organisationId }, page);
      return { claims, claimPage: info };
    })(),
  };
}

function Figure({ label, heads, fen }: { label: string; heads: number; fen: number }) {
  const t = useT();
  return <FlatFigure label={label} count={t("subsidy.heads", { n: heads })} fen={fen} />;
}

/** A policy card's title, its citation quoted, and the way to claim under it for the organisation that may. */
function PolicyHeading({
  policy,
  claimFor,
}: {
  policy: { code: string; title: string; source: { title: string; section: string; quote: string } };
  claimFor: string | null;
}) {
  const t = useT();
  return (
    <>
      <div className="actions" style={{ justifyContent: "space-between" }}>
        <h2>{policy.title}</h2>
        {claimFor ? (
          <Link className="button" to={`/subsidy/claims/new?policy=${policy.code}&org=${claimFor}`}>
            {t("subsidy.newClaim")}
          </Link>
        ) : null}
      </div>
      <p className="muted">
        {t("subsidy.source")}：《{policy.source.title}》{policy.source.section}「{policy.source.quote}」
      </p>
    </>
  );
}

function FlatFigure({ label, count, fen }: { label: string; count: string; fen: number }) {
  return (
    <div>
      <span className="muted">{label}</span>
      <strong>{count}</strong>
      <span>{formatFen(fen)}</span>
    </div>
  );
}

export default function SubsidyDashboard() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1>
        {t("subsidy.dashboard")}
        {data.baseName ? ` · ${data.baseName}` : ""}
      </h1>
      {data.baseName && !data.baseRegion ? (
        <p className="form-error" role="alert" data-testid="base-without-region">
          {t("subsidy.baseWithoutRegion")}
        </p>
      ) : null}
      {data.policies.length === 0 && data.flatRateCards.length === 0 ? (
        <section className="card" data-testid="no-policy">
          <p>{data.everyBase ? t("subsidy.noPoliciesIssued") : t("subsidy.noPoliciesHere", { region: data.baseRegion ?? "" })}</p>
        </section>
      ) : null}
      {data.uncovered.length ? (
        <p className="muted" data-testid="uncovered-programmes">
          {t("subsidy.uncovered", { programmes: data.uncovered.join("、") })}
        </p>
      ) : null}
      {data.policies.map(({ policy, issuer, regionTitle, unconfirmed, amounts, total, trained, ownShare, targetFen, byBase, series }) => {
        const percent = policy.target ? Math.min(100, Math.floor((trained.heads * 100) / policy.target)) : 0;
        return (
          <section className="card" key={policy.code} data-testid={`policy-${policy.code}`}>
            <PolicyHeading policy={policy} claimFor={data.canClaim ? data.organisationId : null} />
            <p className="muted" data-testid="policy-issuer">
              {t("subsidy.issuer")}：{issuer}
            </p>
            <p className="muted" data-testid="policy-amounts">
              {t("subsidy.payee")}：{t(`subsidy.payee.${policy.payee}`)} · {t("subsidy.perHead")}：
              {amounts
                .map(
                  (a) =>
                    `${a.programme} ${a.items.map((i) => `${a.items.length > 1 ? t(`claim.item.${i.item}`) + " " : ""}${formatFen(i.fen)}`).join(" + ")}`,
                )
                .join("；")}{" "}
              · {t("subsidy.window")}：{policy.window.from} – {policy.window.to}
            </p>
            {unconfirmed ? (
              <p className="flag" data-testid="policy-unconfirmed">
                {t("subsidy.unconfirmed", { authority: issuer })}
              </p>
            ) : null}
            <p className="muted" data-testid="policy-conditions">
              {t("subsidy.conditions")}：{policy.conditions.map((c) => t(`subsidy.condition.${c}`)).join("；")}
            </p>
            {policy.target ? (
              <>
                <p data-testid="target-progress">
                  {t("subsidy.progress", {
                    region: regionTitle,
                    n: trained.heads,
                    target: policy.target,
                    amount: formatFen(trained.fen),
                    targetAmount: targetFen ? formatFen(targetFen) : "—",
                  })}
                </p>
                {ownShare ? (
                  <p className="muted" data-testid="own-share">
                    {t("subsidy.ownShare", { n: ownShare.heads, amount: formatFen(ownShare.fen) })}
                  </p>
                ) : null}
                <ProgressBar percent={percent} label={policy.title} />
              </>
            ) : (
              <p className="muted">{t("subsidy.noTarget")}</p>
            )}
            <div className="figures" data-testid="policy-figures">
              <Figure label={t("subsidy.eligible")} heads={total.eligibleHeads} fen={total.eligibleFen} />
              <Figure label={t("subsidy.claimed")} heads={total.claimedHeads} fen={total.claimedFen} />
              <Figure label={t("subsidy.approved")} heads={total.approvedHeads} fen={total.approvedFen} />
              <Figure label={t("subsidy.paid")} heads={total.paidHeads} fen={total.paidFen} />
            </div>
            <ProgressChart
              window={policy.window}
              actual={series.actual}
              projected={series.projected}
              target={ownShare ? null : policy.target}
              currentMonth={data.currentMonth}
            />
            {data.everyBase && byBase.length ? (
              <details open>
                <summary>{t("subsidy.byBase")}</summary>
                <TableWrap>
                  <table>
                    <thead>
                      <tr>
                        <th>{t("base.title")}</th>
                        <th className="num">{t("subsidy.eligible")}</th>
                        <th className="num">{t("subsidy.claimed")}</th>
                        <th className="num">{t("subsidy.approved")}</th>
                        <th className="num">{t("subsidy.paid")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {byBase.map((b) => (
                        <tr key={b.id}>
                          <td>
                            <Link to={`/subsidy?org=${b.id}`}>{b.name}</Link>
                          </td>
                          <td className="num">
                            {b.eligibleHeads} · {formatFen(b.eligibleFen)}
                          </td>
                          <td className="num">
                            {b.claimedHeads} · {formatFen(b.claimedFen)}
                          </td>
                          <td className="num">
                            {b.approvedHeads} · {formatFen(b.approvedFen)}
                          </td>
                          <td className="num">
                            {b.paidHeads} · {formatFen(b.paidFen)}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
              </details>
            ) : null}
          </section>
        );
      })}
      {data.flatRateCards.map((p) => (
        <section className="card" key={p.code} data-testid={p.award ? `award-${p.code}` : `policy-${p.code}`}>
          <PolicyHeading policy={p} claimFor={p.canClaim ? data.organisationId : null} />
          <p className="muted" data-testid="policy-issuer">
            {t("subsidy.issuer")}：{p.issuer} · {t(`subsidy.flatRate.${p.kind}`, { amount: p.amount })}
          </p>
          {p.unconfirmed ? (
            <p className="flag" data-testid="policy-unconfirmed">
              {t("subsidy.unconfirmed", { authority: p.issuer })}
            </p>
          ) : null}
          {p.award ? (
            <>
              <p data-testid="award-places">
                {t("award.places", { taken: p.award.places.taken, places: p.award.places.places, amount: p.amount })} ·{" "}
                {t("award.placesLeft", { n: p.award.places.left })}
              </p>
              {p.award.holders.length ? <p className="muted">{p.award.holders.join("、")}</p> : null}
            </>
          ) : null}
          <div className="figures" data-testid="policy-figures">
            <FlatFigure label={t("subsidy.claimed")} count={t(`claim.count.${p.kind}`, { n: p.figures.open.n })} fen={p.figures.open.fen} />
            <FlatFigure
              label={t("subsidy.approved")}
              count={t(`claim.count.${p.kind}`, { n: p.figures.approved.n })}
              fen={p.figures.approved.fen}
            />
            <FlatFigure label={t("subsidy.paid")} count={t(`claim.count.${p.kind}`, { n: p.figures.paid.n })} fen={p.figures.paid.fen} />
          </div>
        </section>
      ))}
      <section className="card">
        <h2>{t("subsidy.claims")}</h2>
        {data.claims.length === 0 ? <p className="muted">{t("subsidy.noClaims")}</p> : null}
        <TableWrap>
          <table data-testid="claim-list">
            <tbody>
              {data.claims.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/subsidy/claims/${c.id}`}>{c.policyTitle}</Link>
                    <div className="muted">{c.organisationName}</div>
                  </td>
                  <td>
                    {c.periodFrom} – {c.periodTo}
                  </td>
                  <td className="num">
                    {t(`claim.count.${c.kind}`, { n: c.subjects })} · {formatFen(c.totalFen)}
                  </td>
                  <td>{t(`claim.status.${c.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        <Pager info={data.claimPage} />
      </section>
    </>
  );
}
