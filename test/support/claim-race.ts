export {};
/** One of two processes racing to claim the same heads (see test/integration/claims.test.ts). */
const [databasePath, startAt, orgId, userId, policyCode] = process.argv.slice(2);
process.env.DATABASE_PATH = databasePath;
const { claimableHeads, policyByCode } = await import("../../app/services/subsidy/eligibility.server");
const { createClaim } = await import("../../app/services/subsidy/claim-steps.server");
const policy = policyByCode(policyCode)!;
const period = { from: "2026-01-01", to: "2026-12-31" };
// Both read what is claimable first, as two finance officers looking at the same screen would.
const heads = claimableHeads(policy, orgId, period).eligible.map((h) => h.certificateId);
while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 1));
const result = createClaim(userId, policy.code, orgId, period, heads);
console.log(JSON.stringify({ result, heads: heads.length }));
