import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { enrolments, programVersions } from "../../db/schema";
import { checkCharacter } from "../../app/domain/resident-id";
import { reloadPrograms } from "../../app/content/programs.server";
import { addSession, recordPracticals, saveAttendance, sessionsOf } from "../../app/services/cohort-records.server";
import { createCohort, enrolPeople, getCohort, type Cohort } from "../../app/services/cohorts.server";
import { enrolmentCompletion } from "../../app/services/completion.server";
import { learningEnrolment, startAssessment, submitAttempt } from "../../app/services/learning.server";
import { publishProgramVersions } from "../../app/services/program-versions.server";
import { loader as programmeLoader } from "../../app/routes/learn.$enrolmentId._index";
import { completeEnrolment, contextOfUser, finishModules, orgId, rightAnswers, userId, withDemoData } from "./fixtures";

/**
 * The release that split theory hours into online study and classroom sessions, replayed: a copy of
 * the shipped content without online_hours stands for the version already in use, then the shipped
 * files are published as the next version.
 */
const contentDir = mkdtempSync(path.join(tmpdir(), "care-hours-"));
cpSync(path.join(process.cwd(), "content"), contentDir, { recursive: true });
process.env.CONTENT_DIR = contentDir;
const programDir = path.join(contentDir, "programs", "family-caregiver");
const shipped = (file: string) => readFileSync(path.join(process.cwd(), "content", "programs", "family-caregiver", file), "utf8");
const modules = readdirSync(path.join(programDir, "modules"));
afterAll(() => rmSync(contentDir, { recursive: true, force: true }));

function beforeTheSplit() {
  writeFileSync(path.join(programDir, "program.yaml"), shipped("program.yaml").replace(/^version: \d+$/m, "version: 2"));
  for (const m of modules)
    writeFileSync(
      path.join(programDir, "modules", m, "module.yaml"),
      shipped(`modules/${m}/module.yaml`).replace(/^online_hours: .*\n/m, ""),
    );
}

function theSplitShips() {
  writeFileSync(path.join(programDir, "program.yaml"), shipped("program.yaml").replace(/^version: \d+$/m, "version: 3"));
  for (const m of modules) writeFileSync(path.join(programDir, "modules", m, "module.yaml"), shipped(`modules/${m}/module.yaml`));
  reloadPrograms();
  publishProgramVersions();
}

const versionId = (version: number) =>
  db()
    .select()
    .from(programVersions)
    .all()
    .find((v) => v.programCode === "family-caregiver" && v.version === version)!.id;
const enrolment = (id: string) => db().select().from(enrolments).where(eq(enrolments.id, id)).get()!;

let n = 0;
async function cohortOf(version: number, people: number): Promise<{ cohort: Cohort; ids: string[] }> {
  const created = createCohort(userId("admin"), orgId("BASE-GERI"), {
    programVersionId: versionId(version),
    name: `学时班${++n}`,
    startDate: "2026-09-01",
    endDate: "2026-11-30",
    capacity: 10,
    instructorIds: [],
  });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  const cohort = getCohort(created.value)!;
  const rows = Array.from({ length: people }, (_, i) => {
    const first17 = `3301051991020${n}${String(100 + i)}`.slice(0, 17);
    return {
      row: i + 2,
      name: `学员${n}${i}`,
      mobile: `1350000${n}${String(100 + i).padStart(3, "0")}`,
      idNumber: first17 + checkCharacter(first17),
      employer: "",
    };
  });
  const enrolled = await enrolPeople(userId("admin"), cohort, rows, "roster");
  if (!enrolled.ok) throw new Error("enrol");
  return {
    cohort,
    ids: db()
      .select()
      .from(enrolments)
      .where(eq(enrolments.cohortId, cohort.id))
      .all()
      .map((e) => e.id),
  };
}

/** Lessons read (their minimum time each), quizzes and exam passed, practice attended, skills passed: no more. */
async function theOldWayOfFinishing(cohort: Cohort, enrolmentId: string) {
  const e = finishModules(enrolmentId);
  const exam = startAssessment(e, "exam", null);
  if (exam.ok) submitAttempt(e, exam.value, rightAnswers(exam.value));
  const added = sessionsOf(cohort.id).find((s) => s.kind === "practice") ?? {
    id: (
      addSession(userId("admin"), cohort, { date: cohort.startDate, title: "实操", kind: "practice", hours: e.rules.hours.practice }) as {
        value: number;
      }
    ).value,
  };
  await saveAttendance(userId("admin"), cohort, [{ sessionId: added.id, enrolmentId, hours: String(e.rules.hours.practice) }]);
  const skills = e.rules.skills.map((s) => s.code);
  recordPracticals(
    userId("admin"),
    cohort,
    {
      enrolmentId,
      examiner: "考官",
      assessedOn: cohort.startDate,
      results: skills.map((skillCode) => ({ skillCode, result: "pass" as const })),
    },
    skills,
  );
}

async function programmePage(enrolmentId: string) {
  const context = contextOfUser(enrolment(enrolmentId).userId);
  return programmeLoader({ context, request: new Request(`http://localhost/learn/${enrolmentId}`), params: { enrolmentId } });
}

let before: { cohort: Cohort; ids: string[] };
let completedAt: string;

beforeTheSplit();

beforeAll(async () => {
  await withDemoData();
  expect(() => versionId(3)).toThrow();
  before = await cohortOf(2, 2);
  await completeEnrolment(before.cohort, before.ids[0]);
  completedAt = enrolment(before.ids[0]).completedAt!;
  theSplitShips();
});

describe("the release that splits theory hours", () => {
  it("publishes the split as a new version beside the one in use", () => {
    expect(learningEnrolment(before.ids[0])!.rules.modules.every((m) => m.onlineHours === undefined)).toBe(true);
    expect(
      reloadPrograms()
        .get("family-caregiver")!
        .rules.modules.every((m) => m.onlineHours! > 0),
    ).toBe(true);
    expect(versionId(3)).not.toBe(versionId(2));
  });

  it("keeps a completed enrolment completed, on its page too, even after a later failed retake", async () => {
    const cohort = before.cohort;
    const skill = learningEnrolment(before.ids[0])!.rules.skills[0].code;
    recordPracticals(
      userId("admin"),
      cohort,
      { enrolmentId: before.ids[0], examiner: "考官", assessedOn: "2026-11-20", results: [{ skillCode: skill, result: "fail" }] },
      [skill],
    );
    expect(enrolment(before.ids[0])).toMatchObject({ status: "completed", completedAt });
    expect(enrolmentCompletion(before.ids[0]).status).toBe("in_progress");
    const page = await programmePage(before.ids[0]);
    expect(page.completed).toBe(true);
  });

  it("lets an enrolment on the earlier version finish by that version's rules", async () => {
    await theOldWayOfFinishing(before.cohort, before.ids[1]);
    expect(enrolment(before.ids[1]).status).toBe("completed");
    expect(enrolmentCompletion(before.ids[1]).progress.onlineHours).toBeUndefined();
  });

  it("asks the same trainee on the new version for study time and classroom hours", async () => {
    const after = await cohortOf(3, 1);
    await theOldWayOfFinishing(after.cohort, after.ids[0]);
    const completion = enrolmentCompletion(after.ids[0]);
    expect(completion.status).toBe("in_progress");
    expect(new Set(completion.missing.map((m) => m.kind))).toEqual(new Set(["theoryHours", "classroomHours", "onlineHours"]));
    const page = await programmePage(after.ids[0]);
    expect(page.completed).toBe(false);
    expect(page.modules.every((m) => m.online !== null && m.online.have < m.online.need)).toBe(true);
  });
});
