import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { auditLog } from "../../db/schema";
import { awardPolicies, loadPolicies } from "../../app/content/policies.server";
import { awardCandidates, awardPlaces, designateAward } from "../../app/services/awards.server";
import { today } from "../../app/services/clock.server";
import { orgId, userId, withDemoData } from "./fixtures";

const award = () => awardPolicies().get("demonstration-base-award")!;
const designate = (org: string, over: Partial<{ designatedOn: string; documentNumber: string; reason: string }> = {}) =>
  designateAward(userId("reviewer.fy"), orgId("BUREAU-FY"), award(), {
    organisationId: orgId(org),
    designatedOn: today(),
    documentNumber: "富卫老〔2026〕18号",
    reason: "带教规范，结业率高",
    ...over,
  });

beforeAll(async () => {
  await withDemoData();
});

describe("award policies", () => {
  it("load from content with their citation, places and amount in fen, and stay out of the per-head policies", () => {
    expect(award()).toMatchObject({
      places: 2,
      fen: 5_000_000,
      issuer: { regionCode: "330111", authority: "health_bureau" },
      source: { section: "二(五)2" },
    });
    expect(awardPolicies().get("demonstration-site-award")).toMatchObject({
      places: 5,
      fen: 2_000_000,
      recipientKinds: ["member_institution"],
    });
    expect([...loadPolicies().keys()]).not.toContain("demonstration-base-award");
  });

  it("are open to organisations of the named kinds inside the issuer's region only", () => {
    const names = awardCandidates(award()).map((c) => c.name);
    expect(names).toContain("富阳区医养结合培训基地");
    expect(names).toContain("富阳区社会福利中心");
    expect(names).not.toContain("杭州市老年病医院医养结合培训基地");
  });
});

describe("designating", () => {
  it("refuses another district's base, saying so beside the organisation", () => {
    expect(designate("BASE-GERI")).toEqual({ ok: false, errors: { organisationId: "award.outsideRegion" } });
  });

  it("records a designation with its document and reason, audit-logged, and counts the place", () => {
    expect(designate("BASE-FY").ok).toBe(true);
    expect(awardPlaces(award())).toMatchObject({ taken: 1, left: 1 });
    const logged = db().select().from(auditLog).where(eq(auditLog.action, "award.designate")).all();
    expect(logged.map((l) => JSON.parse(l.details))).toContainEqual(
      expect.objectContaining({ policy: "demonstration-base-award", document: "富卫老〔2026〕18号" }),
    );
  });

  it("gives an organisation the award once, and no more places than the policy has", () => {
    expect(designate("BASE-FY")).toEqual({ ok: false, errors: { organisationId: "award.alreadyDesignated" } });
    expect(designate("NH-FY").ok).toBe(true);
    expect(designate("BASE-FY-XD")).toEqual({ ok: false, errors: { _form: "award.noPlacesLeft" } });
    expect(awardPlaces(award())).toMatchObject({ taken: 2, left: 0, takenFen: 10_000_000 });
  });
});
