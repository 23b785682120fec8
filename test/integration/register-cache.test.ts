import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoActivity } from "../../app/demo/demo-activity.server";
import { policyByCode, policyTally } from "../../app/services/subsidy/eligibility.server";
import { withDemoData, passAssessment } from "./fixtures";

beforeAll(async () => {
  await withDemoData();
  await seedDemoActivity();
  passAssessment("BASE-FY");
}, 60_000);

describe("figures kept while the register stands still", () => {
  it("are computed again after a write from another connection, as from another server process", () => {
    const policy = policyByCode("instructor-training-subsidy")!;
    const before = policyTally(policy).total;
    expect(policyTally(policy).total).toEqual(before);
    // Another process revokes one of the heads waiting to be claimed.
    const other = new Database(process.env.DATABASE_PATH!);
    other.pragma("busy_timeout = 5000");
    const head = other
      .prepare(
        "select c.id from certificates c join organisations o on o.id = c.organisation_id where o.code = 'BASE-FY' and c.claim_holds = 0 and c.revoked_at is null limit 1",
      )
      .pluck()
      .get() as string;
    other.prepare("update certificates set revoked_at = '2026-12-01T00:00:00Z', revoked_reason = 'issuedInError' where id = ?").run(head);
    other.close();
    expect(policyTally(policy).total.eligibleHeads).toBe(before.eligibleHeads - 1);
  });
});
