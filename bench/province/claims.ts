import { claimableHeads, policyByCode } from "../../app/services/subsidy/eligibility.server";
import { createClaim, decideClaim, markPaid, submitClaim, withdrawClaim } from "../../app/services/subsidy/claim-steps.server";
import { districtPolicyCode } from "./district-policies";
import type { Base } from "./organisations";

/**
 * Each base's claims under its district's subsidy, made and moved through the app's own services:
 * heads are chosen from those the app finds eligible, written by the app (its unique indexes and
 * the triggers that keep certificates' claim_holds), submitted by the base's finance user, and
 * decided and paid by the district bureau's reviewer, never by whoever prepared them. The oldest
 * claims are paid; the newest wait in each state a claim can wait in.
 */

type Stage = "paid" | "approved" | "submitted" | "draft" | "withdrawn";

function stageOf(position: number, count: number, baseIndex: number): Stage {
  const fromNewest = count - 1 - position;
  if (fromNewest === 0) return baseIndex % 2 ? "withdrawn" : "submitted";
  if (fromNewest === 1) return "draft";
  if (fromNewest === 2) return "submitted";
  if (fromNewest === 3) return "approved";
  return "paid";
}

export function makeClaims(base: Base, claimCount: number, linesPerClaim: number, today: string): { claims: number; lines: number } {
  const policy = policyByCode(districtPolicyCode(base.district.code));
  if (!policy) throw new Error(`no subsidy for ${base.district.name}`);
  const heads = claimableHeads(policy, base.id, policy.window).eligible;
  const batches: (typeof heads)[] = [];
  let batch: typeof heads = [];
  let lines = 0;
  for (const h of heads) {
    if (batches.length === claimCount) break;
    batch.push(h);
    lines += h.items.length;
    if (lines >= linesPerClaim) {
      batches.push(batch);
      batch = [];
      lines = 0;
    }
  }
  const refused = (what: string, result: { ok: boolean; reason?: string }) => {
    if (!result.ok) throw new Error(`${what} refused for ${base.code}: ${result.reason}`);
  };
  let written = 0;
  batches.forEach((chosen, position) => {
    const period = { from: chosen[0].completionDate, to: chosen[chosen.length - 1].completionDate };
    const created = createClaim(
      base.financeId,
      policy.code,
      base.id,
      period,
      chosen.map((h) => h.certificateId),
    );
    if (!created.ok)
      throw new Error(`claim refused for ${base.code}: ${JSON.stringify(created.errors)} ${created.params?._form?.names ?? ""}`);
    written += chosen.reduce((n, h) => n + h.items.length, 0);
    const stage = stageOf(position, batches.length, base.index);
    if (stage === "draft") return;
    if (stage === "withdrawn") return refused("withdrawal", withdrawClaim(base.financeId, created.value, "名单需重新核对"));
    refused("submission", submitClaim(base.financeId, created.value));
    if (stage === "submitted") return;
    refused("approval", decideClaim(base.reviewerId, created.value, true, ""));
    if (stage === "approved") return;
    refused(
      "payment",
      markPaid(base.reviewerId, created.value, {
        paidOn: today,
        reference: `${base.district.name.slice(0, 2)}财拨〔${today.slice(0, 4)}〕${base.index + 1}-${position + 1}号`,
      }),
    );
  });
  return { claims: batches.length, lines: written };
}
