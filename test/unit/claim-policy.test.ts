import { describe, expect, it } from "vitest";
import {
  cohortGrantEligibility,
  hasPlaceholder,
  unconfirmedItems,
  type CohortGrantPolicy,
  type DualCertificatePolicy,
} from "../../app/domain/claim-policy";
import type { Policy } from "../../app/domain/subsidy";

const common = {
  title: "t",
  titleEn: "t",
  source: { title: "实施意见", document: "001", section: "二(七)1", quote: "q" },
  issuer: { regionCode: "330111", authority: "hr_bureau" as const },
  window: { from: "2025-01-01", to: "2027-12-31" },
};
const grant: CohortGrantPolicy = {
  ...common,
  kind: "cohort_grant",
  code: "grant",
  programmes: ["medical-nursing-assistant"],
  minimumCertified: 5,
  fen: 1_000_000,
  confirmed: false,
};
const dual: DualCertificatePolicy = { ...common, kind: "dual_certificate", code: "dual", fen: 200_000, confirmed: true };
const perHead: Policy = {
  ...common,
  kind: "per_head",
  code: "vocational",
  payee: "trainee",
  amounts: {
    "medical-nursing-assistant": [
      { item: "training", fen: 150_000, confirmed: true },
      { item: "appraisal", fen: 20_000, confirmed: false },
    ],
    "caregiver-instructor": [{ item: "training", fen: 500_000, confirmed: true }],
  },
  target: null,
  hardCap: null,
  conditions: ["certificate_in_force", "once_per_person_occupation_level"],
};

describe("a cohort grant", () => {
  const cohort = { programCode: "medical-nursing-assistant", endDate: "2026-08-28", certifiedInForce: 6 };

  it("pays for an ended cohort of a listed programme, inside the window, with enough certified trainees", () => {
    expect(cohortGrantEligibility(grant, cohort, "2026-12-02")).toEqual({ eligible: true, reasons: [] });
  });

  it("names every reason a cohort does not count", () => {
    expect(
      cohortGrantEligibility(grant, { programCode: "family-caregiver", endDate: "2026-12-02", certifiedInForce: 4 }, "2026-12-02"),
    ).toEqual({
      eligible: false,
      reasons: ["programmeNotCovered", "cohortNotEnded", "tooFewCertified"],
    });
    expect(cohortGrantEligibility(grant, { ...cohort, endDate: "2024-12-31" }, "2026-12-02").reasons).toEqual(["outsideWindow"]);
    // The last day of the cohort is still a training day: it has ended the day after.
    expect(cohortGrantEligibility(grant, { ...cohort, endDate: "2026-12-01" }, "2026-12-02").eligible).toBe(true);
    expect(cohortGrantEligibility(grant, { ...cohort, certifiedInForce: 5 }, "2026-12-02").eligible).toBe(true);
  });
});

describe("placeholder amounts", () => {
  it("are named by item for the programmes a per-head claim holds, and per policy for flat-rate kinds", () => {
    expect(unconfirmedItems(perHead, ["medical-nursing-assistant"])).toEqual(["appraisal"]);
    expect(unconfirmedItems(perHead, ["caregiver-instructor"])).toEqual([]);
    expect(unconfirmedItems(grant, [])).toEqual(["cohort_grant"]);
    expect(unconfirmedItems(dual, [])).toEqual([]);
    expect([hasPlaceholder(perHead), hasPlaceholder(grant), hasPlaceholder(dual)]).toEqual([true, true, false]);
  });
});
