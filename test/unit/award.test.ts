import { describe, expect, it } from "vitest";
import { designationProblems, placesTaken, type AwardPolicy, type DesignationRequest } from "../../app/domain/award";

const award: AwardPolicy = {
  kind: "designation_award",
  code: "demo-base",
  title: "示范基地奖励",
  titleEn: "Award",
  source: { title: "t", document: "d", section: "二(五)2", quote: "q" },
  issuer: { regionCode: "330111", authority: "health_bureau" },
  designation: "示范基地",
  recipientKinds: ["training_base", "member_institution"],
  places: 2,
  fen: 5_000_000,
  confirmed: true,
  window: { from: "2025-01-01", to: "2027-12-31" },
};
const request = (over: Partial<DesignationRequest> = {}): DesignationRequest => ({
  organisationKind: "training_base",
  inRegion: true,
  alreadyDesignated: false,
  taken: 0,
  designatedOn: "2026-11-20",
  documentNumber: "富卫老〔2026〕18号",
  reason: "培训规范、带教质量高",
  ...over,
});

describe("designating under an award", () => {
  it("is allowed for an organisation of an eligible kind in the region, within the window and the places", () => {
    expect(designationProblems(award, request(), "2026-12-02")).toEqual({});
  });

  it("stops at the policy's number of places, and at one designation per organisation", () => {
    expect(designationProblems(award, request({ taken: 2 }), "2026-12-02")).toEqual({ _form: "award.noPlacesLeft" });
    expect(designationProblems(award, request({ taken: 1, alreadyDesignated: true }), "2026-12-02")).toEqual({
      organisationId: "award.alreadyDesignated",
    });
  });

  it("names each wrong field: kind, region, date outside the window or in the future, document and reason", () => {
    expect(designationProblems(award, request({ organisationKind: "health_bureau" }), "2026-12-02")).toEqual({
      organisationId: "award.kindNotEligible",
    });
    expect(designationProblems(award, request({ inRegion: false }), "2026-12-02")).toEqual({ organisationId: "award.outsideRegion" });
    expect(designationProblems(award, request({ designatedOn: "2024-12-31", documentNumber: " ", reason: "" }), "2026-12-02")).toEqual({
      designatedOn: "award.dateOutsideWindow",
      documentNumber: "award.documentRequired",
      reason: "award.reasonRequired",
    });
    expect(designationProblems(award, request({ designatedOn: "2026-12-03" }), "2026-12-02")).toEqual({
      designatedOn: "award.dateOutsideWindow",
    });
  });

  it("counts places taken against places available, in fen", () => {
    expect(placesTaken(award, 1)).toEqual({ taken: 1, places: 2, left: 1, takenFen: 5_000_000, availableFen: 10_000_000 });
    expect(placesTaken(award, 3).left).toBe(0);
  });
});
