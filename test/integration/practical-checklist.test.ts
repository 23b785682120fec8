import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db/client.server";
import { cohorts, enrolments, practicalAssessments, programVersions } from "../../db/schema";
import { checkCharacter } from "../../app/domain/resident-id";
import type { ProgramContent, ProgramRules } from "../../app/domain/program";
import { action, loader } from "../../app/routes/bases.$orgId.cohorts.$cohortId.practicals";
import { getCohort, type Cohort } from "../../app/services/cohorts.server";
import { enrolmentCompletion } from "../../app/services/completion.server";
import { contentOfVersion } from "../../app/services/program-versions.server";
import { cohortWithTrainees, contextFor, withDemoData } from "./fixtures";

let n = 0;
function person() {
  n++;
  const first17 = `33010519850307${String(100 + n)}`;
  return { name: `考核学员${n}`, mobile: `1365555${String(1000 + n)}`, idNumber: first17 + checkCharacter(first17) };
}

const paramsOf = (cohort: Cohort) => ({ orgId: cohort.organisationId, cohortId: cohort.id });

/** Posts the practicals form as a browser would; returns the saved record's id, or the form's errors. */
async function post(username: string, cohort: Cohort, fields: Record<string, string>, met: string[]) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  for (const code of met) body.append("met", code);
  const request = new Request(`http://localhost/bases/${cohort.organisationId}/cohorts/${cohort.id}/practicals`, { method: "POST", body });
  try {
    const reply = await action({ request, context: contextFor(username), params: paramsOf(cohort) });
    // The first message of each field, as the form shows it beside the field.
    const errors = Object.fromEntries(Object.entries(reply.error ?? {}).map(([field, messages]) => [field, messages?.[0]]));
    return { errors, savedId: null };
  } catch (thrown) {
    if (!(thrown instanceof Response) || thrown.status !== 302) throw thrown;
    const location = new URL(thrown.headers.get("Location")!, "http://localhost");
    return { errors: null, savedId: Number(location.searchParams.get("saved")), location };
  }
}

async function page(username: string, cohort: Cohort, query = "") {
  const request = new Request(`http://localhost/bases/${cohort.organisationId}/cohorts/${cohort.id}/practicals${query}`);
  return loader({ request, context: contextFor(username), params: paramsOf(cohort) });
}

const row = (id: number) => db().select().from(practicalAssessments).where(eq(practicalAssessments.id, id)).get()!;

let family: { cohort: Cohort; enrolmentIds: string[] };
let instructors: { cohort: Cohort; enrolmentIds: string[] };
beforeAll(async () => {
  await withDemoData();
  family = await cohortWithTrainees("BASE-GERI", [person(), person()]);
  instructors = await cohortWithTrainees("BASE-FY", [person()], "caregiver-instructor");
});

describe("a practical scored by its checklist, through the practicals page", () => {
  const transfer = () => contentOfVersion(family.cohort.programVersionId)!.skills.find((s) => s.code === "bed-wheelchair-transfer")!;
  const allBut = (...left: string[]) =>
    transfer()
      .items!.map((i) => i.code)
      .filter((c) => !left.includes(c));

  it("fails a transfer at 85 points when the brake was not applied, whatever verdict and score the form posted", async () => {
    const saved = await post(
      "registrar",
      family.cohort,
      {
        enrolmentId: family.enrolmentIds[0],
        skillCode: "bed-wheelchair-transfer",
        examiner: "王丽华",
        assessedOn: "2026-09-10",
        result: "pass",
        score: "100",
        passed: "true",
      },
      allBut("brake"),
    );
    expect(saved.errors).toBeNull();
    expect(row(saved.savedId!)).toMatchObject({ result: "fail", score: 85, examiner: "王丽华", examiner2: null });
    expect(JSON.parse(row(saved.savedId!).itemMarks!)).toMatchObject({ brake: false, position: true, "pivot-sit": true });
    const shown = await page("registrar", family.cohort, saved.location!.search);
    expect(shown.saved).toMatchObject({ result: "fail", score: 85, keyItemsFailed: ["刹车并翻起脚踏板"] });
    expect(shown.chosen!.code).toBe("bed-wheelchair-transfer");
    expect(shown.examiner).toBe("王丽华");
  });

  it("passes at exactly the pass score with every key item met, and the completion counts the stored verdict", async () => {
    // position (10) and back (10) missed: 80 of 100.
    const saved = await post(
      "registrar",
      family.cohort,
      { enrolmentId: family.enrolmentIds[0], skillCode: "bed-wheelchair-transfer", examiner: "王丽华", assessedOn: "2026-09-11" },
      allBut("position", "back"),
    );
    expect(row(saved.savedId!)).toMatchObject({ result: "pass", score: 80 });
    expect(enrolmentCompletion(family.enrolmentIds[0]).missing.some((m) => m.kind === "skill" && m.skill === transfer().title)).toBe(false);
  });

  it("fails one item below the pass score, and ignores item codes the checklist does not have", async () => {
    const saved = await post(
      "registrar",
      family.cohort,
      { enrolmentId: family.enrolmentIds[1], skillCode: "bed-wheelchair-transfer", examiner: "王丽华", assessedOn: "2026-09-11" },
      [...allBut("position", "knee-block"), "forged-item"],
    );
    expect(row(saved.savedId!)).toMatchObject({ result: "fail", score: 75 });
    expect(Object.keys(JSON.parse(row(saved.savedId!).itemMarks!))).not.toContain("forged-item");
  });

  it("asks for no second examiner outside the instructor programme", async () => {
    expect((await page("registrar", family.cohort)).examiners).toBe(1);
  });
});

describe("the instructor programme's practicals", () => {
  const fields = (examiner2?: string) => ({
    enrolmentId: instructors.enrolmentIds[0],
    skillCode: "hand-hygiene",
    examiner: "王丽华",
    assessedOn: "2026-09-12",
    ...(examiner2 === undefined ? {} : { examiner2 }),
  });
  const everything = () =>
    contentOfVersion(instructors.cohort.programVersionId)!
      .skills.find((s) => s.code === "hand-hygiene")!
      .items!.map((i) => i.code);
  const count = () => db().select().from(practicalAssessments).all().length;

  it("ask for a second examiner", async () => {
    expect((await page("registrar.fy", instructors.cohort)).examiners).toBe(2);
    const before = count();
    expect((await post("registrar.fy", instructors.cohort, fields(), everything())).errors).toEqual({
      examiner2: "practical.examiner2Required",
    });
    expect((await post("registrar.fy", instructors.cohort, fields("  "), everything())).errors).toEqual({
      examiner2: "practical.examiner2Required",
    });
    expect(count()).toBe(before);
  });

  it("refuse the same examiner named twice", async () => {
    const before = count();
    expect((await post("registrar.fy", instructors.cohort, fields("王 丽华"), everything())).errors).toEqual({
      examiner2: "practical.examinerSame",
    });
    expect(count()).toBe(before);
  });

  it("record both examiners, and list them together", async () => {
    const saved = await post("registrar.fy", instructors.cohort, fields("李明"), everything());
    expect(row(saved.savedId!)).toMatchObject({ result: "pass", score: 100, examiner: "王丽华", examiner2: "李明" });
    const shown = await page("registrar.fy", instructors.cohort, saved.location!.search);
    expect(shown.saved).toMatchObject({ examiners: "王丽华、李明", score: 100 });
    // The next trainee is assessed by the same two examiners without typing them again.
    expect([shown.examiner, shown.examiner2]).toEqual(["王丽华", "李明"]);
  });
});

describe("records made before checklists", () => {
  it("stay listed as pass or fail, without a score", async () => {
    const old = db()
      .insert(practicalAssessments)
      .values({
        enrolmentId: family.enrolmentIds[1],
        skillCode: "fall-response",
        result: "pass",
        examiner: "旧考官",
        assessedOn: "2026-09-05",
      })
      .returning({ id: practicalAssessments.id })
      .get();
    const shown = await page("registrar", family.cohort);
    expect(shown.records.find((r) => r.id === old.id)).toMatchObject({
      result: "pass",
      score: null,
      keyItemsFailed: [],
      examiners: "旧考官",
    });
  });

  it("and a cohort on a version published without checklists records pass or fail per skill, as before", async () => {
    const current = db().select().from(programVersions).where(eq(programVersions.id, family.cohort.programVersionId)).get()!;
    const rules = JSON.parse(current.rules) as ProgramRules;
    const content = JSON.parse(current.content!) as ProgramContent;
    // As version 1 was frozen before this change: no items, no pass score, no examiner setting.
    const oldContent = { ...content, skills: content.skills.map(({ code, title, criteria }) => ({ code, title, criteria })) };
    const inserted = db()
      .insert(programVersions)
      .values({
        programCode: current.programCode,
        version: 900,
        title: current.title,
        rules: JSON.stringify({ ...rules, version: 900 }),
        content: JSON.stringify(oldContent),
      })
      .returning({ id: programVersions.id })
      .get();
    // A cohort opened back then, on that version.
    const made = await cohortWithTrainees("BASE-GERI", [person()]);
    db().update(cohorts).set({ programVersionId: inserted.id }).where(eq(cohorts.id, made.cohort.id)).run();
    db().update(enrolments).set({ programVersionId: inserted.id }).where(eq(enrolments.cohortId, made.cohort.id)).run();
    const cohort = getCohort(made.cohort.id)!;
    const enrolmentId = made.enrolmentIds[0];

    expect((await page("registrar", cohort)).chosen!.checklist).toBeNull();
    const base = { enrolmentId, skillCode: "fall-response", examiner: "王丽华", assessedOn: "2026-09-10" };
    expect((await post("registrar", cohort, base, [])).errors).toEqual({ result: "error.choose" });
    const saved = await post("registrar", cohort, { ...base, result: "fail" }, ["no-lift"]);
    expect(row(saved.savedId!)).toMatchObject({ result: "fail", score: null, itemMarks: null });
  });
});
