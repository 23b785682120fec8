import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { certificates, claimLines, claims, users } from "../../db/schema";
import { checkCharacter, parseResidentId } from "../../app/domain/resident-id";
import { capitalAmount } from "../../app/domain/money";
import { emptyTallyRow } from "../../app/domain/subsidy";
import { renderClaimForm } from "../../app/pdf/claim-form.server";
import { translator } from "../../app/i18n/messages";
import { claimRosterCsv, claimRosterWorkbook } from "../../app/services/spreadsheets.server";
import ExcelJS from "exceljs";
import { issueCertificate, reissueCertificate, revokeCertificate } from "../../app/services/certificates.server";
import { designateBase } from "../../app/services/organisations.server";
import { today } from "../../app/services/clock.server";
import { assignRole } from "../../app/services/users.server";
import { seedDemoActivity } from "../../app/demo/demo-activity.server";
import { claimableHeads, policyByCode, policyTally } from "../../app/services/subsidy/eligibility.server";
import {
  createClaim,
  decideClaim,
  decideLine,
  markPaid,
  removeLine,
  submitClaim,
  withdrawClaim,
} from "../../app/services/subsidy/claim-steps.server";
import { claimDetail, claimList } from "../../app/services/subsidy/claim-views.server";
import { cohortWithTrainees, completeEnrolment, orgId, userId, withDemoData, passAssessment } from "./fixtures";

const policy = () => policyByCode("instructor-training-subsidy")!;
const period2026 = { from: "2026-01-01", to: "2026-12-31" };

beforeAll(async () => {
  await withDemoData();
  await seedDemoActivity();
  passAssessment("BASE-FY");
  // A second 富阳 base, designated by 富阳's health bureau, for people trained at two bases.
  designateBase(userId("reviewer.fy"), orgId("BUREAU-FY"), orgId("BASE-FY-XD"), {
    number: "富卫医养培〔2025〕2号",
    status: "accredited",
    hostName: "富阳区新登镇中心卫生院",
    hostKind: "primary_care_institution",
    validFrom: "2025-01-01",
    validTo: "2027-12-31",
    effectiveFrom: "2025-01-01",
    note: "",
  });
  passAssessment("BASE-FY-XD");
}, 60_000);

function runRace(startAt: number) {
  return new Promise<{ result: { ok: boolean; errors?: { _form?: string } }; heads: number }>((resolve, reject) => {
    const args = [process.env.DATABASE_PATH!, String(startAt), orgId("BASE-FY"), userId("finance.fy"), "vocational-training-subsidy"];
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/claim-race.ts", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (err += c));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(err))));
  });
}

/** Words printed taller than 60 pt, as poppler reads them off the page (a watermark, not the form's text). */
function largeWords(file: string): string[] {
  const boxes = execFileSync("pdftotext", ["-bbox", file, "-"], { encoding: "utf8" });
  return [...boxes.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
    .filter((m) => Number(m[4]) - Number(m[2]) > 60)
    .map((m) => m[5]);
}

describe("claims", () => {
  it("start from demo people whose ID numbers are valid", () => {
    const ids = db()
      .select()
      .from(users)
      .all()
      .map((u) => u.idNumber)
      .filter((id): id is string => !!id);
    expect(ids.length).toBeGreaterThan(30);
    for (const id of ids) expect(parseResidentId(id, "2026-11-23"), id).toMatchObject({ ok: true });
  });

  it("refuse heads beyond a hard cap and flag heads beyond the target", () => {
    const p = policy();
    const saved = { target: p.target, hardCap: p.hardCap };
    try {
      Object.assign(p, { target: 1, hardCap: 30 });
      const { eligible } = claimableHeads(p, orgId("BASE-FY"), { from: "2025-01-01", to: "2027-12-31" });
      expect(eligible.length).toBeGreaterThan(0);
      expect(eligible.every((h) => h.beyondTarget)).toBe(true);
      Object.assign(p, { hardCap: 1 });
      const capped = claimableHeads(p, orgId("BASE-FY"), { from: "2025-01-01", to: "2027-12-31" }).eligible;
      expect(capped.every((h) => h.beyondCap)).toBe(true);
      expect(
        createClaim(
          userId("finance.fy"),
          p.code,
          orgId("BASE-FY"),
          { from: "2025-01-01", to: "2027-12-31" },
          capped.map((h) => h.certificateId),
        ),
      ).toMatchObject({ ok: false, errors: { _form: "claim.beyondCap" } });
    } finally {
      Object.assign(p, saved);
    }
  });

  it("are filled with the eligible, unclaimed heads of the base and period", () => {
    const { eligible } = claimableHeads(policy(), orgId("BASE-FY"), period2026);
    expect(eligible).toHaveLength(10);
    expect(eligible.every((h) => h.amountFen === 500_000 && !h.beyondTarget)).toBe(true);
    // The 2025 cohort was claimed and paid in the demo.
    expect(claimableHeads(policy(), orgId("BASE-FY"), { from: "2025-01-01", to: "2025-12-31" }).eligible).toEqual([]);
  });

  it("go from draft through review to paid, with every step in the history, and totals from the lines", () => {
    const heads = claimableHeads(policy(), orgId("BASE-FY"), period2026).eligible;
    const created = createClaim(
      userId("finance.fy"),
      policy().code,
      orgId("BASE-FY"),
      period2026,
      heads.map((h) => h.certificateId),
    );
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const id = created.value;
    let detail = claimDetail(id);
    expect(detail.totalSubjects).toBe(10);
    expect(detail.totalFen).toBe(detail.lines.reduce((n, l) => n + l.amountFen, 0));
    expect(capitalAmount(detail.totalFen)).toBe("伍万元整");
    // The claim is 富阳区卫生健康局's to decide: the policy's issuer.
    expect(detail.issuer).toBe("富阳区卫生健康局");

    const first = detail.lines[0];
    expect(removeLine(userId("finance.fy"), id, first.id, "证书信息待核")).toEqual({ ok: true, value: true });
    expect(submitClaim(userId("finance.fy"), id)).toEqual({ ok: true, value: true });
    expect(removeLine(userId("finance.fy"), id, detail.lines[1].id, "太晚了")).toEqual({
      ok: false,
      errors: { _form: "claim.wrongState" },
    });

    expect(decideClaim(userId("reviewer.fy"), id, false, "请补充培训记录")).toEqual({ ok: true, value: true });
    detail = claimDetail(id);
    expect(detail.claim).toMatchObject({ status: "draft", rejectionReason: "请补充培训记录" });
    expect(submitClaim(userId("finance.fy"), id)).toEqual({ ok: true, value: true });

    expect(decideLine(userId("reviewer.fy"), id, detail.lines[1].id, false, "考勤不足")).toEqual({ ok: true, value: true });
    expect(decideClaim(userId("reviewer.fy"), id, true, "")).toEqual({ ok: true, value: true });
    expect(markPaid(userId("reviewer.fy"), id, { paidOn: today(), reference: "富财拨〔2026〕88号" })).toEqual({ ok: true, value: true });
    detail = claimDetail(id);
    expect(detail.claim.status).toBe("paid");
    expect(detail.lines.map((l) => l.status).sort()).toEqual([
      "approved",
      "approved",
      "approved",
      "approved",
      "approved",
      "approved",
      "approved",
      "approved",
      "rejected",
      "removed",
    ]);
    expect(detail.totalSubjects).toBe(8);
    expect(detail.totalFen).toBe(4_000_000);
    expect(detail.history.map((h) => h.action)).toEqual([
      "claim.create",
      "claim.remove-line",
      "claim.submit",
      "claim.reject",
      "claim.submit",
      "claim.reject-line",
      "claim.approve",
      "claim.paid",
    ]);

    // The removed and rejected heads are free to claim again; the approved ones are not.
    expect(claimableHeads(policy(), orgId("BASE-FY"), period2026).eligible).toHaveLength(2);
    const tallied = policyTally(policy(), orgId("BASE-FY")).total;
    expect(tallied).toMatchObject({ eligibleHeads: 2, paidHeads: 20, paidFen: 10_000_000 });
  });

  it("count a person with two certificates of one occupation and level once, at any base", async () => {
    const head = claimableHeads(policy(), orgId("BASE-FY"), period2026).eligible[0];
    const person = db().select().from(users).where(eq(users.id, head.userId)).get()!;
    const districtBefore = policyTally(policy()).total.eligibleHeads;
    // The same person trains again at another base and is certified there too.
    const { enrolmentIds } = await cohortWithTrainees(
      "BASE-FY-XD",
      [{ name: person.name, mobile: person.mobile!, idNumber: person.idNumber! }],
      "caregiver-instructor",
    );
    const original = db().select().from(certificates).where(eq(certificates.id, head.certificateId)).get()!;
    const second = {
      ...original,
      id: randomUUID(),
      serial: "2026-TEST-0002-0",
      enrolmentId: enrolmentIds[0],
      organisationId: orgId("BASE-FY-XD"),
      completionDate: "2026-10-01",
    };
    db().insert(certificates).values(second).run();
    expect(policyTally(policy()).total.eligibleHeads).toBe(districtBefore);
    // Each base's own figures are its row of the district's judgement, so they add up to the district.
    const district = policyTally(policy());
    for (const base of ["BASE-FY", "BASE-FY-XD"]) {
      expect(policyTally(policy(), orgId(base)).total).toEqual(district.byBase.get(orgId(base)) ?? emptyTallyRow());
    }

    const created = createClaim(userId("finance.fy"), policy().code, orgId("BASE-FY"), period2026, [head.certificateId]);
    expect(created.ok).toBe(true);
    const atXinDeng = claimableHeads(policy(), orgId("BASE-FY-XD"), period2026);
    expect(atXinDeng.eligible.map((h) => h.certificateId)).not.toContain(second.id);
    expect(atXinDeng.ineligible.find((h) => h.certificateId === second.id)?.reasons).toEqual(["alreadySubsidised"]);
    // Whatever the code does, the database holds one line per person, occupation and level.
    const line = db()
      .select()
      .from(claimLines)
      .where(and(eq(claimLines.certificateId, head.certificateId), eq(claimLines.status, "included")))
      .get()!;
    expect(() =>
      db()
        .insert(claimLines)
        .values({ ...line, id: undefined, certificateId: second.id })
        .run(),
    ).toThrow(/UNIQUE constraint failed: claim_lines/);
  });

  it("never count a head of a base outside the issuer's region, nor let that base claim", () => {
    // 拱墅's own instructor cohort is certified, but 富阳's policy does not reach 拱墅.
    const gongshu = db()
      .select()
      .from(certificates)
      .where(eq(certificates.organisationId, orgId("BASE-GERI")))
      .all();
    expect(gongshu.filter((c) => c.programCode === "caregiver-instructor").length).toBeGreaterThan(0);
    expect(policyTally(policy()).byBase.has(orgId("BASE-GERI"))).toBe(false);
    expect(claimableHeads(policy(), orgId("BASE-GERI"), { from: "2025-01-01", to: "2027-12-31" })).toEqual({
      eligible: [],
      ineligible: [],
    });
    expect(() =>
      createClaim(
        userId("finance"),
        policy().code,
        orgId("BASE-GERI"),
        period2026,
        gongshu.map((c) => c.id),
      ),
    ).toThrow(expect.objectContaining({ status: 404 }));
  });

  it("do not count the reissued certificate of a paid head as a new head", async () => {
    const paid = db().select().from(claimLines).where(eq(claimLines.status, "approved")).get()!;
    if (!paid.certificateId) throw new Error("a head line names its certificate");
    const before = policyTally(policy());
    const reissued = await reissueCertificate(userId("admin"), paid.certificateId, "姓名更正");
    if (!reissued.ok) throw new Error(reissued.errors._form);
    const after = policyTally(policy());
    expect(after.total.eligibleHeads).toBe(before.total.eligibleHeads);
    expect(after.total.paidHeads).toBe(before.total.paidHeads);
    const base = db().select().from(certificates).where(eq(certificates.id, reissued.value)).get()!.organisationId;
    const { eligible, ineligible } = claimableHeads(policy(), base, { from: "2025-01-01", to: "2027-12-31" });
    expect(eligible.map((h) => h.certificateId)).not.toContain(reissued.value);
    expect(ineligible.find((h) => h.certificateId === reissued.value)?.reasons).toEqual(["alreadySubsidised"]);
  });

  it("never hold the same head twice: the database refuses a second open line", () => {
    const line = db().select().from(claimLines).where(eq(claimLines.status, "approved")).get()!;
    expect(() =>
      db()
        .insert(claimLines)
        .values({ ...line, id: undefined, status: "included" })
        .run(),
    ).toThrow(/UNIQUE constraint failed: claim_lines/);
  });

  it("refuse a claim for heads another claim took, changing nothing", () => {
    const heads = claimableHeads(policy(), orgId("BASE-FY"), period2026).eligible.map((h) => h.certificateId);
    const before = db().select().from(claims).all().length;
    expect(createClaim(userId("finance.fy"), policy().code, orgId("BASE-FY"), period2026, heads).ok).toBe(true);
    const taken = createClaim(userId("finance.fy"), policy().code, orgId("BASE-FY"), period2026, heads);
    expect(taken).toMatchObject({ ok: false, errors: { _form: "claim.headTaken" } });
    // The message names who was taken.
    expect(!taken.ok && taken.params?._form?.names).toBeTruthy();
    expect(db().select().from(claims).all().length).toBe(before + 1);
  });

  it("let exactly one of two claims submitted at the same moment from two processes have the heads", async () => {
    const startAt = Date.now() + 5000;
    const [a, b] = await Promise.all([runRace(startAt), runRace(startAt)]);
    const outcomes = [a.result, b.result].map((r) => (r.ok ? "ok" : r.errors?._form)).sort();
    // Normally both read the six heads before either writes, and the database refuses the loser.
    // On a very busy machine one process may start late and find nothing left to claim.
    expect(outcomes[1]).toBe("ok");
    expect(["claim.headTaken", "claim.noHeads"]).toContain(outcomes[0]);
    expect(Math.max(a.heads, b.heads)).toBe(6);
    const fy = db()
      .select()
      .from(claims)
      .where(and(eq(claims.organisationId, orgId("BASE-FY")), eq(claims.policyCode, "vocational-training-subsidy")))
      .all();
    expect(fy).toHaveLength(1);
    // Each head is two lines: the training subsidy and the appraisal subsidy beside it.
    const lines = db().select().from(claimLines).where(eq(claimLines.claimId, fy[0].id)).all();
    expect(lines.map((l) => l.item).sort()).toEqual([...Array(6).fill("appraisal"), ...Array(6).fill("training")]);
    expect(claimDetail(fy[0].id)).toMatchObject({ totalSubjects: 6, totalFen: 6 * 170_000 });
  }, 30_000);

  it("flag a line whose certificate was revoked after it was claimed", () => {
    const fy = db()
      .select()
      .from(claims)
      .where(and(eq(claims.organisationId, orgId("BASE-FY")), eq(claims.policyCode, "vocational-training-subsidy")))
      .get()!;
    const line = db().select().from(claimLines).where(eq(claimLines.claimId, fy.id)).get()!;
    if (!line.certificateId) throw new Error("a head line names its certificate");
    revokeCertificate(userId("admin"), line.certificateId, "issuedInError", "考核记录有误");
    const flagged = claimDetail(fy.id).lines.filter((l) => l.flagged);
    expect(flagged.map((l) => l.certificateId)).toEqual([line.certificateId, line.certificateId]);
    // The reviewer's list says so before the claim is opened, counting heads, not lines.
    expect(claimList({ status: ["draft", "submitted"] }).claims.find((c) => c.id === fy.id)).toMatchObject({ subjects: 6, flagged: 1 });
    expect(db().select().from(certificates).where(eq(certificates.id, line.certificateId)).get()!.revokedAt).not.toBeNull();
  });
});

describe("claim review", () => {
  const vocational = () => policyByCode("vocational-training-subsidy")!;
  let n = 0;
  /** A draft vocational claim for medical nursing assistants freshly certified at 富阳's base. */
  async function draftClaim(size: number) {
    const people = Array.from({ length: size }, () => {
      n++;
      const first17 = `33018319900101${String(500 + n).padStart(3, "0")}`;
      return { name: `复核学员${n}`, mobile: `1390000${String(1000 + n).padStart(4, "0")}`, idNumber: first17 + checkCharacter(first17) };
    });
    const { cohort, enrolmentIds } = await cohortWithTrainees("BASE-FY", people, "medical-nursing-assistant");
    const heads: string[] = [];
    for (const e of enrolmentIds) {
      await completeEnrolment(cohort, e);
      const issued = await issueCertificate(userId("registrar.fy"), e);
      if (!issued.ok) throw new Error(issued.errors._form);
      heads.push(issued.value);
    }
    const period = { from: today(), to: today() };
    const claimable = claimableHeads(vocational(), orgId("BASE-FY"), period).eligible.map((h) => h.certificateId);
    expect(claimable).toEqual(expect.arrayContaining(heads));
    const created = createClaim(userId("finance.fy"), vocational().code, orgId("BASE-FY"), period, heads);
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    return created.value;
  }
  /** The same, submitted: the bureau's amounts confirmed for the length of these tests. */
  async function submittedClaim(size: number) {
    const id = await draftClaim(size);
    expect(submitClaim(userId("finance.fy"), id)).toEqual({ ok: true, value: true });
    return id;
  }

  let unconfirmedDraft = "";
  beforeAll(async () => {
    unconfirmedDraft = await draftClaim(1);
    // 富阳区人社局 has now published its amounts: in a deployment, `confirmed: true` in the policy file.
    for (const items of Object.values(vocational().amounts)) for (const a of items) a.confirmed = true;
  }, 60_000);
  afterAll(() => {
    for (const items of Object.values(vocational().amounts)) for (const a of items) a.confirmed = false;
  });

  it("refuse to submit amounts the issuing authority has not confirmed, naming it, and print the form marked so", async () => {
    for (const items of Object.values(vocational().amounts)) for (const a of items) a.confirmed = false;
    try {
      expect(submitClaim(userId("finance.fy"), unconfirmedDraft)).toEqual({
        ok: false,
        errors: { _form: "claim.amountUnconfirmed" },
        params: { _form: { authority: "富阳区人力资源和社会保障局", items: "培训补贴、鉴定补贴" } },
      });
      const detail = claimDetail(unconfirmedDraft);
      expect(detail).toMatchObject({ unconfirmed: true, issuer: "富阳区人力资源和社会保障局", claim: { status: "draft" } });
      const dir = mkdtempSync(path.join(tmpdir(), "claim-form-"));
      writeFileSync(path.join(dir, "form.pdf"), await renderClaimForm(detail, today()));
      const text = execFileSync("pdftotext", [path.join(dir, "form.pdf"), "-"], { encoding: "utf8" }).replace(/\s/g, "");
      expect(text).toContain("补助金额为示例值，尚待富阳区人力资源和社会保障局确认");
      expect(text).toContain("受理机关：富阳区人力资源和社会保障局");
      // Printed while still a draft: 草稿 across the page, in letters far larger than any text of the form.
      expect(largeWords(path.join(dir, "form.pdf"))).toEqual(expect.arrayContaining(["草", "稿"]));
    } finally {
      for (const items of Object.values(vocational().amounts)) for (const a of items) a.confirmed = true;
    }
    expect(submitClaim(userId("finance.fy"), unconfirmedDraft)).toEqual({ ok: true, value: true });
  });

  it("let no one who prepared a claim decide it or record its payment", async () => {
    const id = await submittedClaim(1);
    // A finance officer who is also a reviewer still may not approve their own claim.
    assignRole(userId("admin"), userId("finance.fy"), orgId("HRSS-FY"), "reviewer");
    expect(decideClaim(userId("finance.fy"), id, true, "")).toEqual({ ok: false, errors: { _form: "claim.ownClaim" } });
    expect(decideLine(userId("finance.fy"), id, claimDetail(id).lines[0].id, true, "")).toEqual({
      ok: false,
      errors: { _form: "claim.ownClaim" },
    });
    expect(decideClaim(userId("reviewer.hr"), id, true, "")).toEqual({ ok: true, value: true });
    expect(markPaid(userId("finance.fy"), id, { paidOn: today(), reference: "X-1" })).toEqual({
      ok: false,
      errors: { _form: "claim.ownClaim" },
    });
    expect(claimDetail(id).claim.status).toBe("approved");
  });

  it("refuse to approve a claim with no line left, or a line whose certificate was revoked", async () => {
    const empty = await submittedClaim(1);
    const both = claimDetail(empty).lines;
    expect(both).toHaveLength(2);
    expect(decideLine(userId("reviewer.hr"), empty, 999_999, false, "不存在")).toEqual({
      ok: false,
      errors: { _form: "claim.lineNotFound" },
    });
    for (const line of both)
      expect(decideLine(userId("reviewer.hr"), empty, line.id, false, "材料不全")).toEqual({ ok: true, value: true });
    expect(decideClaim(userId("reviewer.hr"), empty, true, "")).toEqual({ ok: false, errors: { _form: "claim.nothingToApprove" } });
    expect(claimDetail(empty).claim.status).toBe("submitted");

    const id = await submittedClaim(2);
    const lines = claimDetail(id).lines;
    const revokedHead = lines[0].certificateId!;
    const revoked = lines.filter((l) => l.certificateId === revokedHead);
    const kept = lines.filter((l) => l.certificateId !== revokedHead);
    revokeCertificate(userId("admin"), revokedHead, "issuedInError", "考核记录有误");
    expect(decideClaim(userId("reviewer.hr"), id, true, "")).toEqual({ ok: false, errors: { _form: "claim.flaggedUndecided" } });
    expect(decideLine(userId("reviewer.hr"), id, revoked[0].id, true, "")).toEqual({ ok: false, errors: { _form: "claim.flaggedLine" } });
    for (const line of revoked)
      expect(decideLine(userId("reviewer.hr"), id, line.id, false, "证书已撤销")).toEqual({ ok: true, value: true });
    expect(decideClaim(userId("reviewer.hr"), id, true, "")).toEqual({ ok: true, value: true });
    const detail = claimDetail(id);
    expect(kept.map((k) => detail.lines.find((l) => l.id === k.id)?.status)).toEqual(["approved", "approved"]);
    expect(detail.totalSubjects).toBe(1);
    expect(detail.history.find((h) => h.action === "claim.reject-line")).toMatchObject({
      reason: "证书已撤销",
      line: expect.stringContaining(revoked[0].reference),
    });
  });

  it("record a payment only on a real date between the approval and today, with a reference", async () => {
    const id = await submittedClaim(1);
    expect(decideClaim(userId("reviewer.hr"), id, true, "")).toEqual({ ok: true, value: true });
    const pay = (paidOn: string, reference = "富人社拨〔2026〕7号") => markPaid(userId("reviewer.hr"), id, { paidOn, reference });
    expect(pay("not-a-date")).toEqual({ ok: false, errors: { paidOn: "error.date" } });
    expect(pay("2026-02-30")).toEqual({ ok: false, errors: { paidOn: "error.date" } });
    expect(pay("2099-01-01")).toEqual({ ok: false, errors: { paidOn: "claim.paidInFuture" } });
    expect(pay("2020-01-01")).toEqual({ ok: false, errors: { paidOn: "claim.paidBeforeApproval" } });
    expect(pay(today(), "  ")).toEqual({ ok: false, errors: { reference: "error.required" } });
    expect(claimDetail(id).claim.status).toBe("approved");
    expect(pay(today())).toEqual({ ok: true, value: true });
    expect(claimDetail(id).claim).toMatchObject({ status: "paid", paidOn: today(), paymentReference: "富人社拨〔2026〕7号" });
  });

  it("print the claim form inside the page, with every line, the total in capitals and the signature lines", async () => {
    const id = await submittedClaim(3);
    const detail = claimDetail(id);
    const pdf = await renderClaimForm(detail, today());
    const dir = mkdtempSync(path.join(tmpdir(), "claim-form-"));
    const file = path.join(dir, "form.pdf");
    writeFileSync(file, pdf);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    for (const l of detail.lines) {
      expect(text).toContain(l.reference);
      expect(text).toContain(l.idNumber!);
    }
    expect(text).toContain("医疗护理员培训");
    expect(text).not.toContain("示例值");
    expect(largeWords(file)).toEqual([]);
    expect(text).toContain(`大写：${capitalAmount(detail.totalFen)}`);
    expect(text).toContain("财务负责人（签字）");
    // Every word ends inside the right margin of the A4 page (595 pt wide, 48 pt margins).
    const boxes = execFileSync("pdftotext", ["-bbox", file, "-"], { encoding: "utf8" });
    const rightEdges = [...boxes.matchAll(/xMax="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(rightEdges.length).toBeGreaterThan(20);
    expect(Math.max(...rightEdges)).toBeLessThanOrEqual(595 - 48 + 1);
  });

  it("export the roster with amounts Excel can add up, and no cell a spreadsheet would run as a formula", async () => {
    const detail = claimDetail(await submittedClaim(2));
    const lines = detail.lines.map((l, i) => ({ ...l, name: i === 0 ? '=HYPERLINK("http://x")' : l.name }));
    const t = translator("zh-CN");
    const csv = claimRosterCsv(detail.kind, lines, t);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(
      csv
        .split("\r\n")
        .slice(1, -1)
        .reduce((n, r) => n + Math.round(Number(r.split(",").at(-2)) * 100), 0),
    ).toBe(detail.totalFen);

    const workbook = new ExcelJS.Workbook();
    const xlsx = await claimRosterWorkbook("申报名单", detail.kind, lines, detail.totalFen, t);
    await workbook.xlsx.load(xlsx.buffer.slice(xlsx.byteOffset, xlsx.byteOffset + xlsx.byteLength) as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    // Two heads, two lines each (training and appraisal).
    const amounts = [3, 4, 5, 6].map((r) => sheet.getRow(r).getCell(8).value);
    expect(amounts.every((v) => typeof v === "number")).toBe(true);
    expect((amounts as number[]).reduce((a, b) => a + b, 0) * 100).toBeCloseTo(detail.totalFen, 6);
    expect(sheet.getRow(7).getCell(8).value).toMatchObject({ formula: "SUM(H3:H6)", result: detail.totalFen / 100 });
    expect([3, 4].map((r) => sheet.getRow(r).getCell(5).value)).toEqual(["培训补贴", "鉴定补贴"]);
    expect(sheet.getRow(3).getCell(2).value).toBe('=HYPERLINK("http://x")');
  });

  it("withdraw a draft, freeing its heads and keeping its record", async () => {
    const id = await submittedClaim(1);
    expect(withdrawClaim(userId("finance.fy"), id, "重复")).toEqual({ ok: false, errors: { _form: "claim.wrongState" } });
    const [line] = claimDetail(id).lines;
    // A line approved on its own, then the claim sent back: the line is open again, not held as approved.
    expect(decideLine(userId("reviewer.hr"), id, line.id, true, "")).toEqual({ ok: true, value: true });
    expect(decideClaim(userId("reviewer.hr"), id, false, "请核对")).toEqual({ ok: true, value: true });
    expect(claimDetail(id).lines[0].status).toBe("included");
    expect(withdrawClaim(userId("finance.fy"), id, "改为下季度申报")).toEqual({ ok: true, value: true });
    const detail = claimDetail(id);
    expect(detail.claim.status).toBe("withdrawn");
    expect(detail.lines[0]).toMatchObject({ status: "removed", reason: "改为下季度申报" });
    expect(detail.totalFen).toBe(0);
    expect(detail.history.at(-1)).toMatchObject({ action: "claim.withdraw", reason: "改为下季度申报" });
    const free = claimableHeads(vocational(), orgId("BASE-FY"), { from: today(), to: today() }).eligible.map((h) => h.certificateId);
    expect(free).toContain(line.certificateId);
    expect(submitClaim(userId("finance.fy"), id)).toEqual({ ok: false, errors: { _form: "claim.wrongState" } });
  });

  it("keep each certificate's count of the claim lines holding it, through every step above", () => {
    const drift = db()
      .$client.prepare(
        `select count(*) from certificates c
         where c.claim_holds != (select count(*) from claim_lines l where l.certificate_id = c.id and l.status in ('included', 'approved'))`,
      )
      .pluck()
      .get();
    expect(drift).toBe(0);
    expect(db().$client.prepare("select count(*) from certificates where claim_holds > 0").pluck().get()).toBeGreaterThan(20);
  });
});
