import { randomInt, randomUUID } from "node:crypto";
import { NotFound, Conflict } from "./errors";
import { now as clockNow } from "./clock.server";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { db, prepared } from "../../db/client.server";
import { assessmentAttempts, cohorts, enrolments, lessonCompletions, lessonViews, organisations, programVersions } from "../../db/schema";
import { beatCredit, creditedOnlineTenths, minimumSeconds, secondsStillNeeded } from "../domain/study-time";
import {
  answersFromForm,
  drawExam,
  drawQuestions,
  examGate,
  grade,
  isLate,
  practiceBank,
  publicQuestions,
  unansweredCount,
  type DrawnQuestion,
} from "../domain/assessment";
import type { ProgramRules } from "../domain/program";
import { completionOf, refreshCompletion, storedCompletion } from "./completion.server";
import { contentOfVersion, rulesOfVersion } from "./program-versions.server";
import { failure, refuse, success, type ServiceResult } from "./result";
import { shanghaiDateTime } from "../domain/dates";

export function enrolmentsOfUser(userId: string) {
  const rows = db()
    .select({
      id: enrolments.id,
      status: enrolments.status,
      completedAt: enrolments.completedAt,
      progress: enrolments.progress,
      programVersionId: enrolments.programVersionId,
      programCode: programVersions.programCode,
      programTitle: programVersions.title,
      cohortName: cohorts.name,
      startDate: cohorts.startDate,
      endDate: cohorts.endDate,
      baseName: organisations.name,
    })
    .from(enrolments)
    .innerJoin(cohorts, eq(cohorts.id, enrolments.cohortId))
    .innerJoin(organisations, eq(organisations.id, cohorts.organisationId))
    .innerJoin(programVersions, eq(programVersions.id, enrolments.programVersionId))
    .where(eq(enrolments.userId, userId))
    .orderBy(desc(cohorts.startDate))
    .all();
  return rows.map(({ progress, ...r }) => ({ ...r, completion: storedCompletion({ id: r.id, progress }) }));
}

/** The enrolment with the frozen rules and content of the programme version it started on. */
export function learningEnrolment(enrolmentId: string) {
  const e = db()
    .select({
      id: enrolments.id,
      userId: enrolments.userId,
      status: enrolments.status,
      progress: enrolments.progress,
      programVersionId: enrolments.programVersionId,
      cohortName: cohorts.name,
      organisationId: cohorts.organisationId,
    })
    .from(enrolments)
    .innerJoin(cohorts, eq(cohorts.id, enrolments.cohortId))
    .where(eq(enrolments.id, enrolmentId))
    .get();
  if (!e) return null;
  const rules = rulesOfVersion(e.programVersionId);
  return { ...e, rules, content: contentOfVersion(e.programVersionId) };
}

export type LearningEnrolment = NonNullable<ReturnType<typeof learningEnrolment>>;

export function lessonsDoneOf(enrolmentId: string): Set<string> {
  const rows = db()
    .select({ m: lessonCompletions.moduleCode, l: lessonCompletions.lessonCode })
    .from(lessonCompletions)
    .where(eq(lessonCompletions.enrolmentId, enrolmentId))
    .all();
  return new Set(rows.map((r) => `${r.m}/${r.l}`));
}

export function findLesson(rules: ProgramRules, moduleCode: string, lessonCode: string) {
  const mod = rules.modules.find((m) => m.code === moduleCode);
  const index = mod?.lessons.findIndex((l) => l.code === lessonCode) ?? -1;
  if (!mod || index < 0) return null;
  return { module: mod, lesson: mod.lessons[index], next: mod.lessons[index + 1] ?? null };
}

/** Seconds of study recorded for one lesson, over every time it was opened. */
export function studiedSeconds(enrolmentId: string, moduleCode: string, lessonCode: string): number {
  return prepared("select coalesce(sum(seconds), 0) from lesson_views where enrolment_id = ? and module_code = ? and lesson_code = ?")
    .pluck()
    .get(enrolmentId, moduleCode, lessonCode) as number;
}

/** Study time recorded and still needed for a lesson (nothing needed in versions that do not record it). */
export function lessonStudy(e: LearningEnrolment, moduleCode: string, lessonCode: string) {
  const studied = studiedSeconds(e.id, moduleCode, lessonCode);
  const markdown = e.content?.lessons[moduleCode]?.find((l) => l.code === lessonCode)?.markdown ?? "";
  const required = e.rules.study ? minimumSeconds(markdown, e.rules.study) : 0;
  return { studied, required, stillNeeded: e.rules.study ? secondsStillNeeded(studied, markdown, e.rules.study) : 0 };
}

/** A lesson opened: the view its beats add study time to. */
export function openLessonView(e: LearningEnrolment, moduleCode: string, lessonCode: string, now = clockNow()): string {
  if (!findLesson(e.rules, moduleCode, lessonCode)) throw new NotFound();
  const id = randomUUID();
  db()
    .insert(lessonViews)
    .values({ id, enrolmentId: e.id, moduleCode, lessonCode, openedAt: now.toISOString(), lastBeatAt: now.toISOString() })
    .run();
  return id;
}

/**
 * A beat from an open lesson page: the time since the view's last beat is credited when the trainee
 * was active and came back soon enough (app/domain/study-time.ts). When it completes another tenth
 * of the module's online hours, the stored completion is refreshed with it. Returns the lesson's
 * study so far.
 */
export function recordBeat(e: LearningEnrolment, viewId: string, active: boolean, now = clockNow()) {
  const view = db()
    .select()
    .from(lessonViews)
    .where(and(eq(lessonViews.id, viewId), eq(lessonViews.enrolmentId, e.id)))
    .get();
  if (!view) throw new NotFound();
  const credit = beatCredit(view.lastBeatAt, now.toISOString(), active);
  const share = e.rules.modules.find((m) => m.code === view.moduleCode)?.onlineHours;
  db().transaction((tx) => {
    const before = share === undefined || credit === 0 ? 0 : moduleStudySeconds(e.id, view.moduleCode);
    tx.update(lessonViews)
      .set({ lastBeatAt: now.toISOString(), seconds: sql`${lessonViews.seconds} + ${credit}` })
      .where(eq(lessonViews.id, viewId))
      .run();
    if (share !== undefined && credit > 0 && creditedOnlineTenths(before + credit, share) > creditedOnlineTenths(before, share))
      refreshCompletion(tx, e.id, e.userId);
  });
  return lessonStudy(e, view.moduleCode, view.lessonCode);
}

/** Seconds of study recorded for each lesson an enrolment opened, by "moduleCode/lessonCode". */
export function studiedSecondsByLesson(enrolmentId: string): Map<string, number> {
  const rows = prepared(
    "select module_code, lesson_code, sum(seconds) from lesson_views where enrolment_id = ? group by module_code, lesson_code",
  )
    .raw()
    .all(enrolmentId) as [string, string, number][];
  return new Map(rows.map(([m, l, seconds]) => [`${m}/${l}`, seconds]));
}

/** Seconds of study recorded for a module's lessons. */
export function moduleStudySeconds(enrolmentId: string, moduleCode: string): number {
  return prepared("select coalesce(sum(seconds), 0) from lesson_views where enrolment_id = ? and module_code = ?")
    .pluck()
    .get(enrolmentId, moduleCode) as number;
}

/** Marks a lesson read, once enough study time is recorded for it; else says how many minutes are still needed. */
export function markLessonDone(e: LearningEnrolment, moduleCode: string, lessonCode: string): ServiceResult<true> {
  if (!findLesson(e.rules, moduleCode, lessonCode)) throw new NotFound();
  const { stillNeeded } = lessonStudy(e, moduleCode, lessonCode);
  if (stillNeeded > 0 && !lessonsDoneOf(e.id).has(`${moduleCode}/${lessonCode}`))
    return refuse("_form", "lesson.tooSoon", { minutes: Math.ceil(stillNeeded / 60) });
  db().transaction((tx) => {
    tx.insert(lessonCompletions).values({ enrolmentId: e.id, moduleCode, lessonCode }).onConflictDoNothing().run();
    refreshCompletion(tx, e.id, e.userId);
  });
  return success(true);
}

export function attemptsOf(enrolmentId: string, kind: "quiz" | "exam", moduleCode?: string) {
  return db()
    .select()
    .from(assessmentAttempts)
    .where(
      and(
        eq(assessmentAttempts.enrolmentId, enrolmentId),
        eq(assessmentAttempts.kind, kind),
        moduleCode ? eq(assessmentAttempts.moduleCode, moduleCode) : undefined,
      ),
    )
    .orderBy(desc(assessmentAttempts.startedAt))
    .all();
}

/**
 * Draws a quiz for a module, or the final exam, and stores the drawn questions with their keys on
 * the server. An exam still open is resumed rather than drawn again.
 */
export function startAssessment(
  e: LearningEnrolment,
  kind: "quiz" | "exam",
  moduleCode: string | null,
  now = clockNow(),
): ServiceResult<string> {
  if (!e.content) return failure({ _form: "learning.contentMissing" });
  let drawn: DrawnQuestion[];
  let deadlineAt: string | null = null;
  if (kind === "quiz") {
    const bank = moduleCode ? practiceBank(e.content.questions, moduleCode) : [];
    if (bank.length === 0) throw new NotFound();
    drawn = drawQuestions(bank, e.rules.quiz.questionCount, randomInt(2 ** 31));
  } else {
    const exams = attemptsOf(e.id, "exam");
    const open = exams.find((a) => !a.submittedAt && a.deadlineAt && now.toISOString() <= a.deadlineAt);
    if (open) return success(open.id);
    const gate = examGateOf(e, exams, now);
    if (!gate.open) {
      if (gate.reason === "passed") return failure({ _form: "exam.alreadyPassed" });
      if (gate.reason === "noAttemptsLeft") return failure({ _form: "exam.noAttemptsLeft" });
      if (gate.reason === "waiting") return refuse("_form", "exam.waiting", { until: shanghaiDateTime(gate.until) });
      return refuse("_form", "exam.modulesIncomplete", { modules: gate.modules.join("、") });
    }
    drawn = drawExam(e.rules, e.content.questions, randomInt(2 ** 31));
    deadlineAt = new Date(now.getTime() + e.rules.exam.timeLimitMinutes * 60_000).toISOString();
  }
  const id = randomUUID();
  db().transaction((tx) => {
    tx.insert(assessmentAttempts)
      .values({ id, enrolmentId: e.id, kind, moduleCode, questions: JSON.stringify(drawn), startedAt: now.toISOString(), deadlineAt })
      .run();
    // A started exam spends an attempt, which the stored progress says.
    if (kind === "exam") refreshCompletion(tx, e.id, e.userId);
  });
  return success(id);
}

/** Module codes whose quiz the trainee has passed. */
export function quizzesPassedOf(enrolmentId: string): Set<string> {
  return new Set(attemptsOf(enrolmentId, "quiz").flatMap((a) => (a.passed && a.moduleCode ? [a.moduleCode] : [])));
}

/** Whether the exam can be started now, and if not, why (for the exam page). */
export function examGateOf(e: LearningEnrolment, attempts = attemptsOf(e.id, "exam"), now = clockNow()) {
  return examGate(e.rules, { lessonsDone: lessonsDoneOf(e.id), quizzesPassed: quizzesPassedOf(e.id), attempts }, now);
}

export function getAttempt(e: LearningEnrolment, attemptId: string) {
  const a = db()
    .select()
    .from(assessmentAttempts)
    .where(and(eq(assessmentAttempts.id, attemptId), eq(assessmentAttempts.enrolmentId, e.id)))
    .get();
  if (!a) return null;
  const drawn = JSON.parse(a.questions) as DrawnQuestion[];
  const submitted = !!a.submittedAt;
  return {
    id: a.id,
    kind: a.kind,
    moduleCode: a.moduleCode,
    startedAt: a.startedAt,
    deadlineAt: a.deadlineAt,
    submittedAt: a.submittedAt,
    scorePercent: a.scorePercent,
    passed: a.passed,
    // Keys and explanations leave the server only once the answers are in.
    questions: submitted ? drawn : publicQuestions(drawn),
    answers: a.answers ? (JSON.parse(a.answers) as Record<string, number[]>) : null,
  };
}

export function submitAttempt(
  e: LearningEnrolment,
  attemptId: string,
  form: { getAll(name: string): unknown[] },
  now = clockNow(),
): ServiceResult<{ percent: number; passed: boolean }> {
  const a = db()
    .select()
    .from(assessmentAttempts)
    .where(and(eq(assessmentAttempts.id, attemptId), eq(assessmentAttempts.enrolmentId, e.id)))
    .get();
  if (!a) throw new NotFound();
  if (a.submittedAt) return failure({ _form: "exam.alreadySubmitted" });
  const submittedAt = now.toISOString();
  if (a.deadlineAt && isLate(a.deadlineAt, submittedAt)) return failure({ _form: "exam.late" });

  const drawn = JSON.parse(a.questions) as DrawnQuestion[];
  const answers = answersFromForm(drawn, form);
  // An exam handed in with questions left blank is graded only once the trainee says so; when the
  // time ran out, it is handed in as it stands.
  const unanswered = unansweredCount(drawn, answers);
  if (a.kind === "exam" && unanswered > 0 && form.getAll("confirmUnanswered")[0] !== "1" && form.getAll("timedOut")[0] !== "1") {
    return refuse("_form", "exam.confirmUnanswered", { n: unanswered });
  }
  const passMark = a.kind === "exam" ? e.rules.exam.passMark : e.rules.quiz.passMark;
  const result = grade(drawn, answers, passMark);
  db().transaction((tx) => {
    const updated = tx
      .update(assessmentAttempts)
      .set({ submittedAt, answers: JSON.stringify(answers), scorePercent: result.percent, passed: result.passed })
      .where(and(eq(assessmentAttempts.id, a.id), isNull(assessmentAttempts.submittedAt)))
      .run();
    if (updated.changes === 0) throw new Conflict();
    refreshCompletion(tx, e.id, e.userId);
  });
  return success({ percent: result.percent, passed: result.passed });
}
