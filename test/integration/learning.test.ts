import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { assessmentAttempts, auditLog, enrolments, programVersions } from "../../db/schema";
import type { DrawnQuestion } from "../../app/domain/assessment";
import { ContentError } from "../../app/content/programs.server";
import { addSession, attendanceOf, recordPracticals, saveAttendance } from "../../app/services/cohort-records.server";
import { createCohort, enrolPeople, getCohort, type Cohort } from "../../app/services/cohorts.server";
import { enrolmentCompletion } from "../../app/services/completion.server";
import {
  getAttempt,
  learningEnrolment,
  lessonsDoneOf,
  lessonStudy,
  markLessonDone,
  moduleStudySeconds,
  openLessonView,
  recordBeat,
  startAssessment,
  submitAttempt,
  type LearningEnrolment,
} from "../../app/services/learning.server";
import { publishProgramVersions } from "../../app/services/program-versions.server";
import { checkCharacter } from "../../app/domain/resident-id";
import { finishModules, orgId, studyLesson, studyOnlineShares, userId, withDemoData } from "./fixtures";
import { creditedOnlineTenths } from "../../app/domain/study-time";

let cohort: Cohort;
let enrolment: LearningEnrolment;
const registrar = () => userId("registrar");

function answerForm(questions: DrawnQuestion[], pick: (q: DrawnQuestion) => number[]) {
  const values = questions.flatMap((q) => pick(q).map((i) => [`q:${q.id}`, String(i)] as const));
  return { getAll: (name: string) => values.filter(([k]) => k === name).map(([, v]) => v) };
}

function storedQuestions(attemptId: string): DrawnQuestion[] {
  return JSON.parse(db().select().from(assessmentAttempts).where(eq(assessmentAttempts.id, attemptId)).get()!.questions);
}

beforeAll(async () => {
  await withDemoData();
  const version = db()
    .select()
    .from(programVersions)
    .all()
    .find((v) => v.programCode === "family-caregiver")!;
  const created = createCohort(registrar(), orgId("BASE-GERI"), {
    programVersionId: version.id,
    name: "测试班",
    startDate: "2026-11-01",
    endDate: "2026-12-31",
    capacity: 5,
    instructorIds: [],
  });
  if (!created.ok) throw new Error("cohort");
  cohort = getCohort(created.value)!;
  const first17 = "33010519880808808";
  const result = await enrolPeople(
    registrar(),
    cohort,
    [{ row: 2, name: "学员甲", mobile: "13600000001", idNumber: first17 + checkCharacter(first17), employer: "" }],
    "single",
  );
  if (!result.ok) throw new Error("enrol");
  const e = db().select().from(enrolments).where(eq(enrolments.cohortId, cohort.id)).get()!;
  enrolment = learningEnrolment(e.id)!;
});

describe("attendance", () => {
  it("refuses a session outside the cohort's dates", () => {
    expect(addSession(registrar(), cohort, { date: "2027-01-05", title: "x", kind: "theory", hours: 2 })).toEqual({
      ok: false,
      errors: { date: "cohort.dateOutside" },
    });
  });

  it("saves the grid, and one bad cell saves nothing", async () => {
    // The programme's classroom part of its theory hours: 8 less the modules' 2 online hours.
    const theory = addSession(registrar(), cohort, { date: "2026-11-10", title: "理论课", kind: "theory", hours: 6 });
    const practice = addSession(registrar(), cohort, { date: "2026-11-11", title: "实操课", kind: "practice", hours: 8 });
    if (!theory.ok || !practice.ok) throw new Error("sessions");
    const bad = await saveAttendance(registrar(), cohort, [
      { sessionId: theory.value, enrolmentId: enrolment.id, hours: "6" },
      { sessionId: practice.value, enrolmentId: enrolment.id, hours: "9" },
    ]);
    expect(bad).toEqual({ ok: false, errors: { [`a:${practice.value}:${enrolment.id}`]: "attendance.hoursRange" } });
    expect(attendanceOf(cohort.id)).toEqual([]);

    expect(
      await saveAttendance(registrar(), cohort, [
        { sessionId: theory.value, enrolmentId: enrolment.id, hours: "6" },
        { sessionId: practice.value, enrolmentId: enrolment.id, hours: "8" },
      ]),
    ).toEqual({ ok: true, value: 2 });
    const p = enrolmentCompletion(enrolment.id).progress;
    expect([p.theoryHours, p.classroomHours, p.practiceHours]).toEqual([6, 6, 8]);
    // The stored progress a cohort's table reads says the same.
    const stored = db().select({ progress: enrolments.progress }).from(enrolments).where(eq(enrolments.id, enrolment.id)).get()!.progress!;
    expect(JSON.parse(stored).progress).toMatchObject({ theoryHours: 6, practiceHours: 8 });
  });
});

describe("study time", () => {
  it("refuses to mark a lesson read before its minimum time, saying how long remains; active beats count, idle ones do not", () => {
    const m = enrolment.rules.modules[0];
    const lesson = m.lessons[0];
    const { required } = lessonStudy(enrolment, m.code, lesson.code);
    expect(required).toBeGreaterThanOrEqual(180);
    const t0 = new Date("2026-11-15T02:00:00Z");
    const view = openLessonView(enrolment, m.code, lesson.code, t0);
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    expect(recordBeat(enrolment, view, true, at(30)).studied).toBe(30);
    expect(recordBeat(enrolment, view, false, at(60)).studied).toBe(30);
    // Away for ten minutes: the gap earns nothing.
    expect(recordBeat(enrolment, view, true, at(660)).studied).toBe(30);
    expect(recordBeat(enrolment, view, true, at(690)).studied).toBe(60);
    expect(markLessonDone(enrolment, m.code, lesson.code)).toEqual({
      ok: false,
      errors: { _form: "lesson.tooSoon" },
      params: { _form: { minutes: Math.ceil((required - 60) / 60) } },
    });
    expect(lessonsDoneOf(enrolment.id).has(`${m.code}/${lesson.code}`)).toBe(false);
    for (let s = 720; s <= 690 + required; s += 30) recordBeat(enrolment, view, true, at(s));
    expect(markLessonDone(enrolment, m.code, lesson.code)).toEqual({ ok: true, value: true });
    expect(lessonsDoneOf(enrolment.id).has(`${m.code}/${lesson.code}`)).toBe(true);
    // Reading on past the minimum: the beat that completes a tenth of the module's online hours refreshes the stored progress.
    let s = 690 + required;
    while (moduleStudySeconds(enrolment.id, m.code) < 400) recordBeat(enrolment, view, true, at((s += 30)));
    const online = creditedOnlineTenths(moduleStudySeconds(enrolment.id, m.code), m.onlineHours!) / 10;
    expect(online).toBeGreaterThan(0);
    const stored = JSON.parse(
      db().select({ progress: enrolments.progress }).from(enrolments).where(eq(enrolments.id, enrolment.id)).get()!.progress!,
    );
    expect(stored.progress.onlineHours).toBe(online);
  });

  it("keeps one trainee's beats to their own views", () => {
    expect(() =>
      recordBeat(
        { ...enrolment, id: "someone-else" },
        openLessonView(enrolment, enrolment.rules.modules[0].code, enrolment.rules.modules[0].lessons[0].code),
        true,
      ),
    ).toThrow();
  });
});

describe("quizzes and the final exam", () => {
  it("never sends the key before submission and grades on the server", () => {
    const started = startAssessment(enrolment, "quiz", "home-safety");
    if (!started.ok) throw new Error("start");
    const shown = getAttempt(enrolment, started.value)!;
    expect(JSON.stringify(shown.questions)).not.toMatch(/"answer"|"explanation"/);
    const questions = storedQuestions(started.value);
    expect(
      submitAttempt(
        enrolment,
        started.value,
        answerForm(questions, () => []),
      ),
    ).toEqual({ ok: true, value: { percent: 0, passed: false } });
    expect(
      submitAttempt(
        enrolment,
        started.value,
        answerForm(questions, (q) => q.answer),
      ),
    ).toEqual({ ok: false, errors: { _form: "exam.alreadySubmitted" } });
    const after = getAttempt(enrolment, started.value)!;
    expect(after.questions[0]).toHaveProperty("answer");
  });

  it("keeps the exam's own bank out of practice quizzes, and opens the exam only once every lesson is read and every quiz passed", () => {
    const examIds = new Set(enrolment.content!.questions.filter((q) => q.pool === "exam").map((q) => q.id));
    expect(examIds.size).toBeGreaterThanOrEqual(2 * enrolment.rules.exam.questionCount);
    for (const m of enrolment.rules.modules) {
      const quiz = startAssessment(enrolment, "quiz", m.code);
      if (!quiz.ok) throw new Error("quiz");
      expect(storedQuestions(quiz.value).some((q) => examIds.has(q.id))).toBe(false);
    }
    const closed = startAssessment(enrolment, "exam", null, new Date("2026-11-20T01:00:00Z"));
    expect(closed).toMatchObject({ ok: false, errors: { _form: "exam.modulesIncomplete" } });
    expect(!closed.ok && closed.params?._form?.modules).toContain(enrolment.rules.modules[0].title);
    for (const m of enrolment.rules.modules) {
      for (const l of m.lessons) studyLesson(enrolment, m.code, l.code);
      const quiz = startAssessment(enrolment, "quiz", m.code);
      if (!quiz.ok) throw new Error("quiz");
      submitAttempt(
        enrolment,
        quiz.value,
        answerForm(storedQuestions(quiz.value), (q) => q.answer),
      );
    }
  });

  it("refuses an exam submitted after the time limit, and the attempt still counts", () => {
    const t0 = new Date("2026-11-20T02:00:00Z");
    const started = startAssessment(enrolment, "exam", null, t0);
    if (!started.ok) throw new Error("start");
    const paper = storedQuestions(started.value);
    expect(paper).toHaveLength(20);
    // Only exam questions, as many from each module as the blueprint says.
    const byId = new Map(enrolment.content!.questions.map((q) => [q.id, q]));
    expect(paper.every((q) => byId.get(q.id)?.pool === "exam")).toBe(true);
    for (const [moduleCode, count] of Object.entries(enrolment.rules.exam.blueprint!))
      expect(paper.filter((q) => byId.get(q.id)!.moduleCode === moduleCode)).toHaveLength(count);
    const late = new Date(t0.getTime() + 31 * 60_000);
    const result = submitAttempt(
      enrolment,
      started.value,
      answerForm(storedQuestions(started.value), (q) => q.answer),
      late,
    );
    expect(result).toEqual({ ok: false, errors: { _form: "exam.late" } });
    expect(enrolmentCompletion(enrolment.id).missing).toContainEqual({ kind: "exam", state: "notPassed", attemptsLeft: 2 });
  });

  it("resumes an open exam, asks before grading a paper with blank answers, waits after a failure, and stops once passed", () => {
    const now = new Date();
    const first = startAssessment(enrolment, "exam", null, now);
    const again = startAssessment(enrolment, "exam", null, new Date(now.getTime() + 60_000));
    expect(again).toEqual(first);
    if (!first.ok) throw new Error("start");
    const questions = storedQuestions(first.value);
    const thirteen = (q: DrawnQuestion) => (questions.indexOf(q) < 13 ? q.answer : []);
    // 7 of 20 blank: the trainee is asked first (the page shows what they chose from the form's reply).
    const asked = submitAttempt(enrolment, first.value, answerForm(questions, thirteen), now);
    expect(asked).toMatchObject({ ok: false, errors: { _form: "exam.confirmUnanswered" }, params: { _form: { n: 7 } } });
    // 13 of 20 right is 65%, under the pass mark of 70.
    const confirmed = answerForm(questions, thirteen);
    const result = submitAttempt(
      enrolment,
      first.value,
      { getAll: (name: string) => (name === "confirmUnanswered" ? ["1"] : confirmed.getAll(name)) },
      now,
    );
    expect(result).toEqual({ ok: true, value: { percent: 65, passed: false } });
    const tooSoon = startAssessment(enrolment, "exam", null, new Date(now.getTime() + 3_600_000));
    expect(tooSoon).toMatchObject({ ok: false, errors: { _form: "exam.waiting" } });
    const later = new Date(now.getTime() + 25 * 3_600_000);
    const third = startAssessment(enrolment, "exam", null, later);
    if (!third.ok) throw new Error("start");
    const passed = submitAttempt(
      enrolment,
      third.value,
      answerForm(storedQuestions(third.value), (q) => q.answer),
      later,
    );
    expect(passed).toEqual({ ok: true, value: { percent: 100, passed: true } });
    expect(startAssessment(enrolment, "exam", null, later)).toEqual({ ok: false, errors: { _form: "exam.alreadyPassed" } });
  });

  it("hands in a paper whose time ran out as it stands, without asking", async () => {
    const first17 = "33010519890909909";
    const added = await enrolPeople(
      registrar(),
      cohort,
      [{ row: 2, name: "学员乙", mobile: "13600000002", idNumber: first17 + checkCharacter(first17), employer: "" }],
      "single",
    );
    if (!added.ok) throw new Error("enrol");
    const other = db()
      .select()
      .from(enrolments)
      .where(eq(enrolments.cohortId, cohort.id))
      .all()
      .find((e) => e.id !== enrolment.id)!;
    const learner = finishModules(other.id);
    const started = startAssessment(learner, "exam", null);
    if (!started.ok) throw new Error("start");
    const questions = storedQuestions(started.value);
    const two = answerForm(questions, (q) => (questions.indexOf(q) < 2 ? q.answer : []));
    const result = submitAttempt(learner, started.value, { getAll: (name: string) => (name === "timedOut" ? ["1"] : two.getAll(name)) });
    expect(result).toEqual({ ok: true, value: { percent: 10, passed: false } });
  });
});

describe("completion", () => {
  it("is reached the moment the last requirement is recorded, and is stored and audit-logged", () => {
    for (const m of enrolment.rules.modules) {
      for (const l of m.lessons) studyLesson(enrolment, m.code, l.code);
      const quiz = startAssessment(enrolment, "quiz", m.code);
      if (!quiz.ok) throw new Error("quiz");
      submitAttempt(
        enrolment,
        quiz.value,
        answerForm(storedQuestions(quiz.value), (q) => q.answer),
      );
    }
    // Every lesson read and every quiz passed, and still each module's online hours are not studied.
    const read = enrolmentCompletion(enrolment.id);
    expect(read.missing.filter((m) => m.kind === "onlineHours").length).toBeGreaterThan(0);
    expect(read.missing.some((m) => m.kind === "classroomHours")).toBe(false);
    studyOnlineShares(enrolment);
    const before = enrolmentCompletion(enrolment.id);
    expect(before.status).toBe("in_progress");
    expect(before.missing.every((m) => m.kind === "skill")).toBe(true);

    const skills = enrolment.rules.skills.map((s) => s.code);
    const result = recordPracticals(
      registrar(),
      cohort,
      {
        enrolmentId: enrolment.id,
        examiner: "王丽华",
        assessedOn: "2026-11-20",
        results: skills.map((skillCode) => ({ skillCode, result: "pass" as const })),
      },
      skills,
    );
    expect(result.ok).toBe(true);
    const row = db().select().from(enrolments).where(eq(enrolments.id, enrolment.id)).get()!;
    expect(row.status).toBe("completed");
    expect(row.completedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const logged = db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "enrolment.complete"), eq(auditLog.entityId, enrolment.id)))
      .all();
    expect(logged).toHaveLength(1);
  });

  it("keeps a finished record when a later assessment fails", () => {
    const skill = enrolment.rules.skills[0].code;
    recordPracticals(
      registrar(),
      cohort,
      { enrolmentId: enrolment.id, examiner: "王丽华", assessedOn: "2026-11-21", results: [{ skillCode: skill, result: "fail" }] },
      [skill],
    );
    expect(db().select().from(enrolments).where(eq(enrolments.id, enrolment.id)).get()!.status).toBe("completed");
  });
});

describe("programme versions", () => {
  it("refuses to start when a published version's rules changed without a new version number", () => {
    const row = db()
      .select()
      .from(programVersions)
      .all()
      .find((v) => v.programCode === "hospice-care")!;
    const tampered = JSON.stringify({ ...JSON.parse(row.rules), hours: { theory: 1, practice: 1 } });
    db().update(programVersions).set({ rules: tampered }).where(eq(programVersions.id, row.id)).run();
    expect(() => publishProgramVersions()).toThrow(ContentError);
    expect(() => publishProgramVersions()).toThrow(/hospice-care.*raise the version/);
    db().update(programVersions).set({ rules: row.rules }).where(eq(programVersions.id, row.id)).run();
    expect(() => publishProgramVersions()).not.toThrow();
  });

  it("judges an enrolment by the frozen rules of its own version", () => {
    const before = enrolmentCompletion(enrolment.id);
    const v1 = db().select().from(programVersions).where(eq(programVersions.id, enrolment.programVersionId)).get()!;
    const stricter = { ...JSON.parse(v1.rules), version: v1.version + 1, hours: { theory: 80, practice: 80 } };
    db()
      .insert(programVersions)
      .values({ programCode: v1.programCode, version: v1.version + 1, title: v1.title, rules: JSON.stringify(stricter) })
      .run();
    expect(learningEnrolment(enrolment.id)!.rules.version).toBe(v1.version);
    expect(enrolmentCompletion(enrolment.id)).toEqual(before);
    expect(before.progress.theoryHours).toBeLessThan(80);
  });
});
