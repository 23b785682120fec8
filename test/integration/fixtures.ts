import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { DEMO_PASSWORD, seedDemo } from "../../db/seed/demo";
import { assessmentAttempts, enrolments, lessonViews, organisations, programVersions, users } from "../../db/schema";
import type { DrawnQuestion } from "../../app/domain/assessment";
import { addSession, recordPracticals, saveAttendance, sessionsOf } from "../../app/services/cohort-records.server";
import { createCohort, enrolPeople, getCohort, type Cohort } from "../../app/services/cohorts.server";
import {
  learningEnrolment,
  lessonStudy,
  markLessonDone,
  moduleStudySeconds,
  startAssessment,
  submitAttempt,
  type LearningEnrolment,
} from "../../app/services/learning.server";
import { classroomTheoryHours, splitsTheoryHours } from "../../app/domain/program";
import { hashPassword } from "../../app/auth/password.server";
import type { RequestContext } from "../../app/context";
import { loadCurrentUser } from "../../app/auth/current-user.server";
import { publishProgramVersions } from "../../app/services/program-versions.server";
import { currentTemplate, recordAssessment } from "../../app/services/base-assessments.server";
import { halfYearOf } from "../../app/domain/base-assessment";
import { today } from "../../app/services/clock.server";

let seeded: Promise<void> | undefined;

/** The demo alliance in this file's own database, seeded once per file. */
export function withDemoData(): Promise<void> {
  seeded ??= hashPassword(DEMO_PASSWORD).then((hash) => {
    publishProgramVersions();
    seedDemo(db(), hash);
  });
  return seeded;
}

export function orgId(code: string): string {
  const row = db().select({ id: organisations.id }).from(organisations).where(eq(organisations.code, code)).get();
  if (!row) throw new Error(`no organisation ${code}`);
  return row.id;
}

export function userId(username: string): string {
  const row = db().select({ id: users.id }).from(users).where(eq(users.username, username)).get();
  if (!row) throw new Error(`no user ${username}`);
  return row.id;
}

/** What the HTTP server would hand a loader for this user (null: signed out). */
export function requestContext(user: RequestContext["user"]): RequestContext {
  return { user, sessionId: null, clientAddress: "127.0.0.1", secure: false, httpSignIn: true, cspNonce: "", locale: "zh-CN" };
}

/** What the HTTP server would hand a loader for this signed-in user. */
export function contextFor(username: string): RequestContext {
  return requestContext(loadCurrentUser(userId(username)));
}

/** Signed in by id, past choosing a first password (a trainee the test made, say). */
export function contextOfUser(uid: string): RequestContext {
  return requestContext({ ...loadCurrentUser(uid)!, mustChangePassword: false });
}

/** A cohort of a programme opened at a base through the service the app uses. */
export function openCohort(
  baseCode: string,
  cohort: { name: string; startDate: string; endDate: string; capacity: number },
  options: { programCode?: string; by?: string } = {},
): Cohort {
  const version = db()
    .select()
    .from(programVersions)
    .all()
    .find((v) => v.programCode === (options.programCode ?? "family-caregiver"))!;
  const created = createCohort(userId(options.by ?? "admin"), orgId(baseCode), {
    programVersionId: version.id,
    instructorIds: [],
    ...cohort,
  });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return getCohort(created.value)!;
}

/** Opens a family-caregiver cohort at a base and enrols people, returning their enrolment ids. */
export async function cohortWithTrainees(
  baseCode: string,
  people: { name: string; mobile: string; idNumber: string }[],
  programCode = "family-caregiver",
) {
  const cohort = openCohort(
    baseCode,
    {
      name: `测试班${Math.random().toString(36).slice(2, 6)}`,
      startDate: "2026-09-01",
      endDate: "2026-11-30",
      capacity: Math.max(50, people.length),
    },
    { programCode },
  );
  const result = await enrolPeople(
    userId("admin"),
    cohort,
    people.map((p, i) => ({ row: i + 2, employer: "", ...p })),
    "roster",
  );
  if (!result.ok) throw new Error(JSON.stringify(result.rows.map((r) => r.errors)));
  const rows = db()
    .select({ id: enrolments.id, mobile: users.mobile })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(eq(enrolments.cohortId, cohort.id))
    .all();
  // In the order the people were given.
  return { cohort, enrolmentIds: people.map((p) => rows.find((r) => r.mobile === p.mobile)!.id) };
}

/** Records everything a family-caregiver enrolment needs, through the same services the app uses. */
/** A form answering every question of an attempt rightly. */
export function rightAnswers(attemptId: string) {
  const qs = JSON.parse(
    db().select().from(assessmentAttempts).where(eq(assessmentAttempts.id, attemptId)).get()!.questions,
  ) as DrawnQuestion[];
  const values = qs.flatMap((q) => q.answer.map((i) => [`q:${q.id}`, String(i)] as const));
  return { getAll: (name: string) => values.filter(([k]) => k === name).map(([, v]) => v) };
}

/** A lesson studied for as long as it needs (recorded as one view) and marked read. */
export function studyLesson(e: LearningEnrolment, moduleCode: string, lessonCode: string) {
  const { required } = lessonStudy(e, moduleCode, lessonCode);
  const at = new Date().toISOString();
  db()
    .insert(lessonViews)
    .values({ id: randomUUID(), enrolmentId: e.id, moduleCode, lessonCode, openedAt: at, lastBeatAt: at, seconds: required })
    .run();
  const marked = markLessonDone(e, moduleCode, lessonCode);
  if (!marked.ok) throw new Error(`lesson ${moduleCode}/${lessonCode} still needs ${marked.params?._form?.minutes} min`);
}

/** Every lesson read and every module quiz passed: what opens the final exam. */
export function finishModules(enrolmentId: string) {
  const e = learningEnrolment(enrolmentId)!;
  for (const m of e.rules.modules) {
    for (const l of m.lessons) studyLesson(e, m.code, l.code);
    const quiz = startAssessment(e, "quiz", m.code);
    if (quiz.ok) submitAttempt(e, quiz.value, rightAnswers(quiz.value));
  }
  return e;
}

/** Study time recorded for each module up to its online share (versions that split theory hours). */
export function studyOnlineShares(e: LearningEnrolment) {
  for (const m of e.rules.modules) {
    if (m.onlineHours === undefined) continue;
    const more = m.onlineHours * 3600 - moduleStudySeconds(e.id, m.code);
    if (more <= 0) continue;
    const at = new Date().toISOString();
    db()
      .insert(lessonViews)
      .values({
        id: randomUUID(),
        enrolmentId: e.id,
        moduleCode: m.code,
        lessonCode: m.lessons[0].code,
        openedAt: at,
        lastBeatAt: at,
        seconds: more,
      })
      .run();
  }
}

/** A cohort's session of a kind, added for the given hours the first time it is asked for. */
function sessionOfKind(cohort: Cohort, kind: "theory" | "practice", hours: number) {
  const existing = sessionsOf(cohort.id).find((s) => s.kind === kind);
  if (existing) return existing;
  const added = addSession(userId("admin"), cohort, {
    date: cohort.startDate,
    title: kind === "practice" ? "实操" : "课堂理论",
    kind,
    hours,
  });
  if (!added.ok) throw new Error("session");
  return sessionsOf(cohort.id).find((s) => s.id === added.value)!;
}

export async function completeEnrolment(cohort: Cohort, enrolmentId: string) {
  const e = finishModules(enrolmentId);
  studyOnlineShares(e);
  const exam = startAssessment(e, "exam", null);
  if (exam.ok) submitAttempt(e, exam.value, rightAnswers(exam.value));
  const sessions = [sessionOfKind(cohort, "practice", e.rules.hours.practice)];
  const classroom = splitsTheoryHours(e.rules) ? classroomTheoryHours(e.rules) : 0;
  if (classroom > 0) sessions.push(sessionOfKind(cohort, "theory", Math.ceil(classroom)));
  await saveAttendance(
    userId("admin"),
    cohort,
    sessions.map((s) => ({ sessionId: s.id, enrolmentId, hours: String(s.hours) })),
  );
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

/**
 * The base's health bureau reassesses it for the current half year and it passes: the demo's 富阳
 * base failed its latest assessment, and policies that need a passed one pay its heads again.
 */
export function passAssessment(baseCode: "BASE-FY" | "BASE-FY-XD" | "BASE-GERI") {
  const [reviewer, bureau] = baseCode === "BASE-GERI" ? ["reviewer", "BUREAU-GS"] : ["reviewer.fy", "BUREAU-FY"];
  const scores = Object.fromEntries(currentTemplate().items.map((i) => [i.code, String(i.points)]));
  const result = recordAssessment(userId(reviewer), orgId(bureau), orgId(baseCode), {
    period: halfYearOf(today()),
    assessedOn: today(),
    inspectors: "复查组",
    notes: "整改后复查",
    scores,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
}
