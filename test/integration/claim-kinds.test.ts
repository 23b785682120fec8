import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { claimLines, claims } from "../../db/schema";
import { awardPolicies, payingPolicyByCode } from "../../app/content/policies.server";
import type { CohortGrantPolicy, DualCertificatePolicy } from "../../app/domain/claim-policy";
import { designateAward } from "../../app/services/awards.server";
import { claimableSubjects } from "../../app/services/subsidy/claim-subjects.server";
import { claimDetail, claimList } from "../../app/services/subsidy/claim-views.server";
import { createClaim, decideClaim, markPaid, submitClaim, withdrawClaim } from "../../app/services/subsidy/claim-steps.server";
import { seedDemoActivity } from "../../app/demo/demo-activity.server";
import { today } from "../../app/services/clock.server";
import { addQualification } from "../../app/services/qualifications.server";
import { lineTotals } from "../../app/services/subsidy/eligibility.server";
import { renderClaimForm } from "../../app/pdf/claim-form.server";
import { orgId, userId, withDemoData } from "./fixtures";

beforeAll(async () => {
  await withDemoData();
  await seedDemoActivity();
}, 60_000);

const wide = { from: "2025-01-01", to: "2027-12-31" };
const confirmedBefore = new Map<string, boolean>();

/** The bureau confirms a placeholder amount (as it would by editing the policy file), for this test only. */
function confirm(code: string) {
  const policy = payingPolicyByCode(code) as DualCertificatePolicy | CohortGrantPolicy;
  confirmedBefore.set(code, policy.confirmed);
  policy.confirmed = true;
}
afterEach(() => {
  for (const [code, was] of confirmedBefore) (payingPolicyByCode(code) as DualCertificatePolicy).confirmed = was;
  confirmedBefore.clear();
});

/** Submitted by the base's finance, approved and paid by the bureau's reviewer: the one lifecycle every kind goes through. */
function submitApprovePay(claimId: string, reference: string) {
  expect(submitClaim(userId("finance.fy"), claimId)).toEqual({ ok: true, value: true });
  // Whoever prepared a claim may not decide it, whatever it pays for.
  expect(decideClaim(userId("finance.fy"), claimId, true, "")).toEqual({ ok: false, errors: { _form: "claim.ownClaim" } });
  expect(decideClaim(userId("reviewer.fy"), claimId, true, "")).toEqual({ ok: true, value: true });
  expect(markPaid(userId("reviewer.fy"), claimId, { paidOn: today(), reference })).toEqual({ ok: true, value: true });
  expect(claimDetail(claimId).claim.status).toBe("paid");
}

async function pdfText(claimId: string) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "claim-kind-")), "form.pdf");
  writeFileSync(file, await renderClaimForm(claimDetail(claimId), today()));
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
}

describe("a demonstration award", () => {
  const award = () => awardPolicies().get("demonstration-base-award")!;

  it("is claimed once by the designated organisation, decided and paid like any claim, and printed with its document number", async () => {
    const xd = orgId("BASE-FY-XD");
    expect(claimableSubjects(award(), xd, wide)).toEqual({ eligible: [], ineligible: [] });
    expect(() => createClaim(userId("finance.fy"), award().code, xd, wide, ["anything"])).toThrow(expect.objectContaining({ status: 404 }));
    const designated = designateAward(userId("reviewer.fy"), orgId("BUREAU-FY"), award(), {
      organisationId: xd,
      designatedOn: today(),
      documentNumber: "富卫老〔2026〕40号",
      reason: "基层带教示范",
    });
    if (!designated.ok) throw new Error(JSON.stringify(designated.errors));

    const { eligible } = claimableSubjects(award(), xd, wide);
    expect(eligible).toEqual([
      expect.objectContaining({
        key: designated.value,
        name: "富阳区新登镇中心卫生院医养结合培训基地",
        reference: "富卫老〔2026〕40号",
        amountFen: 5_000_000,
        idNumber: null,
      }),
    ]);
    const created = createClaim(userId("finance.fy"), award().code, xd, wide, [designated.value]);
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    // The same designation cannot be claimed twice: not listed again, refused if sent, refused by the database.
    expect(claimableSubjects(award(), xd, wide).eligible).toEqual([]);
    expect(createClaim(userId("finance.fy"), award().code, xd, wide, [designated.value])).toMatchObject({
      ok: false,
      errors: { _form: "claim.headTaken" },
    });
    expect(() =>
      db()
        .insert(claimLines)
        .values({ claimId: created.value, policyCode: award().code, awardDesignationId: designated.value, item: "award", amountFen: 1 })
        .run(),
    ).toThrow(/UNIQUE/);

    submitApprovePay(created.value, "富财拨〔2026〕77号");
    const detail = claimDetail(created.value);
    expect(detail).toMatchObject({ kind: "designation_award", totalSubjects: 1, totalFen: 5_000_000 });
    expect(detail.lines).toEqual([
      expect.objectContaining({
        item: "award",
        what: "区级医养结合机构示范基地",
        reference: "富卫老〔2026〕40号",
        date: today(),
        idNumber: null,
      }),
    ]);
    const text = await pdfText(created.value);
    expect(text).toContain("富卫老〔2026〕40号");
    expect(text).toContain("认定文号");
    expect(text).not.toContain("身份证号");
    expect(text).toContain("合计：1 项");
    // The dashboard's figures for the award are the sum of its lines.
    expect(lineTotals(xd).filter((l) => l.policyCode === award().code)).toEqual([
      { organisationId: xd, policyCode: award().code, state: "paid", count: 1, amountFen: 5_000_000 },
    ]);
  });

  it("cannot be a line without the designation it pays for", () => {
    const claim = db().select().from(claims).where(eq(claims.policyCode, "demonstration-base-award")).get()!;
    expect(() =>
      db().insert(claimLines).values({ claimId: claim.id, policyCode: claim.policyCode, item: "award", amountFen: 1 }).run(),
    ).toThrow(/CHECK constraint failed: claim_lines_subject/);
    expect(() =>
      db()
        .insert(claimLines)
        .values({ claimId: claim.id, policyCode: claim.policyCode, item: "training", amountFen: 1, awardDesignationId: "x" })
        .run(),
    ).toThrow(/CHECK/);
  });
});

describe("the 双证 incentive", () => {
  const code = "dual-certificate-incentive";
  const policy = () => payingPolicyByCode(code)!;

  it("lists the base's nurses who hold both certificates, and why another does not qualify", () => {
    const nurses = db()
      .$client.prepare("select u.name from qualifications q join users u on u.id = q.user_id where q.status = 'verified' order by u.name")
      .pluck()
      .all() as string[];
    expect(nurses).toHaveLength(2);
    // A trainee of the base records a nurse's certificate the registrar has not checked yet.
    const trainee = db()
      .$client.prepare(
        "select u.id, u.name from users u join enrolments e on e.user_id = u.id join cohorts k on k.id = e.cohort_id where k.organisation_id = ? and u.id not in (select user_id from qualifications) order by u.name limit 1",
      )
      .get(orgId("BASE-FY")) as { id: string; name: string };
    expect(
      addQualification(trainee.id, {
        kind: "nurse_practising",
        number: "202033011099",
        issuer: "浙江省卫生健康委员会",
        issuedOn: "2020-07-01",
        validUntil: "",
      }).ok,
    ).toBe(true);
    const { eligible, ineligible } = claimableSubjects(policy(), orgId("BASE-FY"), wide);
    expect(eligible.map((s) => s.name).sort()).toEqual(nurses);
    expect(eligible[0]).toMatchObject({
      what: "护士执业证书 + 护理员证书",
      amountFen: 200_000,
      idNumber: expect.stringMatching(/^\d{4}\*{10}[\dX]{4}$/),
    });
    expect(ineligible).toEqual([
      expect.objectContaining({
        key: trainee.id,
        name: trainee.name,
        reasons: expect.arrayContaining(["qualification.dual.nurseCertificatePending"]),
      }),
    ]);
  });

  it("is drafted but not submitted while its amount is a placeholder; once confirmed it is paid once per person", async () => {
    const base = orgId("BASE-FY");
    const keys = claimableSubjects(policy(), base, wide).eligible.map((s) => s.key);
    const created = createClaim(userId("finance.fy"), code, base, wide, keys);
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    expect(submitClaim(userId("finance.fy"), created.value)).toEqual({
      ok: false,
      errors: { _form: "claim.amountUnconfirmed" },
      params: { _form: { authority: "富阳区民政局", items: "双证激励" } },
    });
    confirm(code);
    submitApprovePay(created.value, "富民拨〔2026〕5号");
    expect(claimDetail(created.value)).toMatchObject({ kind: "dual_certificate", totalSubjects: 2, totalFen: 400_000 });
    const text = await pdfText(created.value);
    expect(text).toContain("护士执业证书编号");
    expect(text).toContain("合计：2 人");
    // Paid once: nobody is listed again, and the database refuses a second line for the person.
    expect(claimableSubjects(policy(), base, wide).eligible).toEqual([]);
    const line = db().select().from(claimLines).where(eq(claimLines.claimId, created.value)).get()!;
    expect(() =>
      db()
        .insert(claimLines)
        .values({
          claimId: created.value,
          policyCode: "another-incentive",
          userId: line.userId,
          qualificationId: line.qualificationId,
          item: "dual_certificate",
          amountFen: 1,
        })
        .run(),
    ).toThrow(/UNIQUE/);
  });
});

describe("the 人社 cohort grant", () => {
  const code = "hr-training-grant";
  const policy = () => payingPolicyByCode(code)!;

  it("pays a base per ended cohort of the listed programmes with a certified trainee, and says why a running cohort does not count", () => {
    const { eligible, ineligible } = claimableSubjects(policy(), orgId("BASE-FY"), wide);
    expect(eligible.map((s) => s.name)).toEqual([
      "2025年富阳第1期养老护理员师资培训班",
      "2026年富阳第2期养老护理员师资培训班",
      "2026年富阳第1期医疗护理员培训班",
    ]);
    expect(eligible[0]).toMatchObject({ reference: "取得证书 12 人", amountFen: 1_000_000, idNumber: null });
    expect(ineligible.every((s) => s.reasons.includes("claim.reason.cohort.cohortNotEnded"))).toBe(true);
    // Another district's base is not reached by 富阳's bureau.
    expect(claimableSubjects(policy(), orgId("BASE-GERI"), wide)).toEqual({ eligible: [], ineligible: [] });
  });

  it("goes through the one lifecycle: a withdrawn draft frees its cohorts, a paid cohort is never claimed again", () => {
    const base = orgId("BASE-FY");
    const [first, ...rest] = claimableSubjects(policy(), base, wide).eligible.map((s) => s.key);
    const draft = createClaim(userId("finance.fy"), code, base, wide, [first]);
    if (!draft.ok) throw new Error(JSON.stringify(draft.errors));
    expect(claimableSubjects(policy(), base, wide).eligible.map((s) => s.key)).toEqual(rest);
    expect(withdrawClaim(userId("finance.fy"), draft.value, "班级名单有误")).toEqual({ ok: true, value: true });
    expect(claimableSubjects(policy(), base, wide).eligible.map((s) => s.key)).toEqual([first, ...rest]);

    const claim = createClaim(userId("finance.fy"), code, base, wide, [first, ...rest]);
    if (!claim.ok) throw new Error(JSON.stringify(claim.errors));
    expect(submitClaim(userId("finance.fy"), claim.value)).toMatchObject({ ok: false, errors: { _form: "claim.amountUnconfirmed" } });
    confirm(code);
    submitApprovePay(claim.value, "富人社拨〔2026〕9号");
    expect(claimableSubjects(policy(), base, wide).eligible).toEqual([]);
    expect(claimList({ organisationId: base, policyCodes: [code] }).claims.find((c) => c.id === claim.value)).toMatchObject({
      kind: "cohort_grant",
      subjects: 3,
      totalFen: 3_000_000,
      status: "paid",
    });
    expect(
      db()
        .select()
        .from(claims)
        .where(and(eq(claims.policyCode, code), eq(claims.status, "withdrawn")))
        .all(),
    ).toHaveLength(1);
  });
});

describe("the claim lines table", () => {
  it("keeps the triggers that count a certificate's holds and mark the register changed", () => {
    const triggers = db()
      .$client.prepare("select name from sqlite_master where type = 'trigger' and tbl_name = 'claim_lines' order by name")
      .pluck()
      .all();
    expect(triggers).toEqual([
      "change_subsidy_claim_lines_delete",
      "change_subsidy_claim_lines_insert",
      "change_subsidy_claim_lines_update",
      "claim_lines_hold_delete",
      "claim_lines_hold_insert",
      "claim_lines_hold_update",
    ]);
  });
});
