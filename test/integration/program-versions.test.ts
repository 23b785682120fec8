import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import YAML from "yaml";
import { db } from "../../db/client.server";
import { assessmentAttempts, enrolments, programVersions } from "../../db/schema";
import type { DrawnQuestion } from "../../app/domain/assessment";
import { contentOf, type Program } from "../../app/domain/program";
import { checkCharacter } from "../../app/domain/resident-id";
import { ContentError, loadPrograms, reloadPrograms } from "../../app/content/programs.server";
import { createCohort, enrolPeople, getCohort, type Cohort } from "../../app/services/cohorts.server";
import { learningEnrolment, startAssessment } from "../../app/services/learning.server";
import { contentOfVersion, publishProgramVersions } from "../../app/services/program-versions.server";
import { loader as lessonLoader } from "../../app/routes/learn.$enrolmentId.lessons.$moduleCode.$lessonCode";
import { loader as practicalsLoader } from "../../app/routes/bases.$orgId.cohorts.$cohortId.practicals";
import { completeEnrolment, contextFor, contextOfUser, orgId, userId, withDemoData } from "./fixtures";

// A copy of the shipped content that this file turns into version 2 of the family-caregiver programme.
const contentDir = mkdtempSync(path.join(tmpdir(), "care-content-"));
cpSync(path.join(process.cwd(), "content"), contentDir, { recursive: true });
process.env.CONTENT_DIR = contentDir;
const programDir = path.join(contentDir, "programs", "family-caregiver");
// The shipped content stands for version 1 here, whatever number it carries.
writeFileSync(
  path.join(programDir, "program.yaml"),
  readFileSync(path.join(programDir, "program.yaml"), "utf8").replace(/^version: \d+$/m, "version: 1"),
);
afterAll(() => rmSync(contentDir, { recursive: true, force: true }));

const V2_MARK = "【第二版】";
let v1Files: Program;
let v2Files: Program;

/**
 * Version 2: a lesson renamed, the home-safety questions reworded (one with a new key), a module
 * recoded, and the first practical skill checked by other criteria.
 */
function writeVersion2() {
  const edit = (file: string, change: (text: string) => string) =>
    writeFileSync(path.join(programDir, file), change(readFileSync(path.join(programDir, file), "utf8")));
  edit("program.yaml", (t) => t.replace(/^version: 1$/m, "version: 2"));
  const safety = "modules/01-home-safety";
  renameSync(path.join(programDir, safety, "02-fall-prevention.md"), path.join(programDir, safety, "02-falls.md"));
  edit(`${safety}/02-falls.md`, (t) => t.replace(/^# .+$/m, "# 跌倒：预防、判断与起身（第二版）"));
  edit(`${safety}/module.yaml`, (t) => t.replace("- 02-fall-prevention", "- 02-falls"));
  edit(`${safety}/questions.yaml`, (t) => {
    const bank = YAML.parse(t) as { id: string; stem: string; options?: string[]; answer: unknown }[];
    for (const q of bank) q.stem = V2_MARK + q.stem;
    bank[0].options = [...bank[0].options!].reverse();
    bank[0].answer = [bank[0].options.length - 1];
    return YAML.stringify(bank);
  });
  edit("skills.yaml", (t) => t.replace(/^(  criteria: )/m, `$1${V2_MARK}`));
  edit("modules/04-caregiver-wellbeing/module.yaml", (t) => t.replace("code: caregiver-wellbeing", "code: carer-wellbeing"));
  edit("program.yaml", (t) => t.replace("    caregiver-wellbeing:", "    carer-wellbeing:"));
}

function versionRow(version: number) {
  return db()
    .select()
    .from(programVersions)
    .all()
    .find((v) => v.programCode === "family-caregiver" && v.version === version)!;
}

let n = 0;
async function enrolOne(versionId: number): Promise<{ cohort: Cohort; enrolmentId: string }> {
  const created = createCohort(userId("admin"), orgId("BASE-GERI"), {
    programVersionId: versionId,
    name: `版本班${++n}`,
    startDate: "2026-09-01",
    endDate: "2026-12-31",
    capacity: 5,
    instructorIds: [],
  });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  const cohort = getCohort(created.value)!;
  const first17 = `33010519900101${100 + n}`;
  const enrolled = await enrolPeople(
    userId("admin"),
    cohort,
    [{ row: 2, name: `学员${n}`, mobile: `1370000000${n}`, idNumber: first17 + checkCharacter(first17), employer: "" }],
    "single",
  );
  if (!enrolled.ok) throw new Error("enrol");
  return { cohort, enrolmentId: db().select().from(enrolments).where(eq(enrolments.cohortId, cohort.id)).get()!.id };
}

function readLesson(enrolmentId: string, moduleCode: string, lessonCode: string) {
  const e = learningEnrolment(enrolmentId)!;
  const context = contextOfUser(e.userId);
  const request = new Request(`http://localhost/learn/${enrolmentId}/lessons/${moduleCode}/${lessonCode}`);
  return lessonLoader({ context, request, params: { enrolmentId, moduleCode, lessonCode } }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  });
}

/** A programme's questions as an attempt stores them. */
function bank(program: Program): DrawnQuestion[] {
  return program.questions.map(({ moduleCode: _, ...q }) => q);
}

async function practicalCriteria(cohort: Cohort): Promise<string[]> {
  const params = { orgId: cohort.organisationId, cohortId: cohort.id };
  const request = new Request(`http://localhost/bases/${params.orgId}/cohorts/${params.cohortId}/practicals`);
  const page = await practicalsLoader({ context: contextFor("registrar"), request, params });
  return page.skills.map((s) => s.criteria);
}

function drawn(attemptId: string): DrawnQuestion[] {
  return JSON.parse(db().select().from(assessmentAttempts).where(eq(assessmentAttempts.id, attemptId)).get()!.questions);
}

function quiz(enrolmentId: string, moduleCode: string): DrawnQuestion[] {
  const started = startAssessment(learningEnrolment(enrolmentId)!, "quiz", moduleCode);
  if (!started.ok) throw new Error(JSON.stringify(started.errors));
  return drawn(started.value);
}

let v1Trainee: { cohort: Cohort; enrolmentId: string };

beforeAll(async () => {
  await withDemoData();
  v1Files = loadPrograms(contentDir).get("family-caregiver")!;
  v1Trainee = await enrolOne(versionRow(1).id);
  // The trainee has started on version 1 before version 2 ships.
  expect(await readLesson(v1Trainee.enrolmentId, "home-safety", "02-fall-prevention")).toMatchObject({
    title: v1Files.lessons["home-safety"][1].title,
  });
  writeVersion2();
  // Version 2 ships: the app starts again on the new files.
  v2Files = reloadPrograms().get("family-caregiver")!;
  publishProgramVersions();
});

describe("an enrolment keeps the content of the version it started on", () => {
  it("publishes version 2 beside version 1, each with its own content", () => {
    expect(versionRow(2)).toBeDefined();
    expect(contentOfVersion(versionRow(1).id)).toEqual(contentOf(v1Files));
    expect(contentOfVersion(versionRow(2).id)).toEqual(contentOf(v2Files));
    expect(v2Files.lessons["home-safety"].map((l) => l.code)).toEqual(["01-home-environment", "02-falls"]);
  });

  it("a version-1 trainee still reads the version-1 lesson, and not the renamed one", async () => {
    const lesson = await readLesson(v1Trainee.enrolmentId, "home-safety", "02-fall-prevention");
    expect(lesson).toMatchObject({ title: v1Files.lessons["home-safety"][1].title, next: null });
    expect(await readLesson(v1Trainee.enrolmentId, "home-safety", "02-falls")).toBe(404);
  });

  it("a version-1 trainee gets version-1 questions with their version-1 keys, also in a module version 2 recoded", () => {
    const questions = quiz(v1Trainee.enrolmentId, "home-safety");
    expect(questions.length).toBeGreaterThan(0);
    for (const q of questions) {
      expect(q.stem).not.toContain(V2_MARK);
      expect(bank(v1Files)).toContainEqual(q);
    }
    expect(quiz(v1Trainee.enrolmentId, "caregiver-wellbeing").length).toBeGreaterThan(0);
  });

  it("the registrar assesses a version-1 cohort against the version-1 practical criteria", async () => {
    expect(await practicalCriteria(v1Trainee.cohort)).toEqual(v1Files.skills.map((s) => s.criteria));
  });

  it("a version-1 trainee can finish, and the final exam draws from the version-1 banks", async () => {
    await completeEnrolment(v1Trainee.cohort, v1Trainee.enrolmentId);
    expect(db().select().from(enrolments).where(eq(enrolments.id, v1Trainee.enrolmentId)).get()!.status).toBe("completed");
    const exam = db()
      .select()
      .from(assessmentAttempts)
      .where(eq(assessmentAttempts.enrolmentId, v1Trainee.enrolmentId))
      .all()
      .find((a) => a.kind === "exam")!;
    expect(exam.passed).toBe(true);
    // Options come in a drawn order of their own; the question, its options and its key are version 1's.
    for (const q of drawn(exam.id)) {
      const original = bank(v1Files).find((b) => b.id === q.id)!;
      expect(original).toBeDefined();
      expect(q.stem).toBe(original.stem);
      expect([...q.options].sort()).toEqual([...original.options].sort());
      expect(q.answer.map((i) => q.options[i]).sort()).toEqual(original.answer.map((i) => original.options[i]).sort());
    }
  });

  it("a version-2 enrolment reads the renamed lesson and gets the version-2 questions and criteria", async () => {
    const { cohort, enrolmentId } = await enrolOne(versionRow(2).id);
    expect(await practicalCriteria(cohort)).toEqual(v2Files.skills.map((s) => s.criteria));
    expect(v2Files.skills[0].criteria.startsWith(V2_MARK)).toBe(true);
    expect(await readLesson(enrolmentId, "home-safety", "02-falls")).toMatchObject({ title: "跌倒：预防、判断与起身（第二版）" });
    expect(await readLesson(enrolmentId, "home-safety", "02-fall-prevention")).toBe(404);
    const questions = quiz(enrolmentId, "home-safety");
    for (const q of questions) {
      expect(q.stem.startsWith(V2_MARK)).toBe(true);
      expect(bank(v2Files)).toContainEqual(q);
    }
    expect(() => quiz(enrolmentId, "caregiver-wellbeing")).toThrow();
    expect(quiz(enrolmentId, "carer-wellbeing").length).toBeGreaterThan(0);
  });
});

describe("publishing", () => {
  it("fills a version published before content was stored, from the files of that version", () => {
    const row = versionRow(2);
    db().update(programVersions).set({ content: null }).where(eq(programVersions.id, row.id)).run();
    publishProgramVersions();
    expect(JSON.parse(db().select().from(programVersions).where(eq(programVersions.id, row.id)).get()!.content!)).toEqual(
      contentOf(v2Files),
    );
  });

  it("refuses changed lessons or questions under a published version number, naming what changed", () => {
    const lesson = path.join(programDir, "modules/01-home-safety/02-falls.md");
    const original = readFileSync(lesson, "utf8");
    writeFileSync(lesson, `${original}\n补充一句。\n`);
    reloadPrograms();
    try {
      expect(() => publishProgramVersions()).toThrow(ContentError);
      expect(() => publishProgramVersions()).toThrow(/family-caregiver.*other content \(lesson home-safety\/02-falls\).*raise the version/);
    } finally {
      writeFileSync(lesson, original);
      reloadPrograms();
    }
    expect(() => publishProgramVersions()).not.toThrow();
  });
});
