import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { auditLog, enrolments, qualifications, roleAssignments } from "../../db/schema";
import { checkCharacter } from "../../app/domain/resident-id";
import { issueCertificate } from "../../app/services/certificates.server";
import { seedDemoActivity } from "../../app/demo/demo-activity.server";
import { designationsUnder } from "../../app/services/awards.server";
import { addQualification, decideQualification, dualCertificateRows, qualificationsAtBase } from "../../app/services/qualifications.server";
import { cohortWithTrainees, completeEnrolment, orgId, userId, withDemoData } from "./fixtures";

const id = (first17: string) => first17 + checkCharacter(first17);
const nurse = {
  kind: "nurse_practising",
  number: "201533010888",
  issuer: "浙江省卫生健康委员会",
  issuedOn: "2015-07-01",
  validUntil: "2030-06-30",
};
let person = "";
let enrolment = "";
let cohort: Awaited<ReturnType<typeof cohortWithTrainees>>["cohort"];

beforeAll(async () => {
  await withDemoData();
  const made = await cohortWithTrainees(
    "BASE-GERI",
    [{ name: "沈护士", mobile: "13612340001", idNumber: id("33010519880808123") }],
    "medical-nursing-assistant",
  );
  cohort = made.cohort;
  enrolment = made.enrolmentIds[0];
  person = db().select().from(enrolments).where(eq(enrolments.id, enrolment)).get()!.userId;
});

describe("recording a qualification", () => {
  it("refuses a number that is not a practising certificate's, beside the field, and records a right one as awaiting the check", () => {
    expect(addQualification(person, { ...nurse, number: "88888" })).toEqual({
      ok: false,
      errors: { number: "qualification.nurseNumberForm" },
    });
    const added = addQualification(person, nurse);
    expect(added.ok).toBe(true);
    expect(db().select().from(qualifications).where(eq(qualifications.userId, person)).all()).toMatchObject([
      { status: "pending", number: nurse.number },
    ]);
  });

  it("refuses the same certificate number recorded twice, by anyone", () => {
    expect(addQualification(userId("instructor"), nurse)).toEqual({ ok: false, errors: { number: "qualification.numberTaken" } });
  });
});

describe("checking it", () => {
  const pending = () => qualificationsAtBase(orgId("BASE-GERI")).find((q) => q.userId === person)!;

  it("is for the registrar of a base the person trained at, not another base's", () => {
    expect(() => decideQualification(userId("registrar.fy"), orgId("BASE-FY"), pending().id, true, "")).toThrow();
    expect(qualificationsAtBase(orgId("BASE-FY")).some((q) => q.userId === person)).toBe(false);
  });

  it("needs a reason to refuse, records the verdict once, and logs it", () => {
    expect(decideQualification(userId("registrar"), orgId("BASE-GERI"), pending().id, false, " ")).toEqual({
      ok: false,
      errors: { reason: "qualification.reasonRequired" },
    });
    expect(decideQualification(userId("registrar"), orgId("BASE-GERI"), pending().id, true, "")).toEqual({ ok: true, value: null });
    expect(pending().status).toBe("verified");
    expect(decideQualification(userId("registrar"), orgId("BASE-GERI"), pending().id, false, "复印件不清")).toEqual({
      ok: false,
      errors: { _form: "qualification.alreadyDecided" },
    });
    expect(db().select().from(auditLog).where(eq(auditLog.action, "qualification.verify")).all()).toHaveLength(1);
  });
});

describe("the 双证 list", () => {
  it("says why a verified nurse does not qualify yet, and that she does once she holds the caregiver certificate and works in a member institution", async () => {
    const row = () => dualCertificateRows(orgId("BASE-GERI")).find((r) => r.userId === person)!;
    expect(row().reasons).toContain("noCaregiverCertificate");
    await completeEnrolment(cohort, enrolment);
    expect((await issueCertificate(userId("registrar"), enrolment, "2026-12-01")).ok).toBe(true);
    db()
      .insert(roleAssignments)
      .values({ userId: person, organisationId: orgId("NH-HEMU"), role: "trainee" })
      .onConflictDoNothing()
      .run();
    expect(row()).toMatchObject({ qualifies: true, reasons: [] });
  });
});

describe("the demo", () => {
  it("has two of 富阳's 医疗护理员 graduates qualifying for the 双证 incentive", async () => {
    await seedDemoActivity();
    const rows = dualCertificateRows(orgId("BASE-FY"));
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.qualifies)).toBe(true);
  });

  it("has 富阳's base designated one of the district's two 示范基地", () => {
    const held = designationsUnder("demonstration-base-award");
    expect(held.map((d) => [d.organisationName, d.documentNumber])).toEqual([["富阳区医养结合培训基地", "富卫老〔2026〕18号"]]);
  });
});
