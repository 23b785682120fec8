/**
 * Per-head subsidies: which certified heads each policy pays for, and the tally of what is eligible,
 * claimed, approved and paid. Claims themselves live in claims.server.ts.
 */
import { and, eq, sql } from "drizzle-orm";
import { db, prepared } from "../../../db/client.server";
import { certificates, claimLines, programVersions, type HeadItem } from "../../../db/schema";
import { policies, policyByCode } from "../../content/policies.server";
import { assessmentStandings } from "../base-assessments.server";
import {
  eligibility,
  emptyTallyRow,
  pairKey,
  tally,
  targetPosition,
  type CertificateFacts,
  type ClaimHistory,
  type IneligibleReason,
  type LineState,
  type Policy,
  type PolicyAmount,
  type TallyLine,
} from "../../domain/subsidy";
import type { ProgramRules } from "../../domain/program";
import { maskResidentId } from "../../domain/resident-id";
import { policyReach } from "../jurisdictions.server";
import { whileRegisterUnchanged } from "../register-cache.server";
import { accreditationChecker } from "../organisations.server";
import { today } from "../clock.server";

export { policies, policyByCode };

const rulesByVersion = new Map<string, ProgramRules>();
function occupationLevel(programCode: string, version: number): string {
  const key = `${programCode}@${version}`;
  let rules = rulesByVersion.get(key);
  if (!rules) {
    const row = db()
      .select({ rules: programVersions.rules })
      .from(programVersions)
      .where(and(eq(programVersions.programCode, programCode), eq(programVersions.version, version)))
      .get();
    rules = JSON.parse(row!.rules) as ProgramRules;
    rulesByVersion.set(key, rules);
  }
  return `${rules.occupation}|${rules.level}`;
}

export interface HeadRow extends CertificateFacts {
  holderName: string;
  idMasked: string | null;
  serial: string;
  programTitle: string;
  organisationName: string;
}

/** Every certificate (of one base, or all) as eligibility sees it, plus what a claim line shows. */
export function certificateHeads(organisationId?: string): HeadRow[] {
  const accreditedOn = accreditationChecker();
  const rows = db()
    .select({
      id: certificates.id,
      userId: certificates.userId,
      organisationId: certificates.organisationId,
      organisationName: certificates.organisationName,
      programCode: certificates.programCode,
      programVersion: certificates.programVersion,
      programTitle: certificates.programTitle,
      completionDate: certificates.completionDate,
      holderName: certificates.holderName,
      holderIdNumber: certificates.holderIdNumber,
      serial: certificates.serial,
      revokedAt: certificates.revokedAt,
      supersededById: certificates.supersededById,
    })
    .from(certificates)
    .where(organisationId ? eq(certificates.organisationId, organisationId) : undefined)
    .all();
  return rows.map((r) => ({
    certificateId: r.id,
    userId: r.userId,
    organisationId: r.organisationId,
    programCode: r.programCode,
    occupationLevel: occupationLevel(r.programCode, r.programVersion),
    completionDate: r.completionDate,
    hasIdNumber: !!r.holderIdNumber,
    revoked: !!r.revokedAt,
    superseded: !!r.supersededById,
    baseAccreditedOnCompletion: accreditedOn(r.organisationId, r.completionDate),
    holderName: r.holderName,
    idMasked: r.holderIdNumber ? maskResidentId(r.holderIdNumber) : null,
    serial: r.serial,
    programTitle: r.programTitle,
    organisationName: r.organisationName,
  }));
}

const HOLDING = "('included', 'approved')";

export interface RegisterFacts {
  heads: CertificateFacts[];
  /** What claims already hold, for the holders read one by one. */
  history: ClaimHistory;
}

/**
 * The facts eligibility needs for every certificate, read for the district-wide dashboard.
 * A certificate already on a claim line is never eligible again (the person is subsidised for
 * that occupation and level), so it is not read. Of the rest, most belong to people with one
 * certificate and no claim line; those are read grouped (base, programme, version, completion
 * date), since every member of a group is judged alike. The few whose holder has another
 * certificate or a claim line are read one by one, oldest first and district-wide (their first
 * certificate counts, wherever it was earned), with what claims hold for them.
 */
export function eligibilityFacts(organisationId?: string): RegisterFacts {
  return whileRegisterUnchanged(`facts:${organisationId ?? "*"}`, () => readEligibilityFacts(organisationId));
}

function readEligibilityFacts(organisationId?: string): RegisterFacts {
  const accreditedOn = accreditationChecker();
  const sqlite = db().$client;
  const where = organisationId ? "and c.organisation_id = ?" : "";
  const args = organisationId ? [organisationId] : [];
  // Revoked or superseded certificates are never eligible, so they are not read.
  const live = "c.revoked_at is null and c.superseded_by_id is null";
  // Two small sets of people are read one by one: those with more than one certificate in force,
  // and those whose claimed certificate is no longer in force (so the one they hold now may be
  // another). Everyone else is judged by group; a certificate a claim line holds (claim_holds,
  // kept by triggers) is never eligible again, so it is not counted at all.
  const several = sqlite
    .prepare(`select c.user_id from certificates c where ${live} group by c.user_id having count(*) > 1`)
    .pluck()
    .all() as string[];
  const moved = sqlite
    .prepare(
      `select distinct c.user_id from certificates c indexed by certificates_tally_idx
       where c.claim_holds > 0 and (c.revoked_at is not null or c.superseded_by_id is not null)`,
    )
    .pluck()
    .all() as string[];
  const special = JSON.stringify([...new Set([...several, ...moved])]);
  const grouped = sqlite
    .prepare(
      `select c.organisation_id, c.program_code, c.program_version, c.completion_date, c.holder_id_number is not null, count(*)
       from certificates c
       where ${live} and c.claim_holds = 0 and c.user_id not in (select value from json_each(?)) ${where}
       group by 1, 2, 3, 4, 5`,
    )
    .raw()
    .all(special, ...args) as [string, string, number, string, number, number][];
  const single = sqlite
    .prepare(
      `select c.id, c.user_id, c.organisation_id, c.program_code, c.program_version, c.completion_date, c.holder_id_number is not null
       from certificates c
       where c.user_id in (select value from json_each(?)) and ${live} and c.claim_holds = 0
       order by c.completion_date, c.id`,
    )
    .raw()
    .all(special) as [string, string, string, string, number, string, number][];
  const heads: CertificateFacts[] = grouped.map(([orgId, programCode, version, completionDate, hasId, count]) => ({
    certificateId: "",
    userId: "",
    organisationId: orgId,
    programCode,
    occupationLevel: occupationLevel(programCode, version),
    completionDate,
    hasIdNumber: hasId === 1,
    revoked: false,
    superseded: false,
    baseAccreditedOnCompletion: accreditedOn(orgId, completionDate),
    count,
  }));
  for (const [certificateId, userId, orgId, programCode, version, completionDate, hasId] of single) {
    heads.push({
      certificateId,
      userId,
      organisationId: orgId,
      programCode,
      occupationLevel: occupationLevel(programCode, version),
      completionDate,
      hasIdNumber: hasId === 1,
      revoked: false,
      superseded: false,
      baseAccreditedOnCompletion: accreditedOn(orgId, completionDate),
    });
  }
  const holders = [...new Set(single.map((r) => r[1]))];
  const pairs = holders.length
    ? (sqlite
        .prepare(
          `select user_id, occupation_level, certificate_id from claim_lines where status in ${HOLDING} and certificate_id is not null and user_id in (select value from json_each(?))`,
        )
        .raw()
        .all(JSON.stringify(holders)) as [string, string, string][])
    : [];
  return {
    heads,
    // Their own certificates on claim lines were not read, so only the pairs matter.
    history: {
      claimedUnderPolicy: new Set(),
      subsidisedPairs: new Map(pairs.map(([userId, level, certificateId]) => [pairKey({ userId, occupationLevel: level }), certificateId])),
    },
  };
}

export interface LineTotal extends TallyLine {
  policyCode: string;
}

/** Claim lines that hold a subject (a head, designation, person or cohort), counted and summed in the database per organisation, policy and state. */
export function lineTotals(organisationId?: string): LineTotal[] {
  return whileRegisterUnchanged(`lines:${organisationId ?? "*"}`, () => readLineTotals(organisationId));
}

function readLineTotals(organisationId?: string): LineTotal[] {
  const rows = db()
    .$client.prepare(
      // Summed per claim first (a covering index, in order), so each claim is looked up once. A head
      // may have several lines (training and appraisal): heads are counted once per claim and state.
      `select k.organisation_id, l.policy_code,
         case when k.status = 'paid' then 'paid' when l.status = 'approved' then 'approved' else 'open' end,
         sum(l.n), sum(l.fen)
       from (select claim_id, status, policy_code, count(distinct coalesce(certificate_id, award_designation_id, qualification_id, cohort_id)) as n, sum(amount_fen) as fen from claim_lines
             where status in ${HOLDING} group by claim_id, status, policy_code) l
       join claims k on k.id = l.claim_id
       where 1 ${organisationId ? "and k.organisation_id = ?" : ""}
       group by 1, 2, 3`,
    )
    .raw()
    .all(...(organisationId ? [organisationId] : [])) as [string, string, LineState, number, number][];
  return rows.map(([orgId, policyCode, state, count, amountFen]) => ({ organisationId: orgId, policyCode, state, count, amountFen }));
}

/**
 * Lines that hold a head (included in a draft or submitted claim, or approved) of the people
 * certified at one base, wherever the lines were claimed: all eligibility needs to judge that
 * base's heads, whatever the size of the province's history.
 */
export function activeLinesOfBase(organisationId: string) {
  return db()
    .select({
      policyCode: claimLines.policyCode,
      certificateId: claimLines.certificateId,
      userId: claimLines.userId,
      occupationLevel: claimLines.occupationLevel,
      item: claimLines.item,
    })
    .from(claimLines)
    .where(
      // The status written out, so the plan can use the partial index of holding lines by person.
      sql`${claimLines.status} in ${sql.raw(HOLDING)} and ${claimLines.userId} in (select user_id from certificates where organisation_id = ${organisationId}) and ${claimLines.certificateId} is not null`,
    )
    .all() as { policyCode: string; certificateId: string; userId: string; occupationLevel: string; item: HeadItem }[];
}

/** How many heads lines hold under a policy, province-wide: where the next head falls against its target and cap. */
function headsHeldUnder(policyCode: string): number {
  return prepared(`select count(distinct certificate_id) from claim_lines where policy_code = ? and status in ${HOLDING}`)
    .pluck()
    .get(policyCode) as number;
}

export function claimHistory(policyCode: string, lines: ReturnType<typeof activeLinesOfBase>): ClaimHistory {
  return {
    claimedUnderPolicy: new Set(lines.filter((l) => l.policyCode === policyCode).map((l) => l.certificateId)),
    subsidisedPairs: new Map(lines.map((l) => [pairKey(l), l.certificateId])),
  };
}

/**
 * The dashboard's figures for one policy, over the bases it reaches (its issuer's region): heads
 * of other bases never count toward it. Pass `facts` and `lines` when tallying several policies
 * over the same register.
 */
export function policyTally(
  policy: Policy,
  organisationId?: string,
  facts = eligibilityFacts(organisationId),
  lines = lineTotals(organisationId),
) {
  const reach = policyReach(policy);
  const result = tally(
    policy,
    facts.heads.filter((h) => reach.has(h.organisationId)),
    facts.history,
    lines.filter((l) => l.policyCode === policy.code),
    assessmentStandings(),
  );
  if (!organisationId) return result;
  // People with several certificates are judged district-wide (their first certificate counts,
  // wherever it was earned); a base sees only its own row of that judgement.
  const own = result.byBase.get(organisationId) ?? emptyTallyRow();
  return { total: own, byBase: new Map([[organisationId, own]]) };
}

/** Heads per month of completion, and heads expected from cohorts still running, for the chart. */
export function policySeries(policy: Policy, organisationId?: string) {
  return whileRegisterUnchanged(`series:${policy.code}:${organisationId ?? "*"}:${today()}`, () =>
    readPolicySeries(policy, organisationId),
  );
}

function readPolicySeries(policy: Policy, organisationId?: string) {
  // Counted in the database, month by month, over the bases the policy reaches (or the one asked for).
  const programs = JSON.stringify(Object.keys(policy.amounts));
  const bases = JSON.stringify(organisationId ? [organisationId].filter((id) => policyReach(policy).has(id)) : [...policyReach(policy)]);
  const actual = db()
    .$client.prepare(
      `select substr(c.completion_date, 1, 7), count(*) from certificates c indexed by certificates_tally_idx
       where c.organisation_id in (select value from json_each(?)) and c.program_code in (select value from json_each(?))
         and c.revoked_at is null and c.superseded_by_id is null and c.completion_date between ? and ?
       group by 1 order by 1`,
    )
    .raw()
    .all(bases, programs, policy.window.from, policy.window.to) as [string, number][];
  const projected = db()
    .$client.prepare(
      `select substr(k.end_date, 1, 7), count(*) from enrolments e
       join cohorts k on k.id = e.cohort_id join program_versions v on v.id = e.program_version_id
       where k.organisation_id in (select value from json_each(?)) and e.status = 'in_progress'
         and v.program_code in (select value from json_each(?)) and k.end_date between ? and ?
       group by 1 order by 1`,
    )
    .raw()
    .all(bases, programs, today(), policy.window.to) as [string, number][];
  return { actual, projected };
}

export interface ClaimableHead extends HeadRow {
  amountFen: number;
  /** What the amount is made of: one claim line each. */
  items: PolicyAmount[];
  beyondTarget: boolean;
  beyondCap: boolean;
}

/**
 * Eligible, unclaimed heads of a base completed in the period, in completion order, with target
 * flags. A base the policy does not reach has none.
 */
export function claimableHeads(policy: Policy, organisationId: string, period: { from: string; to: string }) {
  const eligible: ClaimableHead[] = [];
  const ineligible: (HeadRow & { reasons: IneligibleReason[] })[] = [];
  if (!policyReach(policy).has(organisationId)) return { eligible, ineligible };
  const history = claimHistory(policy.code, activeLinesOfBase(organisationId));
  const counted = headsHeldUnder(policy.code);
  const standing = assessmentStandings();
  const heads = certificateHeads(organisationId)
    .filter((h) => h.completionDate >= period.from && h.completionDate <= period.to && h.programCode in policy.amounts)
    .sort((a, b) => a.completionDate.localeCompare(b.completionDate) || a.serial.localeCompare(b.serial));
  for (const h of heads) {
    const e = eligibility(policy, h, history, standing);
    if (e.eligible) {
      const pos = targetPosition(policy, counted, eligible.length);
      eligible.push({
        ...h,
        amountFen: e.amountFen,
        items: policy.amounts[h.programCode],
        beyondTarget: pos.beyondTarget,
        beyondCap: pos.beyondCap,
      });
      // The same person's next certificate of this occupation and level is not a second head.
      history.subsidisedPairs.set(pairKey(h), h.certificateId);
    } else if (!e.reasons.includes("alreadyClaimed")) {
      ineligible.push({ ...h, reasons: e.reasons });
    }
  }
  return { eligible, ineligible };
}
