import { describe, expect, it } from "vitest";
import {
  amountPerHead,
  eligibility,
  policyReaches,
  tally,
  targetPosition,
  unconfirmedAmounts,
  type CertificateFacts,
  type ClaimHistory,
  type Policy,
} from "../../app/domain/subsidy";

const policy: Policy = {
  kind: "per_head",
  code: "instructor",
  title: "师资培训补助",
  titleEn: "",
  source: { title: "实施意见", document: "001", section: "二(七)1", quote: "" },
  issuer: { regionCode: "330111", authority: "health_bureau" },
  payee: "base",
  amounts: { "caregiver-instructor": [{ item: "training", fen: 500_000, confirmed: true }] },
  window: { from: "2025-01-01", to: "2027-12-31" },
  target: 50,
  hardCap: null,
  conditions: ["certificate_in_force", "once_per_person_occupation_level", "base_accredited_on_completion", "id_number"],
};

const cert = (over: Partial<CertificateFacts> = {}): CertificateFacts => ({
  certificateId: "c1",
  userId: "u1",
  organisationId: "base-a",
  programCode: "caregiver-instructor",
  occupationLevel: "养老护理员师资|师资",
  completionDate: "2026-05-29",
  hasIdNumber: true,
  revoked: false,
  superseded: false,
  baseAccreditedOnCompletion: true,
  ...over,
});
const none = (): ClaimHistory => ({ claimedUnderPolicy: new Set(), subsidisedPairs: new Map() });

describe("eligibility", () => {
  it("pays the policy's amount for an eligible head", () => {
    expect(eligibility(policy, cert(), none())).toEqual({ eligible: true, amountFen: 500_000 });
  });

  it.each([
    ["base not accredited on the completion date", { baseAccreditedOnCompletion: false }, "baseNotAccredited"],
    ["completed before the window", { completionDate: "2024-12-31" }, "outsideWindow"],
    ["completed after the window", { completionDate: "2028-01-01" }, "outsideWindow"],
    ["programme not covered", { programCode: "hospice-care" }, "programmeNotCovered"],
    ["certificate revoked", { revoked: true }, "revoked"],
    ["certificate superseded", { superseded: true }, "superseded"],
    ["ID number missing", { hasIdNumber: false }, "idNumberMissing"],
  ] as const)("refuses when %s", (_, over, reason) => {
    expect(eligibility(policy, cert(over), none())).toEqual({ eligible: false, reasons: [reason] });
  });

  it("refuses a head already claimed under this policy", () => {
    const history = { claimedUnderPolicy: new Set(["c1"]), subsidisedPairs: new Map([["u1|养老护理员师资|师资", "c1"]]) };
    expect(eligibility(policy, cert(), history)).toEqual({ eligible: false, reasons: ["alreadyClaimed"] });
  });

  it("refuses the same person subsidised for the same occupation and level with another certificate", () => {
    const history = { claimedUnderPolicy: new Set<string>(), subsidisedPairs: new Map([["u1|养老护理员师资|师资", "c-old"]]) };
    expect(eligibility(policy, cert(), history)).toEqual({ eligible: false, reasons: ["alreadySubsidised"] });
    expect(eligibility(policy, cert({ occupationLevel: "医疗护理员|初级" }), history)).toMatchObject({ eligible: true });
  });

  it("refuses a certificate already subsidised under another policy", () => {
    const history = { claimedUnderPolicy: new Set<string>(), subsidisedPairs: new Map([["u1|养老护理员师资|师资", "c1"]]) };
    expect(eligibility(policy, cert(), history)).toEqual({ eligible: false, reasons: ["alreadySubsidised"] });
  });

  it("checks accreditation and the ID number only where the policy sets them", () => {
    const lenient: Policy = { ...policy, conditions: ["certificate_in_force", "once_per_person_occupation_level"] };
    expect(eligibility(lenient, cert({ baseAccreditedOnCompletion: false, hasIdNumber: false }), none())).toMatchObject({ eligible: true });
    expect(eligibility(lenient, cert({ revoked: true }), none())).toEqual({ eligible: false, reasons: ["revoked"] });
  });

  it("lists every reason at once", () => {
    expect(eligibility(policy, cert({ revoked: true, hasIdNumber: false, completionDate: "2030-01-01" }), none())).toEqual({
      eligible: false,
      reasons: ["outsideWindow", "revoked", "idNumberMissing"],
    });
  });
});

describe("target and cap", () => {
  it("flags heads beyond the target, and beyond a hard cap", () => {
    expect(targetPosition({ target: 50, hardCap: null }, 48, 1)).toEqual({ ordinal: 50, beyondTarget: false, beyondCap: false });
    expect(targetPosition({ target: 50, hardCap: null }, 48, 2)).toEqual({ ordinal: 51, beyondTarget: true, beyondCap: false });
    expect(targetPosition({ target: 50, hardCap: 52 }, 50, 2)).toEqual({ ordinal: 53, beyondTarget: true, beyondCap: true });
    expect(targetPosition({ target: null, hardCap: null }, 1000, 0)).toMatchObject({ beyondTarget: false, beyondCap: false });
  });
});

describe("tally", () => {
  it("counts eligible, claimed, approved and paid per base, and the totals are the sums of the rows", () => {
    const certs = [
      cert({ certificateId: "a", userId: "1" }),
      cert({ certificateId: "b", userId: "2", organisationId: "base-b" }),
      cert({ certificateId: "c", userId: "3", revoked: true }),
    ];
    const result = tally(policy, certs, none(), [
      { organisationId: "base-a", amountFen: 500_000, state: "open" },
      { organisationId: "base-b", amountFen: 500_000, state: "paid" },
      { organisationId: "base-b", amountFen: 500_000, state: "approved" },
    ]);
    expect(result.byBase.get("base-a")).toMatchObject({ eligibleHeads: 1, eligibleFen: 500_000, claimedHeads: 1 });
    expect(result.byBase.get("base-b")).toMatchObject({ eligibleHeads: 1, approvedHeads: 1, paidHeads: 1, paidFen: 500_000 });
    expect(result.total).toEqual({
      eligibleHeads: 2,
      eligibleFen: 1_000_000,
      claimedHeads: 1,
      claimedFen: 500_000,
      approvedHeads: 1,
      approvedFen: 500_000,
      paidHeads: 1,
      paidFen: 500_000,
    });
  });

  it("counts a person with two certificates of one occupation and level once", () => {
    const certs = [
      cert({ certificateId: "a", userId: "1" }),
      cert({ certificateId: "b", userId: "1", organisationId: "base-b", completionDate: "2026-09-01" }),
      cert({ certificateId: "c", userId: "2" }),
    ];
    const result = tally(policy, certs, none(), []);
    expect(result.total.eligibleHeads).toBe(2);
    expect(result.byBase.get("base-a")?.eligibleHeads).toBe(2);
    expect(result.byBase.get("base-b")?.eligibleHeads ?? 0).toBe(0);
  });

  it("adds lines read grouped by their count", () => {
    const result = tally(policy, [], none(), [{ organisationId: "base-a", amountFen: 1_500_000, state: "paid", count: 3 }]);
    expect(result.total).toMatchObject({ paidHeads: 3, paidFen: 1_500_000 });
  });
});

describe("reach: a policy pays only bases inside its issuer's region", () => {
  // 浙江省 › 杭州市 › 富阳区 / 拱墅区, as region paths (innermost first).
  const fuyang = ["330111", "330100", "330000"];
  const gongshu = ["330105", "330100", "330000"];

  it("reaches a base in the issuer's own district, not one in the next district", () => {
    expect(policyReaches(policy, fuyang)).toBe(true);
    expect(policyReaches(policy, gongshu)).toBe(false);
  });

  it("a city's policy reaches every district inside the city; a province's, every city", () => {
    const city = { issuer: { regionCode: "330100", authority: "health_bureau" as const } };
    const province = { issuer: { regionCode: "330000", authority: "hr_bureau" as const } };
    expect(policyReaches(city, fuyang) && policyReaches(city, gongshu)).toBe(true);
    expect(policyReaches(province, fuyang)).toBe(true);
    expect(policyReaches(city, ["410102", "410100", "410000"])).toBe(false);
  });

  it("reaches no base without a region", () => {
    expect(policyReaches(policy, [])).toBe(false);
  });
});

describe("amounts per head", () => {
  const vocational: Pick<Policy, "amounts"> = {
    amounts: {
      "medical-nursing-assistant": [
        { item: "training", fen: 150_000, confirmed: false },
        { item: "appraisal", fen: 20_000, confirmed: true },
      ],
      "caregiver-instructor": [{ item: "training", fen: 500_000, confirmed: true }],
    },
  };

  it("a head is worth the sum of its items, each its own line", () => {
    expect(amountPerHead(vocational, "medical-nursing-assistant")).toBe(170_000);
    expect(amountPerHead(vocational, "family-caregiver")).toBeUndefined();
  });

  it("names the amounts still waiting for the issuer's confirmation, for the programmes asked about", () => {
    expect(unconfirmedAmounts(vocational)).toEqual([{ programCode: "medical-nursing-assistant", item: "training" }]);
    expect(unconfirmedAmounts(vocational, ["caregiver-instructor"])).toEqual([]);
  });

  it("eligibility pays the sum of the items", () => {
    const p: Policy = { ...policy, amounts: vocational.amounts };
    expect(eligibility(p, cert({ programCode: "medical-nursing-assistant" }), none())).toEqual({ eligible: true, amountFen: 170_000 });
  });
});

describe("a policy that pays only bases whose latest assessment passed", () => {
  const assessed = { ...policy, conditions: [...policy.conditions, "latest_assessment_passed" as const] };

  it("names a failed or missing assessment as the reason, and pays a base that passed", () => {
    const standing = (org: string) =>
      (org === "b-pass" ? "passed" : org === "b-fail" ? "failed" : "missing") as "passed" | "failed" | "missing";
    expect(eligibility(assessed, cert({ organisationId: "b-pass" }), none(), standing).eligible).toBe(true);
    expect(eligibility(assessed, cert({ organisationId: "b-fail" }), none(), standing)).toEqual({
      eligible: false,
      reasons: ["baseAssessmentFailed"],
    });
    expect(eligibility(assessed, cert({ organisationId: "b-new" }), none(), standing)).toEqual({
      eligible: false,
      reasons: ["baseAssessmentMissing"],
    });
    // Judged without standings, a base counts as not assessed; a policy without the condition does not ask.
    expect(eligibility(assessed, cert(), none())).toEqual({ eligible: false, reasons: ["baseAssessmentMissing"] });
    expect(eligibility(policy, cert(), none()).eligible).toBe(true);
  });
});
