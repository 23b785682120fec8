import { describe, expect, it } from "vitest";
import { dualCertificate, nurseNumberLooksRight, qualificationProblems, type DualFacts } from "../../app/domain/qualification";

const today = "2026-12-02";

describe("the nurse's practising certificate number", () => {
  it("is 12 to 15 digits opening with the year it was first issued", () => {
    expect(nurseNumberLooksRight("201533012345", today)).toBe(true);
    expect(nurseNumberLooksRight("202133010012345", today)).toBe(true);
    expect(nurseNumberLooksRight("20153301234", today)).toBe(false);
    expect(nurseNumberLooksRight("2015330123456789", today)).toBe(false);
    expect(nurseNumberLooksRight("20153301234X", today)).toBe(false);
    expect(nurseNumberLooksRight("198833012345", today)).toBe(false);
    expect(nurseNumberLooksRight("202733012345", today)).toBe(false);
  });
});

describe("a qualification as typed", () => {
  const ok = {
    kind: "nurse_practising",
    number: "201533012345",
    issuer: "浙江省卫生健康委员会",
    issuedOn: "2015-07-01",
    validUntil: "2030-06-30",
  };

  it("may be recorded when every field is right", () => {
    expect(qualificationProblems(ok, today)).toEqual({});
    expect(qualificationProblems({ ...ok, kind: "caregiver_vocational", number: "S000033010001234", validUntil: "" }, today)).toEqual({});
  });

  it("names each wrong field", () => {
    expect(qualificationProblems({ ...ok, number: "12345", issuer: " ", issuedOn: "2027-01-01", validUntil: "2014-01-01" }, today)).toEqual(
      {
        number: "qualification.nurseNumberForm",
        issuer: "qualification.issuerRequired",
        issuedOn: "qualification.dateInvalid",
        validUntil: "qualification.validBeforeIssued",
      },
    );
    expect(qualificationProblems({ ...ok, kind: "driving" }, today)).toMatchObject({ kind: "qualification.kindInvalid" });
  });
});

describe("the 双证 incentive", () => {
  const nurse = { kind: "nurse_practising" as const, status: "verified" as const, validUntil: "2030-06-30" };
  const facts = (over: Partial<DualFacts> = {}): DualFacts => ({
    qualifications: [nurse],
    caregiverCertificatesInForce: 1,
    worksInMemberInstitution: true,
    ...over,
  });

  it("is for a verified nurse holding a caregiver certificate, working in a 医养结合 institution", () => {
    expect(dualCertificate(facts(), today)).toEqual({ qualifies: true, reasons: [] });
    // A caregiver certificate from elsewhere counts once verified.
    expect(
      dualCertificate(
        facts({
          caregiverCertificatesInForce: 0,
          qualifications: [nurse, { kind: "caregiver_vocational", status: "verified", validUntil: null }],
        }),
        today,
      ).qualifies,
    ).toBe(true);
  });

  it("names every reason a person does not qualify", () => {
    expect(
      dualCertificate(facts({ qualifications: [], caregiverCertificatesInForce: 0, worksInMemberInstitution: false }), today).reasons,
    ).toEqual(["noNurseCertificate", "noCaregiverCertificate", "notInMemberInstitution"]);
    expect(dualCertificate(facts({ qualifications: [{ ...nurse, status: "pending" }] }), today).reasons).toEqual([
      "nurseCertificatePending",
    ]);
    expect(dualCertificate(facts({ qualifications: [{ ...nurse, status: "rejected" }] }), today).reasons).toEqual(["noNurseCertificate"]);
    expect(dualCertificate(facts({ qualifications: [{ ...nurse, validUntil: "2026-12-01" }] }), today).reasons).toEqual([
      "noNurseCertificate",
    ]);
  });
});
