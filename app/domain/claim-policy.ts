import type { AuthorityKind, ClaimItem } from "../../db/schema";
import type { AwardPolicy } from "./award";
import { unconfirmedAmounts, type Policy } from "./subsidy";

/**
 * Every rule that pays money, whatever it pays for: per head (a certified trainee), per
 * organisation (a designation award), per person (the 双证 incentive), per cohort (the 人社 grant).
 * All are data in content/policies/ with a citation and an issuer, and all are claimed, decided and
 * paid through the one claim lifecycle; what differs is the subject of a line and its amount.
 */
export interface PolicyCommon {
  code: string;
  title: string;
  titleEn: string;
  source: { title: string; document: string; section: string; quote: string };
  issuer: { regionCode: string; authority: AuthorityKind };
  window: { from: string; to: string };
}

/**
 * 001 二(七)1: nurses in 医养结合 institutions holding both the nurse's practising certificate and a
 * caregiver certificate get an incentive from the civil-affairs bureau, once per person.
 */
export interface DualCertificatePolicy extends PolicyCommon {
  kind: "dual_certificate";
  fen: number;
  confirmed: boolean;
}

/** 001 二(七)1 "人社部门给予基地一定培训补助": a sum per cohort of the listed programmes a base has run. */
export interface CohortGrantPolicy extends PolicyCommon {
  kind: "cohort_grant";
  /** Programmes whose cohorts the grant pays for. */
  programmes: string[];
  /** A cohort counts once it has ended and at least this many of its trainees hold a certificate in force. */
  minimumCertified: number;
  fen: number;
  confirmed: boolean;
}

export type PayingPolicy = Policy | AwardPolicy | DualCertificatePolicy | CohortGrantPolicy;
/** A policy that pays one sum per designation, person or cohort rather than per head. */
export type FlatRatePolicy = Exclude<PayingPolicy, Policy>;
export const isFlatRate = (p: PayingPolicy): p is FlatRatePolicy => p.kind !== "per_head";
export type PolicyKind = PayingPolicy["kind"];
export const POLICY_KINDS: readonly PolicyKind[] = ["per_head", "designation_award", "dual_certificate", "cohort_grant"];

/** The item each line of a flat-rate policy pays. */
export const ITEM_OF_KIND = {
  designation_award: "award",
  dual_certificate: "dual_certificate",
  cohort_grant: "cohort_grant",
} as const satisfies Record<Exclude<PolicyKind, "per_head">, ClaimItem>;

/**
 * The items of a claim whose amount is still a placeholder the issuer has not confirmed: such a
 * claim may be drafted but not submitted. `programCodes` are those of the claim's heads.
 */
export function unconfirmedItems(policy: PayingPolicy, programCodes: readonly string[]): ClaimItem[] {
  if (policy.kind === "per_head") return [...new Set(unconfirmedAmounts(policy, programCodes).map((u) => u.item))];
  return policy.confirmed ? [] : [ITEM_OF_KIND[policy.kind]];
}

/** Whether any amount the policy pays is still a placeholder. */
export function hasPlaceholder(policy: PayingPolicy): boolean {
  return policy.kind === "per_head" ? unconfirmedAmounts(policy).length > 0 : !policy.confirmed;
}

export interface CohortGrantFacts {
  programCode: string;
  endDate: string;
  certifiedInForce: number;
}

export type CohortGrantReason = "programmeNotCovered" | "cohortNotEnded" | "outsideWindow" | "tooFewCertified";

/** Whether a cohort earns its base the grant, and if not, every reason why. */
export function cohortGrantEligibility(
  policy: CohortGrantPolicy,
  c: CohortGrantFacts,
  today: string,
): { eligible: boolean; reasons: CohortGrantReason[] } {
  const reasons: CohortGrantReason[] = [];
  if (!policy.programmes.includes(c.programCode)) reasons.push("programmeNotCovered");
  if (c.endDate >= today) reasons.push("cohortNotEnded");
  if (c.endDate < policy.window.from || c.endDate > policy.window.to) reasons.push("outsideWindow");
  if (c.certifiedInForce < policy.minimumCertified) reasons.push("tooFewCertified");
  return { eligible: reasons.length === 0, reasons };
}
