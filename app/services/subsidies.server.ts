import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { db, prepared, type Transaction } from "../../db/client.server";
import { auditLog, certificates, claimLines, claims, organisations, programVersions, users, type ClaimStatus } from "../../db/schema";
import { policies, policyByCode } from "../content/policies.server";
import { assessmentStandings } from "./base-assessments.server";
import { eligibility, emptyTallyRow, pairKey, tally, targetPosition, unconfirmedAmounts, type CertificateFacts, type ClaimHistory, type IneligibleReason, type LineState, type Policy, type PolicyAmount, type TallyLine } from "../domain/subsidy";
import type { ProgramRules } from "../domain/program";
import { shanghaiDate } from "../domain/dates";
import { maskResidentId } from "../domain/resident-id";
import type { MessageKey } from "../i18n/messages";
import { isoDate } from "../validation/form";
import { pageFrom, pageInfo, type Page } from "../domain/paging";
import { zhCN } from "../i18n/zh-CN";
import { recordAudit } from "./audit.server";
import { issuerName, policyReach } from "./jurisdictions.server";
import { whileRegisterUnchanged } from "./register-cache.server";
import { accreditationChecker, today } from "./organisations.server";

export { policies, policyByCode };

const rulesByVersion = new Map<string, ProgramRules>();
function occupationLevel(programCode: string, version: number): string {
  const key = `${programCode}@${version}`;
  let rules = rulesByVersion.get(key);
  if (!rules) {
    const row = db().select({ rules: programVersions.rules }).from(programVersions).where(and(eq(programVersions.programCode, programCode), eq(programVersions.version, version))).get();
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
  const several = sqlite.prepare(`select c.user_id from certificates c where ${live} group by c.user_id having count(*) > 1`).pluck().all() as string[];
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
        .prepare(`select user_id, occupation_level, certificate_id from claim_lines where status in ${HOLDING} and user_id in (select value from json_each(?))`)
        .raw()
        .all(JSON.stringify(holders)) as [string, string, string][])
    : [];
  return {
    heads,
    // Their own certificates on claim lines were not read, so only the pairs matter.
    history: { claimedUnderPolicy: new Set(), subsidisedPairs: new Map(pairs.map(([userId, level, certificateId]) => [pairKey({ userId, occupationLevel: level }), certificateId])) },
  };
}

export interface LineTotal extends TallyLine {
  policyCode: string;
}

/** Claim lines that hold a head, counted and summed in the database per base, policy and state. */
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
       from (select claim_id, status, policy_code, count(distinct certificate_id) as n, sum(amount_fen) as fen from claim_lines
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
    .select({ policyCode: claimLines.policyCode, certificateId: claimLines.certificateId, userId: claimLines.userId, occupationLevel: claimLines.occupationLevel, item: claimLines.item })
    .from(claimLines)
    .where(
      // The status written out, so the plan can use the partial index of holding lines by person.
      sql`${claimLines.status} in ${sql.raw(HOLDING)} and ${claimLines.userId} in (select user_id from certificates where organisation_id = ${organisationId})`,
    )
    .all();
}

/** How many heads lines hold under a policy, province-wide: where the next head falls against its target and cap. */
function headsHeldUnder(policyCode: string): number {
  return prepared(`select count(distinct certificate_id) from claim_lines where policy_code = ? and status in ${HOLDING}`).pluck().get(policyCode) as number;
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
export function policyTally(policy: Policy, organisationId?: string, facts = eligibilityFacts(organisationId), lines = lineTotals(organisationId)) {
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
  return whileRegisterUnchanged(`series:${policy.code}:${organisationId ?? "*"}:${today()}`, () => readPolicySeries(policy, organisationId));
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
      eligible.push({ ...h, amountFen: e.amountFen, items: policy.amounts[h.programCode], beyondTarget: pos.beyondTarget, beyondCap: pos.beyondCap });
      // The same person's next certificate of this occupation and level is not a second head.
      history.subsidisedPairs.set(pairKey(h), h.certificateId);
    } else if (!e.reasons.includes("alreadyClaimed")) {
      ineligible.push({ ...h, reasons: e.reasons });
    }
  }
  return { eligible, ineligible };
}

export type ClaimError = { ok: false; reason: MessageKey; names?: string };

/**
 * Creates a draft claim for the heads finance saw in the preview. The heads are judged again and
 * written in one immediate transaction, so a claim from another request or process either went
 * first (and its heads are named as taken) or waits; the database's unique indexes are the last
 * word if anything slips past.
 */
export function createClaim(
  actorUserId: string,
  policyCode: string,
  organisationId: string,
  period: { from: string; to: string },
  certificateIds: string[],
): { ok: true; id: string } | ClaimError {
  const policy = policyByCode(policyCode);
  // A base sees only the policies that reach it.
  if (!policy || !policyReach(policy).has(organisationId)) throw new Response("Not Found", { status: 404 });
  // A head ticked twice (a resent form) is one head.
  certificateIds = [...new Set(certificateIds)];
  if (certificateIds.length === 0) return { ok: false, reason: "claim.noHeads" };
  const id = randomUUID();
  const taken = () => {
    const { eligible } = claimableHeads(policy, organisationId, period);
    const names = certificateHeads(organisationId)
      .filter((h) => certificateIds.includes(h.certificateId) && !eligible.some((e) => e.certificateId === h.certificateId))
      .map((h) => h.holderName);
    return { ok: false as const, reason: "claim.headTaken" as const, names: names.join("、") };
  };
  try {
    return db().transaction(
      (tx) => {
        const { eligible } = claimableHeads(policy, organisationId, period);
        const chosen = certificateIds.map((cid) => eligible.find((h) => h.certificateId === cid));
        if (chosen.some((h) => !h)) return taken();
        const capped = chosen.filter((h) => h!.beyondCap);
        if (capped.length) return { ok: false as const, reason: "claim.beyondCap" as const, names: capped.map((h) => h!.holderName).join("、") };
        tx.insert(claims).values({ id, policyCode, organisationId, periodFrom: period.from, periodTo: period.to, createdBy: actorUserId }).run();
        for (const h of chosen) {
          for (const a of h!.items) {
            tx.insert(claimLines)
              .values({ claimId: id, policyCode, certificateId: h!.certificateId, userId: h!.userId, occupationLevel: h!.occupationLevel, item: a.item, amountFen: a.fen, beyondTarget: h!.beyondTarget })
              .run();
          }
        }
        recordAudit(tx, { actorUserId, action: "claim.create", entityType: "claim", entityId: id, organisationId, details: { policyCode, period, heads: certificateIds.length } });
        return { ok: true as const, id };
      },
      { behavior: "immediate" },
    );
  } catch (e) {
    if (e instanceof Error && e.message.includes("UNIQUE constraint failed: claim_lines")) return taken();
    throw e;
  }
}

function claimRow(claimId: string, tx: Transaction | ReturnType<typeof db> = db()) {
  const c = tx.select().from(claims).where(eq(claims.id, claimId)).get();
  if (!c) throw new Response("Not Found", { status: 404 });
  return c;
}

/** A claim and the policy it is made under, for deciding who may see it. */
export function claimPolicy(claimId: string) {
  const claim = claimRow(claimId);
  return { claim, policy: policyByCode(claim.policyCode) };
}

/** A refused step names its reason, what the message names, and, when one field of the form is at fault, that field. */
export type StepResult = { ok: true } | { ok: false; reason: MessageKey; field?: string; params?: Record<string, string> };

class Refused extends Error {
  constructor(
    readonly reason: MessageKey,
    readonly field?: string,
    readonly params?: Record<string, string>,
  ) {
    super(reason);
  }
}

/**
 * One step of a claim's life. The state is checked and changed in the same immediate
 * transaction, so two reviewers (or processes) cannot both act on what they saw; a step that
 * throws Refused changes nothing.
 */
function transition(
  actorUserId: string,
  claimId: string,
  from: ClaimStatus[],
  action: string,
  change: (tx: Transaction, claim: typeof claims.$inferSelect) => void,
  details: Record<string, unknown> = {},
): StepResult {
  try {
    return db().transaction(
      (tx) => {
        const c = claimRow(claimId, tx);
        if (!from.includes(c.status)) throw new Refused("claim.wrongState");
        change(tx, c);
        recordAudit(tx, { actorUserId, action, entityType: "claim", entityId: claimId, organisationId: c.organisationId, details });
        return { ok: true as const };
      },
      { behavior: "immediate" },
    );
  } catch (e) {
    if (e instanceof Refused) return { ok: false, reason: e.reason, field: e.field, params: e.params };
    throw e;
  }
}

/** Those who prepared a claim may not also decide it or record its payment. */
function refuseOwnClaim(tx: Transaction, claim: typeof claims.$inferSelect, actorUserId: string) {
  const preparers = tx
    .select({ id: auditLog.actorUserId })
    .from(auditLog)
    .where(and(eq(auditLog.entityType, "claim"), eq(auditLog.entityId, claim.id), inArray(auditLog.action, ["claim.create", "claim.submit", "claim.remove-line"])))
    .all()
    .map((r) => r.id);
  if (claim.createdBy === actorUserId || preparers.includes(actorUserId)) throw new Refused("claim.ownClaim");
}

function linesOf(tx: Transaction, claimId: string) {
  return tx
    .select({ id: claimLines.id, status: claimLines.status, programCode: certificates.programCode, revokedAt: certificates.revokedAt, supersededById: certificates.supersededById })
    .from(claimLines)
    .innerJoin(certificates, eq(certificates.id, claimLines.certificateId))
    .where(eq(claimLines.claimId, claimId))
    .all();
}

function lineOf(tx: Transaction, claimId: string, lineId: number, statuses: string[]) {
  const line = linesOf(tx, claimId).find((l) => l.id === lineId);
  if (!line || !statuses.includes(line.status)) throw new Refused("claim.lineNotFound");
  return line;
}

const flagged = (l: { revokedAt: string | null; supersededById: string | null }) => !!l.revokedAt || !!l.supersededById;

export function removeLine(actorUserId: string, claimId: string, lineId: number, reason: string) {
  return transition(
    actorUserId,
    claimId,
    ["draft"],
    "claim.remove-line",
    (tx) => {
      lineOf(tx, claimId, lineId, ["included"]);
      tx.update(claimLines).set({ status: "removed", reason }).where(eq(claimLines.id, lineId)).run();
    },
    { lineId, reason },
  );
}

/**
 * Submits a draft to the issuing authority. Refused while the base has no region (no authority's
 * reach can be judged) and while any amount it claims is a placeholder the issuer has not confirmed.
 */
export function submitClaim(actorUserId: string, claimId: string) {
  return transition(actorUserId, claimId, ["draft"], "claim.submit", (tx, claim) => {
    const included = linesOf(tx, claimId).filter((l) => l.status === "included");
    if (included.length === 0) throw new Refused("claim.noHeads");
    const base = tx.select({ regionCode: organisations.regionCode }).from(organisations).where(eq(organisations.id, claim.organisationId)).get();
    if (!base?.regionCode) throw new Refused("claim.baseWithoutRegion");
    const policy = policyByCode(claim.policyCode);
    const unconfirmed = policy ? unconfirmedAmounts(policy, [...new Set(included.map((l) => l.programCode))]) : [];
    if (policy && unconfirmed.length) {
      const items = [...new Set(unconfirmed.map((u) => zhCN[`claim.item.${u.item}`]))].join("、");
      throw new Refused("claim.amountUnconfirmed", undefined, { authority: issuerName(policy), items });
    }
    tx.update(claims).set({ status: "submitted", submittedAt: new Date().toISOString(), rejectionReason: null }).where(eq(claims.id, claimId)).run();
  });
}

/** Withdraws a draft the base will not submit: its heads are freed for another claim, the record stays. */
export function withdrawClaim(actorUserId: string, claimId: string, reason: string) {
  return transition(
    actorUserId,
    claimId,
    ["draft"],
    "claim.withdraw",
    (tx) => {
      tx.update(claimLines).set({ status: "removed", reason }).where(and(eq(claimLines.claimId, claimId), inArray(claimLines.status, ["included", "approved"]))).run();
      tx.update(claims).set({ status: "withdrawn" }).where(eq(claims.id, claimId)).run();
    },
    { reason },
  );
}

export function decideLine(actorUserId: string, claimId: string, lineId: number, approve: boolean, reason: string) {
  return transition(
    actorUserId,
    claimId,
    ["submitted"],
    approve ? "claim.approve-line" : "claim.reject-line",
    (tx, claim) => {
      refuseOwnClaim(tx, claim, actorUserId);
      const line = lineOf(tx, claimId, lineId, ["included", "approved"]);
      if (approve && flagged(line)) throw new Refused("claim.flaggedLine");
      tx.update(claimLines).set({ status: approve ? "approved" : "rejected", reason: reason || null }).where(eq(claimLines.id, lineId)).run();
    },
    { lineId, reason },
  );
}

/**
 * Approving approves every line still included, and needs at least one line to pay and no line
 * whose certificate was revoked or replaced after it was claimed; rejecting sends the claim back
 * to draft with the reason.
 */
export function decideClaim(actorUserId: string, claimId: string, approve: boolean, reason: string) {
  return transition(
    actorUserId,
    claimId,
    ["submitted"],
    approve ? "claim.approve" : "claim.reject",
    (tx, claim) => {
      refuseOwnClaim(tx, claim, actorUserId);
      const decidedAt = new Date().toISOString();
      if (approve) {
        const lines = linesOf(tx, claimId);
        const holding = lines.filter((l) => l.status === "included" || l.status === "approved");
        if (holding.length === 0) throw new Refused("claim.nothingToApprove");
        if (holding.some(flagged)) throw new Refused("claim.flaggedUndecided");
        tx.update(claimLines).set({ status: "approved" }).where(and(eq(claimLines.claimId, claimId), eq(claimLines.status, "included"))).run();
        tx.update(claims).set({ status: "approved", decidedBy: actorUserId, decidedAt }).where(eq(claims.id, claimId)).run();
      } else {
        // Back in draft, nothing is approved: lines approved one by one are open again, so the
        // base may remove them or withdraw the claim and the head is not held as if paid.
        tx.update(claimLines).set({ status: "included" }).where(and(eq(claimLines.claimId, claimId), eq(claimLines.status, "approved"))).run();
        tx.update(claims).set({ status: "draft", rejectionReason: reason, decidedBy: actorUserId, decidedAt }).where(eq(claims.id, claimId)).run();
      }
    },
    { reason },
  );
}

/** Records the payment of an approved claim: a real date between its approval and today, and the payment's reference. */
export function markPaid(actorUserId: string, claimId: string, payment: { paidOn: string; reference: string }) {
  return transition(
    actorUserId,
    claimId,
    ["approved"],
    "claim.paid",
    (tx, claim) => {
      refuseOwnClaim(tx, claim, actorUserId);
      if (!isoDate.safeParse(payment.paidOn).success) throw new Refused("error.date", "paidOn");
      if (payment.paidOn > today()) throw new Refused("claim.paidInFuture", "paidOn");
      if (claim.decidedAt && payment.paidOn < shanghaiDate(claim.decidedAt)) throw new Refused("claim.paidBeforeApproval", "paidOn");
      if (!payment.reference.trim()) throw new Refused("error.required", "reference");
      tx.update(claims).set({ status: "paid", paidOn: payment.paidOn, paymentReference: payment.reference.trim() }).where(eq(claims.id, claimId)).run();
    },
    payment,
  );
}

/** Actions on a claim that are its steps; other entries about it (such as views of whole ID numbers) are not its history. */
const CLAIM_STEPS = ["claim.create", "claim.submit", "claim.remove-line", "claim.approve-line", "claim.reject-line", "claim.approve", "claim.reject", "claim.paid", "claim.withdraw"];

/**
 * A claim with its lines, totals computed from the lines, flags for the reviewer, and its history.
 * ID numbers are masked unless `wholeIds` (the paying authority's reviewers, who check identity).
 */
export function claimDetail(claimId: string, options: { wholeIds?: boolean } = {}) {
  const c = claimRow(claimId);
  const policy = policyByCode(c.policyCode);
  const org = db().select().from(organisations).where(eq(organisations.id, c.organisationId)).get()!;
  // Where each head falls among every head held under the policy, in the order they were
  // claimed, so heads beyond the target are flagged as they stand now, not as they stood.
  const ordinals = new Map<string, number>();
  for (const certificateId of db()
    .$client.prepare(`select certificate_id from claim_lines where policy_code = ? and status in ${HOLDING} order by id`)
    .pluck()
    .all(c.policyCode) as string[]) {
    if (!ordinals.has(certificateId)) ordinals.set(certificateId, ordinals.size + 1);
  }
  const lines = db()
    .select({
      id: claimLines.id,
      status: claimLines.status,
      item: claimLines.item,
      reason: claimLines.reason,
      amountFen: claimLines.amountFen,
      beyondTarget: claimLines.beyondTarget,
      certificateId: certificates.id,
      serial: certificates.serial,
      holderName: certificates.holderName,
      holderIdNumber: certificates.holderIdNumber,
      programCode: certificates.programCode,
      programTitle: certificates.programTitle,
      completionDate: certificates.completionDate,
      revokedAt: certificates.revokedAt,
      supersededById: certificates.supersededById,
    })
    .from(claimLines)
    .innerJoin(certificates, eq(certificates.id, claimLines.certificateId))
    .where(eq(claimLines.claimId, claimId))
    .orderBy(asc(certificates.completionDate), asc(certificates.serial), asc(claimLines.id))
    .all()
    .map(({ holderIdNumber, beyondTarget: _atCreation, ...l }) => ({
      ...l,
      idNumber: holderIdNumber ? (options.wholeIds ? holderIdNumber : maskResidentId(holderIdNumber)) : null,
      flagged: flagged(l),
      beyondTarget: (l.status === "included" || l.status === "approved") && policy?.target != null && (ordinals.get(l.certificateId) ?? 0) > policy.target,
    }));
  const counting = lines.filter((l) => l.status === "included" || l.status === "approved");
  const holderOfLine = new Map(lines.map((l) => [l.id, `${l.holderName}（${l.serial}）`]));
  const history = db()
    .select({ at: auditLog.at, action: auditLog.action, details: auditLog.details, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(eq(auditLog.entityType, "claim"), eq(auditLog.entityId, claimId), inArray(auditLog.action, CLAIM_STEPS)))
    .orderBy(asc(auditLog.id))
    .all();
  return {
    claim: c,
    policy,
    /** Who decides and pays the claim. */
    issuer: policy ? issuerName(policy) : "",
    /** Whether an amount it claims is still a placeholder its issuer has not confirmed. */
    unconfirmed: policy ? unconfirmedAmounts(policy, [...new Set(lines.map((l) => l.programCode))]).length > 0 : false,
    organisation: { id: org.id, name: org.name, code: org.code },
    lines,
    totalHeads: new Set(counting.map((l) => l.certificateId)).size,
    totalFen: counting.reduce((sum, l) => sum + l.amountFen, 0),
    history: history.map((h) => {
      const details = JSON.parse(h.details) as { reason?: string; lineId?: number; heads?: number; paidOn?: string; reference?: string };
      return {
        at: h.at,
        action: h.action,
        actorName: h.actorName,
        line: details.lineId !== undefined ? holderOfLine.get(details.lineId) ?? null : null,
        reason: details.reason || null,
        heads: details.heads ?? null,
        payment: details.paidOn ? `${details.paidOn} · ${details.reference ?? ""}` : null,
      };
    }),
  };
}

export type ClaimDetail = ReturnType<typeof claimDetail>;

/**
 * Claims of one base, or under some policies (an authority's), newest first, a page at a time; their
 * heads and sums are read for the claims on the page only.
 */
export function claimList(filter: { organisationId?: string; policyCodes?: string[]; status?: string[] } = {}, page: Page = pageFrom(null)) {
  const rows = db()
    .select({ id: claims.id, policyCode: claims.policyCode, organisationId: claims.organisationId, organisationName: organisations.name, periodFrom: claims.periodFrom, periodTo: claims.periodTo, status: claims.status, createdAt: claims.createdAt, submittedAt: claims.submittedAt })
    .from(claims)
    .innerJoin(organisations, eq(organisations.id, claims.organisationId))
    .where(
      and(
        filter.organisationId ? eq(claims.organisationId, filter.organisationId) : undefined,
        filter.policyCodes ? inArray(claims.policyCode, filter.policyCodes) : undefined,
        filter.status ? inArray(claims.status, filter.status as never[]) : undefined,
      ),
    )
    .orderBy(desc(claims.createdAt), desc(claims.id))
    .limit(page.limit + 1)
    .offset(page.offset)
    .all();
  const list = rows.slice(0, page.limit);
  // Per claim: the heads it holds, their sum, and how many hold a certificate revoked or replaced since.
  const sums = new Map(
    (
      db()
        .$client.prepare(
          `select l.claim_id, count(distinct l.certificate_id), sum(l.amount_fen), count(distinct case when c.revoked_at is not null or c.superseded_by_id is not null then c.id end)
           from claim_lines l join certificates c on c.id = l.certificate_id
           where l.claim_id in (select value from json_each(?)) and l.status in ${HOLDING} group by l.claim_id`,
        )
        .raw()
        .all(JSON.stringify(list.map((c) => c.id))) as [string, number, number, number][]
    ).map(([claimId, heads, totalFen, flagged]) => [claimId, { heads, totalFen, flagged }]),
  );
  return {
    claims: list.map((c) => ({ ...c, policyTitle: policyByCode(c.policyCode)?.title ?? c.policyCode, ...(sums.get(c.id) ?? { heads: 0, totalFen: 0, flagged: 0 }) })),
    info: pageInfo(page, rows.length),
  };
}

