import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { db, type Transaction } from "../../db/client.server";
import { auditLog, certificates, claimLines, claims, organisations, programVersions, users } from "../../db/schema";
import { policies, policyByCode } from "../content/policies.server";
import { eligibility, tally, targetPosition, type CertificateFacts, type ClaimHistory, type IneligibleReason, type Policy, type TallyLine } from "../domain/subsidy";
import type { ProgramRules } from "../domain/program";
import { maskResidentId } from "../domain/resident-id";
import type { MessageKey } from "../i18n/messages";
import { recordAudit } from "./audit.server";
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

/**
 * The facts eligibility needs for every certificate, read for the district-wide dashboard. Most
 * certificates belong to people with no claim line at all; those are read grouped (base,
 * programme, version, completion date), since every member of a group is judged alike. The few
 * whose holder appears on a claim line are read one by one, as claims history matters for them.
 */
export function eligibilityFacts(organisationId?: string): CertificateFacts[] {
  const accreditedOn = accreditationChecker();
  const sqlite = db().$client;
  const where = organisationId ? "and c.organisation_id = ?" : "";
  const args = organisationId ? [organisationId] : [];
  const claimed = "select user_id from claim_lines where status in ('included', 'approved')";
  // Certificates without an ID number, revoked or superseded are never eligible, so they are not read.
  const grouped = sqlite
    .prepare(
      `select c.organisation_id, c.program_code, c.program_version, c.completion_date, count(*)
       from certificates c
       where c.holder_id_number is not null and c.revoked_at is null and c.superseded_by_id is null
         and c.user_id not in (${claimed}) ${where}
       group by 1, 2, 3, 4`,
    )
    .raw()
    .all(...args) as [string, string, number, string, number][];
  const single = sqlite
    .prepare(
      `select c.id, c.user_id, c.organisation_id, c.program_code, c.program_version, c.completion_date, c.holder_id_number is not null, c.revoked_at is not null, c.superseded_by_id is not null
       from certificates c where c.user_id in (${claimed}) ${where}`,
    )
    .raw()
    .all(...args) as [string, string, string, string, number, string, number, number, number][];
  const facts: CertificateFacts[] = grouped.map(([orgId, programCode, version, completionDate, count]) => ({
    certificateId: "",
    userId: "",
    organisationId: orgId,
    programCode,
    occupationLevel: occupationLevel(programCode, version),
    completionDate,
    hasIdNumber: true,
    revoked: false,
    superseded: false,
    baseAccreditedOnCompletion: accreditedOn(orgId, completionDate),
    count,
  }));
  for (const [certificateId, userId, orgId, programCode, version, completionDate, hasId, revoked, superseded] of single) {
    facts.push({
      certificateId,
      userId,
      organisationId: orgId,
      programCode,
      occupationLevel: occupationLevel(programCode, version),
      completionDate,
      hasIdNumber: hasId === 1,
      revoked: revoked === 1,
      superseded: superseded === 1,
      baseAccreditedOnCompletion: accreditedOn(orgId, completionDate),
    });
  }
  return facts;
}

/** Lines that hold a head: included in a draft or submitted claim, or approved. */
export function activeLines() {
  return db()
    .select({ policyCode: claimLines.policyCode, certificateId: claimLines.certificateId, userId: claimLines.userId, occupationLevel: claimLines.occupationLevel, amountFen: claimLines.amountFen, status: claimLines.status, claimStatus: claims.status, organisationId: claims.organisationId })
    .from(claimLines)
    .innerJoin(claims, eq(claims.id, claimLines.claimId))
    .where(inArray(claimLines.status, ["included", "approved"]))
    .all();
}

export function claimHistory(policyCode: string, lines = activeLines()): ClaimHistory {
  return {
    claimedUnderPolicy: new Set(lines.filter((l) => l.policyCode === policyCode).map((l) => l.certificateId)),
    subsidisedPairs: new Map(lines.map((l) => [`${l.userId}|${l.occupationLevel}`, l.certificateId])),
  };
}

/** The dashboard's figures for one policy. Pass `heads` when tallying several policies over the same certificates. */
export function policyTally(policy: Policy, organisationId?: string, heads = eligibilityFacts(organisationId), lines = activeLines()) {
  const tallyLines: TallyLine[] = lines
    .filter((l) => l.policyCode === policy.code && (!organisationId || l.organisationId === organisationId))
    .map((l) => ({ organisationId: l.organisationId, amountFen: l.amountFen, state: l.claimStatus === "paid" ? "paid" : l.status === "approved" ? "approved" : "open" }));
  return tally(policy, heads, claimHistory(policy.code, lines), tallyLines);
}

/** Heads per month of completion, and heads expected from cohorts still running, for the chart. */
export function policySeries(policy: Policy, organisationId?: string) {
  // Counted in the database, month by month: the dashboard shows this for the whole district.
  const programs = Object.keys(policy.amountsFen);
  const marks = programs.map(() => "?").join(", ");
  const where = organisationId ? "and c.organisation_id = ?" : "";
  const args = [...programs, policy.window.from, policy.window.to, ...(organisationId ? [organisationId] : [])];
  const actual = db()
    .$client.prepare(
      `select substr(c.completion_date, 1, 7), count(*) from certificates c indexed by certificates_tally_idx
       where c.program_code in (${marks}) and c.revoked_at is null and c.superseded_by_id is null
         and c.completion_date between ? and ? ${where}
       group by 1 order by 1`,
    )
    .raw()
    .all(...args) as [string, number][];
  const projected = db()
    .$client.prepare(
      `select substr(k.end_date, 1, 7), count(*) from enrolments e
       join cohorts k on k.id = e.cohort_id join program_versions v on v.id = e.program_version_id
       where e.status = 'in_progress' and v.program_code in (${marks}) and k.end_date between ? and ? ${where.replace("c.", "k.")}
       group by 1 order by 1`,
    )
    .raw()
    .all(...programs, today(), policy.window.to, ...(organisationId ? [organisationId] : [])) as [string, number][];
  return { actual, projected };
}

export interface ClaimableHead extends HeadRow {
  amountFen: number;
  beyondTarget: boolean;
  beyondCap: boolean;
}

/** Eligible, unclaimed heads of a base completed in the period, in completion order, with target flags. */
export function claimableHeads(policy: Policy, organisationId: string, period: { from: string; to: string }) {
  const lines = activeLines();
  const history = claimHistory(policy.code, lines);
  const counted = lines.filter((l) => l.policyCode === policy.code).length;
  const eligible: ClaimableHead[] = [];
  const ineligible: (HeadRow & { reasons: IneligibleReason[] })[] = [];
  const heads = certificateHeads(organisationId)
    .filter((h) => h.completionDate >= period.from && h.completionDate <= period.to && h.programCode in policy.amountsFen)
    .sort((a, b) => a.completionDate.localeCompare(b.completionDate) || a.serial.localeCompare(b.serial));
  for (const h of heads) {
    const e = eligibility(policy, h, history);
    if (e.eligible) {
      const pos = targetPosition(policy, counted, eligible.length);
      eligible.push({ ...h, amountFen: e.amountFen, beyondTarget: pos.beyondTarget, beyondCap: pos.beyondCap });
    } else if (!e.reasons.includes("alreadyClaimed")) {
      ineligible.push({ ...h, reasons: e.reasons });
    }
  }
  return { eligible, ineligible };
}

export type ClaimError = { ok: false; reason: MessageKey; names?: string };

/**
 * Creates a draft claim for the heads finance saw in the preview. Each is checked again in the
 * write transaction; a head another claim took meanwhile is refused by the database's unique
 * index, and nothing is written.
 */
export function createClaim(
  actorUserId: string,
  policyCode: string,
  organisationId: string,
  period: { from: string; to: string },
  certificateIds: string[],
): { ok: true; id: string } | ClaimError {
  const policy = policyByCode(policyCode);
  if (!policy) throw new Response("Not Found", { status: 404 });
  if (certificateIds.length === 0) return { ok: false, reason: "claim.noHeads" };
  const { eligible } = claimableHeads(policy, organisationId, period);
  const chosen = eligible.filter((h) => certificateIds.includes(h.certificateId));
  const capped = chosen.filter((h) => h.beyondCap);
  if (capped.length) return { ok: false, reason: "claim.beyondCap", names: capped.map((h) => h.holderName).join("、") };
  const id = randomUUID();
  try {
    db().transaction((tx) => {
      tx.insert(claims).values({ id, policyCode, organisationId, periodFrom: period.from, periodTo: period.to, createdBy: actorUserId }).run();
      for (const h of certificateIds.map((cid) => chosen.find((c) => c.certificateId === cid) ?? null)) {
        if (!h) throw new HeadTaken();
        tx.insert(claimLines).values({ claimId: id, policyCode, certificateId: h.certificateId, userId: h.userId, occupationLevel: h.occupationLevel, amountFen: h.amountFen, beyondTarget: h.beyondTarget }).run();
      }
      recordAudit(tx, { actorUserId, action: "claim.create", entityType: "claim", entityId: id, organisationId, details: { policyCode, period, heads: certificateIds.length } });
    });
  } catch (e) {
    if (e instanceof HeadTaken || (e instanceof Error && e.message.includes("UNIQUE constraint failed: claim_lines"))) {
      return { ok: false, reason: "claim.headTaken" };
    }
    throw e;
  }
  return { ok: true, id };
}

class HeadTaken extends Error {}

function claimRow(claimId: string) {
  const c = db().select().from(claims).where(eq(claims.id, claimId)).get();
  if (!c) throw new Response("Not Found", { status: 404 });
  return c;
}

function transition(actorUserId: string, claimId: string, from: string[], action: string, change: (tx: Transaction) => void, details: Record<string, unknown> = {}) {
  const c = claimRow(claimId);
  if (!from.includes(c.status)) return { ok: false as const, reason: "claim.wrongState" as const };
  db().transaction((tx) => {
    change(tx);
    recordAudit(tx, { actorUserId, action, entityType: "claim", entityId: claimId, organisationId: c.organisationId, details });
  });
  return { ok: true as const };
}

export function removeLine(actorUserId: string, claimId: string, lineId: number, reason: string) {
  return transition(
    actorUserId,
    claimId,
    ["draft"],
    "claim.remove-line",
    (tx) => tx.update(claimLines).set({ status: "removed", reason }).where(and(eq(claimLines.id, lineId), eq(claimLines.claimId, claimId), eq(claimLines.status, "included"))).run(),
    { lineId, reason },
  );
}

export function submitClaim(actorUserId: string, claimId: string) {
  const open = db().select().from(claimLines).where(and(eq(claimLines.claimId, claimId), eq(claimLines.status, "included"))).all();
  if (open.length === 0) return { ok: false as const, reason: "claim.noHeads" as const };
  return transition(actorUserId, claimId, ["draft"], "claim.submit", (tx) => tx.update(claims).set({ status: "submitted", submittedAt: new Date().toISOString(), rejectionReason: null }).where(eq(claims.id, claimId)).run());
}

export function decideLine(actorUserId: string, claimId: string, lineId: number, approve: boolean, reason: string) {
  return transition(
    actorUserId,
    claimId,
    ["submitted"],
    approve ? "claim.approve-line" : "claim.reject-line",
    (tx) => tx.update(claimLines).set({ status: approve ? "approved" : "rejected", reason: reason || null }).where(and(eq(claimLines.id, lineId), eq(claimLines.claimId, claimId), inArray(claimLines.status, ["included", "approved"]))).run(),
    { lineId, reason },
  );
}

/** Approving approves every line still included; rejecting sends the claim back to draft with the reason. */
export function decideClaim(actorUserId: string, claimId: string, approve: boolean, reason: string) {
  return transition(
    actorUserId,
    claimId,
    ["submitted"],
    approve ? "claim.approve" : "claim.reject",
    (tx) => {
      if (approve) tx.update(claimLines).set({ status: "approved" }).where(and(eq(claimLines.claimId, claimId), eq(claimLines.status, "included"))).run();
      tx.update(claims)
        .set(approve ? { status: "approved", decidedBy: actorUserId, decidedAt: new Date().toISOString() } : { status: "draft", rejectionReason: reason, decidedBy: actorUserId, decidedAt: new Date().toISOString() })
        .where(eq(claims.id, claimId))
        .run();
    },
    { reason },
  );
}

export function markPaid(actorUserId: string, claimId: string, payment: { paidOn: string; reference: string }) {
  return transition(actorUserId, claimId, ["approved"], "claim.paid", (tx) => tx.update(claims).set({ status: "paid", paidOn: payment.paidOn, paymentReference: payment.reference }).where(eq(claims.id, claimId)).run(), payment);
}

/** A claim with its lines, totals computed from the lines, flags for the reviewer, and its history. */
export function claimDetail(claimId: string) {
  const c = claimRow(claimId);
  const policy = policyByCode(c.policyCode);
  const org = db().select().from(organisations).where(eq(organisations.id, c.organisationId)).get()!;
  const lines = db()
    .select({
      id: claimLines.id,
      status: claimLines.status,
      reason: claimLines.reason,
      amountFen: claimLines.amountFen,
      beyondTarget: claimLines.beyondTarget,
      certificateId: certificates.id,
      serial: certificates.serial,
      holderName: certificates.holderName,
      holderIdNumber: certificates.holderIdNumber,
      programTitle: certificates.programTitle,
      completionDate: certificates.completionDate,
      revokedAt: certificates.revokedAt,
      supersededById: certificates.supersededById,
    })
    .from(claimLines)
    .innerJoin(certificates, eq(certificates.id, claimLines.certificateId))
    .where(eq(claimLines.claimId, claimId))
    .orderBy(asc(certificates.completionDate), asc(certificates.serial))
    .all()
    .map(({ holderIdNumber, ...l }) => ({ ...l, idMasked: holderIdNumber ? maskResidentId(holderIdNumber) : null, flagged: !!l.revokedAt || !!l.supersededById }));
  const counting = lines.filter((l) => l.status === "included" || l.status === "approved");
  const history = db()
    .select({ at: auditLog.at, action: auditLog.action, details: auditLog.details, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(eq(auditLog.entityType, "claim"), eq(auditLog.entityId, claimId)))
    .orderBy(asc(auditLog.id))
    .all();
  return {
    claim: c,
    policy,
    organisation: { id: org.id, name: org.name, code: org.code },
    lines,
    totalHeads: counting.length,
    totalFen: counting.reduce((sum, l) => sum + l.amountFen, 0),
    history,
  };
}

export type ClaimDetail = ReturnType<typeof claimDetail>;

export function claimList(filter: { organisationId?: string; status?: string[] } = {}) {
  const list = db()
    .select({ id: claims.id, policyCode: claims.policyCode, organisationId: claims.organisationId, organisationName: organisations.name, periodFrom: claims.periodFrom, periodTo: claims.periodTo, status: claims.status, createdAt: claims.createdAt, submittedAt: claims.submittedAt })
    .from(claims)
    .innerJoin(organisations, eq(organisations.id, claims.organisationId))
    .where(and(filter.organisationId ? eq(claims.organisationId, filter.organisationId) : undefined, filter.status ? inArray(claims.status, filter.status as never[]) : undefined))
    .orderBy(desc(claims.createdAt))
    .all();
  const sums = db().select({ claimId: claimLines.claimId, amountFen: claimLines.amountFen, status: claimLines.status }).from(claimLines).where(inArray(claimLines.status, ["included", "approved"])).all();
  return list.map((c) => {
    const own = sums.filter((s) => s.claimId === c.id);
    return { ...c, policyTitle: policyByCode(c.policyCode)?.title ?? c.policyCode, heads: own.length, totalFen: own.reduce((n, s) => n + s.amountFen, 0) };
  });
}
