import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { db } from "../../db/client.server";
import { organisations, type AuthorityKind } from "../../db/schema";
import { awardPolicies, payingPolicies, policies } from "../content/policies.server";
import { isFlatRate, type FlatRatePolicy, type PayingPolicy } from "../domain/claim-policy";
import type { AwardPolicy } from "../domain/award";
import { regions } from "../content/regions.server";
import { regionName, regionPath, regionWithin } from "../domain/regions";
import { policyReaches, type Policy } from "../domain/subsidy";
import { zhCN } from "../i18n/zh-CN";
import { whileRegisterUnchanged } from "./register-cache.server";

/** The organisation's region and every region containing it, innermost first (empty when it has none). */
export function organisationRegionPath(organisationId: string): string[] {
  const row = db().select({ regionCode: organisations.regionCode }).from(organisations).where(eq(organisations.id, organisationId)).get();
  return regionPath(regions(), row?.regionCode);
}

/** Training bases inside a region (at any depth), with their region codes. */
export function basesInRegion(regionCode: string) {
  return db()
    .select({ id: organisations.id, name: organisations.name, regionCode: organisations.regionCode })
    .from(organisations)
    .where(and(eq(organisations.kind, "training_base"), isNotNull(organisations.regionCode)))
    .all()
    .filter((b) => regionWithin(regions(), b.regionCode, regionCode));
}

/** The ids of the bases a policy reaches: those inside its issuer's region. */
export function policyReach(policy: Pick<Policy, "code" | "issuer">): Set<string> {
  return whileRegisterUnchanged(`reach:${policy.code}`, () => new Set(basesInRegion(policy.issuer.regionCode).map((b) => b.id)));
}

/** The authority organisation a policy names as its issuer, if it has been registered here. */
export function issuingAuthority(policy: Pick<Policy, "issuer">): { id: string; name: string } | null {
  return (
    db()
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(and(eq(organisations.kind, policy.issuer.authority), eq(organisations.regionCode, policy.issuer.regionCode)))
      .get() ?? null
  );
}

/** How the issuer is named to people: the registered authority's name, or "富阳区" + "人力资源和社会保障局". */
export function issuerName(policy: Pick<Policy, "issuer">): string {
  return issuingAuthority(policy)?.name ?? authorityTitle(policy.issuer.regionCode, policy.issuer.authority);
}

export function authorityTitle(regionCode: string, authority: AuthorityKind): string {
  return `${regionName(regions(), regionCode)}${zhCN[`orgKind.${authority}`]}`;
}

/** Policies that reach a base; a base with no region is reached by none. */
export function policiesForBase(baseId: string): Policy[] {
  return [...policies().values()].filter((p) => policyReach(p).has(baseId));
}

/** Of these policies (per-head or awards), those issued by any of these authority organisations. */
function issuedBy<P extends Pick<Policy, "issuer">>(all: Iterable<P>, authorityIds: string[]): P[] {
  if (authorityIds.length === 0) return [];
  const authorities = db()
    .select({ kind: organisations.kind, regionCode: organisations.regionCode })
    .from(organisations)
    .where(inArray(organisations.id, authorityIds))
    .all();
  return [...all].filter((p) => authorities.some((a) => a.kind === p.issuer.authority && a.regionCode === p.issuer.regionCode));
}

/** Per-head policies issued by any of these authority organisations. */
export function policiesIssuedBy(authorityIds: string[]): Policy[] {
  return issuedBy(policies().values(), authorityIds);
}

/** Award policies issued by any of these authority organisations. */
export function awardsIssuedBy(authorityIds: string[]): AwardPolicy[] {
  return issuedBy(awardPolicies().values(), authorityIds);
}

/** Policies of every kind (per head, awards, 双证, cohort grants) issued by any of these authority organisations: whose claims they decide. */
export function payingPoliciesIssuedBy(authorityIds: string[]): PayingPolicy[] {
  return issuedBy(payingPolicies().values(), authorityIds);
}

/**
 * Flat-rate policies (awards, 双证 incentives, cohort grants) an organisation's finance page shows:
 * awards whose issuer's region holds it (member institutions too), the others when they reach it as
 * a training base.
 */
export function flatRatePoliciesFor(organisationId: string): FlatRatePolicy[] {
  const path = organisationRegionPath(organisationId);
  return [...payingPolicies().values()]
    .filter(isFlatRate)
    .filter((p) => (p.kind === "designation_award" ? policyReaches(p, path) : policyReach(p).has(organisationId)));
}
