/**
 * Subsidy policies are data (content/policies/*.yaml). Eligibility and the tally are pure
 * functions of a policy and plain facts about certificates and claims.
 */
import type { AuthorityKind, HeadItem } from "../../db/schema";
import type { AssessmentStanding } from "./base-assessment";

/** One thing a policy pays per head of a programme; each becomes its own claim line. */
export interface PolicyAmount {
  item: HeadItem;
  fen: number;
  /** False while the amount is a placeholder the issuing authority has not yet confirmed. */
  confirmed: boolean;
}

export interface Policy {
  kind: "per_head";
  code: string;
  title: string;
  titleEn: string;
  source: { title: string; document: string; section: string; quote: string };
  /** The authority whose rule and money this is: its kind and the region it governs. */
  issuer: { regionCode: string; authority: AuthorityKind };
  payee: "base" | "trainee";
  /** What is paid per eligible head, by programme code. */
  amounts: Record<string, PolicyAmount[]>;
  window: { from: string; to: string };
  target: number | null;
  hardCap: number | null;
  /** The conditions a certified head must also meet under this policy, beyond window and programme. */
  conditions: Condition[];
}

/**
 * Conditions a policy may set. A certificate in force and one subsidy per person, occupation and
 * level are the national rule and every policy carries them (the database enforces the latter);
 * the others are the policy's choice.
 */
export const CONDITIONS = [
  "certificate_in_force",
  "once_per_person_occupation_level",
  "base_accredited_on_completion",
  "id_number",
  "recognised_occupation",
  "latest_assessment_passed",
] as const;
export type Condition = (typeof CONDITIONS)[number];
export const REQUIRED_CONDITIONS: readonly Condition[] = ["certificate_in_force", "once_per_person_occupation_level"];

/** A policy reaches the bases inside its issuer's region, and no other. */
export function policyReaches(policy: Pick<Policy, "issuer">, baseRegionPath: readonly string[]): boolean {
  return baseRegionPath.includes(policy.issuer.regionCode);
}

/** What one head of a programme is worth under the policy: the sum of its items, or undefined if the programme is not covered. */
export function amountPerHead(policy: Pick<Policy, "amounts">, programCode: string): number | undefined {
  const items = policy.amounts[programCode];
  return items ? items.reduce((sum, a) => sum + a.fen, 0) : undefined;
}

/** Amounts still waiting for the issuing authority's confirmation, for the given programmes (all if omitted). */
export function unconfirmedAmounts(
  policy: Pick<Policy, "amounts">,
  programCodes?: readonly string[],
): { programCode: string; item: HeadItem }[] {
  return Object.entries(policy.amounts)
    .filter(([code]) => !programCodes || programCodes.includes(code))
    .flatMap(([programCode, items]) => items.filter((a) => !a.confirmed).map((a) => ({ programCode, item: a.item })));
}

/** What eligibility needs to know about one certificate. */
export interface CertificateFacts {
  certificateId: string;
  userId: string;
  organisationId: string;
  programCode: string;
  /** occupation + level of the programme: a person is subsidised once per pair. */
  occupationLevel: string;
  completionDate: string;
  hasIdNumber: boolean;
  revoked: boolean;
  superseded: boolean;
  baseAccreditedOnCompletion: boolean;
  /** How many identical certificates this stands for (the dashboard reads them grouped); 1 if absent. */
  count?: number;
}

export interface ClaimHistory {
  /** Certificates already on an open or approved claim line of this policy. */
  claimedUnderPolicy: Set<string>;
  /** pairKey()s of people already subsidised (on any open or approved line) under any policy, with the certificate. */
  subsidisedPairs: Map<string, string>;
}

export type IneligibleReason =
  | "baseNotAccredited"
  | "outsideWindow"
  | "programmeNotCovered"
  | "revoked"
  | "superseded"
  | "alreadyClaimed"
  | "alreadySubsidised"
  | "idNumberMissing"
  | "baseAssessmentFailed"
  | "baseAssessmentMissing";

/** Where each base stands with the health bureau's half-yearly assessment, as of the day of judging. */
export type BaseStanding = (organisationId: string) => AssessmentStanding;

/** A person is subsidised once per occupation and level, whichever certificate and policy paid it. */
export const pairKey = (c: Pick<CertificateFacts, "userId" | "occupationLevel">) => `${c.userId}|${c.occupationLevel}`;

export type Eligibility = { eligible: true; amountFen: number } | { eligible: false; reasons: IneligibleReason[] };

/**
 * Whether a head may be claimed under a policy. `standing` is needed only by policies that pay a
 * base whose latest assessment passed: without it, such a base counts as not assessed.
 */
export function eligibility(policy: Policy, c: CertificateFacts, history: ClaimHistory, standing?: BaseStanding): Eligibility {
  const reasons: IneligibleReason[] = [];
  const amount = amountPerHead(policy, c.programCode);
  if (amount === undefined) reasons.push("programmeNotCovered");
  if (c.completionDate < policy.window.from || c.completionDate > policy.window.to) reasons.push("outsideWindow");
  const requires = (condition: Condition) => policy.conditions.includes(condition);
  if (requires("base_accredited_on_completion") && !c.baseAccreditedOnCompletion) reasons.push("baseNotAccredited");
  if (requires("latest_assessment_passed")) {
    const s = standing?.(c.organisationId) ?? "missing";
    if (s !== "passed") reasons.push(s === "failed" ? "baseAssessmentFailed" : "baseAssessmentMissing");
  }
  if (c.revoked) reasons.push("revoked");
  if (c.superseded) reasons.push("superseded");
  if (requires("id_number") && !c.hasIdNumber) reasons.push("idNumberMissing");
  if (history.claimedUnderPolicy.has(c.certificateId)) reasons.push("alreadyClaimed");
  else if (history.subsidisedPairs.has(pairKey(c))) reasons.push("alreadySubsidised");
  return reasons.length ? { eligible: false, reasons } : { eligible: true, amountFen: amount! };
}

/** Where a new head falls against the target and the hard cap, given how many are already counted. */
export function targetPosition(policy: Pick<Policy, "target" | "hardCap">, alreadyCounted: number, index: number) {
  const ordinal = alreadyCounted + index + 1;
  return {
    ordinal,
    beyondTarget: policy.target !== null && ordinal > policy.target,
    beyondCap: policy.hardCap !== null && ordinal > policy.hardCap,
  };
}

/** A claim line still holds its subject (the claim counts it) until it is removed or rejected. */
export const holdsSubject = (line: { status: string }) => line.status === "included" || line.status === "approved";

export type LineState = "open" | "approved" | "paid";

export interface TallyLine {
  organisationId: string;
  /** The line's amount, or the sum of `count` lines read grouped. */
  amountFen: number;
  state: LineState;
  count?: number;
}

export interface TallyRow {
  eligibleHeads: number;
  eligibleFen: number;
  claimedHeads: number;
  claimedFen: number;
  approvedHeads: number;
  approvedFen: number;
  paidHeads: number;
  paidFen: number;
}

export const emptyTallyRow = (): TallyRow => ({
  eligibleHeads: 0,
  eligibleFen: 0,
  claimedHeads: 0,
  claimedFen: 0,
  approvedHeads: 0,
  approvedFen: 0,
  paidHeads: 0,
  paidFen: 0,
});

/**
 * Heads and amounts per base and in total: eligible (not yet claimed), claimed (on open claims),
 * approved and paid. Every total is the sum of its rows.
 */
export function tally(
  policy: Policy,
  certificates: CertificateFacts[],
  history: ClaimHistory,
  lines: TallyLine[],
  standing?: BaseStanding,
): { total: TallyRow; byBase: Map<string, TallyRow> } {
  const byBase = new Map<string, TallyRow>();
  const row = (orgId: string) => {
    let r = byBase.get(orgId);
    if (!r) byBase.set(orgId, (r = emptyTallyRow()));
    return r;
  };
  // A person with two certificates of one occupation and level is one head: the first counts.
  const counted = { claimedUnderPolicy: history.claimedUnderPolicy, subsidisedPairs: new Map(history.subsidisedPairs) };
  for (const c of certificates) {
    const e = eligibility(policy, c, counted, standing);
    if (e.eligible) {
      const r = row(c.organisationId);
      const n = c.count ?? 1;
      r.eligibleHeads += n;
      r.eligibleFen += n * e.amountFen;
      if (c.userId) counted.subsidisedPairs.set(pairKey(c), c.certificateId);
    }
  }
  for (const l of lines) {
    const r = row(l.organisationId);
    const n = l.count ?? 1;
    if (l.state === "open") {
      r.claimedHeads += n;
      r.claimedFen += l.amountFen;
    } else if (l.state === "approved") {
      r.approvedHeads += n;
      r.approvedFen += l.amountFen;
    } else {
      r.paidHeads += n;
      r.paidFen += l.amountFen;
    }
  }
  const total = emptyTallyRow();
  for (const r of byBase.values()) for (const k of Object.keys(total) as (keyof TallyRow)[]) total[k] += r[k];
  return { total, byBase };
}

/** Every head trained under a policy so far, claimed or not yet: what progress to the target counts. */
export function trained(row: TallyRow): { heads: number; fen: number } {
  return {
    heads: row.eligibleHeads + row.claimedHeads + row.approvedHeads + row.paidHeads,
    fen: row.eligibleFen + row.claimedFen + row.approvedFen + row.paidFen,
  };
}
