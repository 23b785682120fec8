import { randomUUID } from "node:crypto";
import { holdsSubject } from "../../domain/subsidy";
import { NotFound } from "../errors";
import { and, eq, inArray } from "drizzle-orm";
import { db, type Transaction } from "../../../db/client.server";
import { auditLog, certificates, claimLines, claims, organisations, qualifications, type ClaimStatus } from "../../../db/schema";
import { payingPolicyByCode } from "../../content/policies.server";
import { unconfirmedItems } from "../../domain/claim-policy";
import { shanghaiDate } from "../../domain/dates";
import type { MessageKey } from "../../i18n/messages";
import { zhCN } from "../../i18n/zh-CN";
import { inChinese } from "../../i18n/messages";
import { isoDate } from "../../validation/fields";
import { recordAudit } from "../audit.server";
import { refuse, success, type ServiceResult } from "../result";
import { claimableSubjects, policyReachesOrganisation } from "./claim-subjects.server";
import { issuerName } from "../jurisdictions.server";
import { notify, staffOf } from "../notifications.server";
import { now as clockNow, today } from "../clock.server";

/**
 * The one lifecycle of a claim, whatever it pays for (heads, a designation, 双证 nurses, cohorts):
 * drafted by the organisation's finance, submitted to the policy's issuer, decided line by line or
 * whole by someone who did not prepare it, and marked paid. Each step checks and changes the state
 * in one immediate transaction.
 */

/**
 * Creates a draft claim for what finance saw in the preview (heads, designations, people or cohorts,
 * by their keys). They are judged again and written in one immediate transaction, so a claim from
 * another request or process either went first (and what it took is named) or waits; the
 * database's unique indexes are the last word if anything slips past.
 */
export function createClaim(
  actorUserId: string,
  policyCode: string,
  organisationId: string,
  period: { from: string; to: string },
  subjectKeys: string[],
): ServiceResult<string> {
  const policy = payingPolicyByCode(policyCode);
  // An organisation sees only the policies that reach it.
  if (!policy || !policyReachesOrganisation(policy, organisationId)) throw new NotFound();
  // A subject ticked twice (a resent form) is one subject.
  const keys = [...new Set(subjectKeys)];
  if (keys.length === 0) return refuse("_form", "claim.noHeads");
  const id = randomUUID();
  const taken = () => {
    const { eligible, ineligible } = claimableSubjects(policy, organisationId, period);
    const names = ineligible.filter((s) => keys.includes(s.key)).map((s) => s.name);
    const gone = keys.filter((k) => !eligible.some((e) => e.key === k) && !ineligible.some((s) => s.key === k)).length;
    return refuse("_form", "claim.headTaken", {
      names: [...names, ...(gone ? [inChinese("claim.othersTaken", { n: gone })] : [])].join("、"),
    });
  };
  try {
    return db().transaction(
      (tx) => {
        const { eligible } = claimableSubjects(policy, organisationId, period);
        const chosen = keys.map((k) => eligible.find((s) => s.key === k));
        if (chosen.some((s) => !s)) return taken();
        const capped = chosen.filter((s) => s!.beyondCap);
        if (capped.length) return refuse("_form", "claim.beyondCap", { names: capped.map((s) => s!.name).join("、") });
        tx.insert(claims)
          .values({ id, policyCode, organisationId, periodFrom: period.from, periodTo: period.to, createdBy: actorUserId })
          .run();
        for (const s of chosen) {
          for (const a of s!.items) {
            tx.insert(claimLines)
              .values({ claimId: id, policyCode, ...s!.line, item: a.item, amountFen: a.fen, beyondTarget: s!.beyondTarget })
              .run();
          }
        }
        recordAudit(tx, {
          actorUserId,
          action: "claim.create",
          entityType: "claim",
          entityId: id,
          organisationId,
          details: { policyCode, period, heads: keys.length },
        });
        return success(id);
      },
      { behavior: "immediate" },
    );
  } catch (e) {
    if (e instanceof Error && e.message.includes("UNIQUE constraint failed: claim_lines")) return taken();
    throw e;
  }
}

export function claimRow(claimId: string, tx: Transaction | ReturnType<typeof db> = db()) {
  const c = tx.select().from(claims).where(eq(claims.id, claimId)).get();
  if (!c) throw new NotFound();
  return c;
}

/** A claim and the policy it is made under, for deciding who may see it. */
export function claimPolicy(claimId: string) {
  const claim = claimRow(claimId);
  return { claim, policy: payingPolicyByCode(claim.policyCode) };
}

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
  tell?: (claim: typeof claims.$inferSelect) => ClaimNews,
): ServiceResult<true> {
  try {
    return db().transaction(
      (tx) => {
        const c = claimRow(claimId, tx);
        if (!from.includes(c.status)) throw new Refused("claim.wrongState");
        change(tx, c);
        if (tell) tellBaseFinance(tx, claimRow(claimId, tx), tell(c));
        recordAudit(tx, { actorUserId, action, entityType: "claim", entityId: claimId, organisationId: c.organisationId, details });
        return success(true);
      },
      { behavior: "immediate" },
    );
  } catch (e) {
    if (e instanceof Refused) return refuse(e.field ?? "_form", e.reason, e.params);
    throw e;
  }
}

type ClaimNews = { kind: "claim_returned" | "claim_approved" | "claim_paid"; params?: Record<string, string> };

/** The base's finance staff hear of a decision or payment in the transaction that makes it. */
function tellBaseFinance(tx: Transaction, claim: typeof claims.$inferSelect, news: ClaimNews) {
  const policy = payingPolicyByCode(claim.policyCode)?.title ?? claim.policyCode;
  const params = { policy, period: `${claim.periodFrom} – ${claim.periodTo}`, ...news.params };
  // A claim may be returned more than once; each return is its own news.
  const key = `${news.kind}:${claim.id}${news.kind === "claim_returned" ? `:${claim.decidedAt}` : ""}`;
  notify(
    tx,
    staffOf(tx, claim.organisationId, "base_finance").map((userId) => ({
      userId,
      kind: news.kind,
      params,
      link: `/subsidy/claims/${claim.id}`,
      dedupeKey: key,
    })),
  );
}

/** Those who prepared a claim may not also decide it or record its payment. */
function refuseOwnClaim(tx: Transaction, claim: typeof claims.$inferSelect, actorUserId: string) {
  const preparers = tx
    .select({ id: auditLog.actorUserId })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityType, "claim"),
        eq(auditLog.entityId, claim.id),
        inArray(auditLog.action, ["claim.create", "claim.submit", "claim.remove-line"]),
      ),
    )
    .all()
    .map((r) => r.id);
  if (claim.createdBy === actorUserId || preparers.includes(actorUserId)) throw new Refused("claim.ownClaim");
}

/**
 * The lines of a claim with what a reviewer must not approve: a head whose certificate was revoked or
 * replaced since it was claimed, a 双证 nurse whose practising certificate is no longer verified.
 */
function linesOf(tx: Transaction, claimId: string) {
  return tx
    .select({
      id: claimLines.id,
      status: claimLines.status,
      programCode: certificates.programCode,
      revokedAt: certificates.revokedAt,
      supersededById: certificates.supersededById,
      qualificationStatus: qualifications.status,
    })
    .from(claimLines)
    .leftJoin(certificates, eq(certificates.id, claimLines.certificateId))
    .leftJoin(qualifications, eq(qualifications.id, claimLines.qualificationId))
    .where(eq(claimLines.claimId, claimId))
    .all();
}

function lineOf(tx: Transaction, claimId: string, lineId: number, statuses: string[]) {
  const line = linesOf(tx, claimId).find((l) => l.id === lineId);
  if (!line || !statuses.includes(line.status)) throw new Refused("claim.lineNotFound");
  return line;
}

/** A line whose subject no longer stands: its certificate revoked or replaced, its nurse's certificate no longer verified. */
export const flagged = (l: { revokedAt: string | null; supersededById: string | null; qualificationStatus?: string | null }) =>
  !!l.revokedAt || !!l.supersededById || (l.qualificationStatus != null && l.qualificationStatus !== "verified");

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
    const base = tx
      .select({ regionCode: organisations.regionCode })
      .from(organisations)
      .where(eq(organisations.id, claim.organisationId))
      .get();
    if (!base?.regionCode) throw new Refused("claim.baseWithoutRegion");
    const policy = payingPolicyByCode(claim.policyCode);
    const unconfirmed = policy
      ? unconfirmedItems(policy, [...new Set(included.flatMap((l) => (l.programCode ? [l.programCode] : [])))])
      : [];
    if (policy && unconfirmed.length) {
      const items = unconfirmed.map((item) => zhCN[`claim.item.${item}`]).join("、");
      throw new Refused("claim.amountUnconfirmed", undefined, { authority: issuerName(policy), items });
    }
    tx.update(claims)
      .set({ status: "submitted", submittedAt: clockNow().toISOString(), rejectionReason: null })
      .where(eq(claims.id, claimId))
      .run();
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
      tx.update(claimLines)
        .set({ status: "removed", reason })
        .where(and(eq(claimLines.claimId, claimId), inArray(claimLines.status, ["included", "approved"])))
        .run();
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
      tx.update(claimLines)
        .set({ status: approve ? "approved" : "rejected", reason: reason || null })
        .where(eq(claimLines.id, lineId))
        .run();
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
      const decidedAt = clockNow().toISOString();
      if (approve) {
        const lines = linesOf(tx, claimId);
        const holding = lines.filter(holdsSubject);
        if (holding.length === 0) throw new Refused("claim.nothingToApprove");
        if (holding.some(flagged)) throw new Refused("claim.flaggedUndecided");
        tx.update(claimLines)
          .set({ status: "approved" })
          .where(and(eq(claimLines.claimId, claimId), eq(claimLines.status, "included")))
          .run();
        tx.update(claims).set({ status: "approved", decidedBy: actorUserId, decidedAt }).where(eq(claims.id, claimId)).run();
      } else {
        // Back in draft, nothing is approved: lines approved one by one are open again, so the
        // base may remove them or withdraw the claim and the head is not held as if paid.
        tx.update(claimLines)
          .set({ status: "included" })
          .where(and(eq(claimLines.claimId, claimId), eq(claimLines.status, "approved")))
          .run();
        tx.update(claims)
          .set({ status: "draft", rejectionReason: reason, decidedBy: actorUserId, decidedAt })
          .where(eq(claims.id, claimId))
          .run();
      }
    },
    { reason },
    () => (approve ? { kind: "claim_approved" } : { kind: "claim_returned", params: { reason } }),
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
      tx.update(claims)
        .set({ status: "paid", paidOn: payment.paidOn, paymentReference: payment.reference.trim() })
        .where(eq(claims.id, claimId))
        .run();
    },
    payment,
    () => ({ kind: "claim_paid", params: { paidOn: payment.paidOn, reference: payment.reference.trim() } }),
  );
}
