import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { db, type Executor } from "../../db/client.server";
import {
  assessmentAttempts,
  attendance,
  classSessions,
  departments,
  enrolments,
  lessonCompletions,
  lessonViews,
  placements,
  practicalAssessments,
  rotationSignoffs,
  type DepartmentKind,
} from "../../db/schema";
import { evaluateCompletion, type Completion, type CompletionEvents } from "../domain/completion";
import { placementRecord } from "../domain/rotation";
import { recordAudit } from "./audit.server";
import { rulesOfVersion } from "./program-versions.server";

export function eventsOf(tx: Executor, enrolmentId: string): CompletionEvents {
  const lessons = tx
    .select({ m: lessonCompletions.moduleCode, l: lessonCompletions.lessonCode })
    .from(lessonCompletions)
    .where(eq(lessonCompletions.enrolmentId, enrolmentId))
    .all();
  const attempts = tx
    .select({ kind: assessmentAttempts.kind, moduleCode: assessmentAttempts.moduleCode, passed: assessmentAttempts.passed, submittedAt: assessmentAttempts.submittedAt, deadlineAt: assessmentAttempts.deadlineAt })
    .from(assessmentAttempts)
    .where(eq(assessmentAttempts.enrolmentId, enrolmentId))
    .all();
  const hours = tx
    .select({ kind: classSessions.kind, hours: attendance.hours })
    .from(attendance)
    .innerJoin(classSessions, eq(classSessions.id, attendance.sessionId))
    .where(eq(attendance.enrolmentId, enrolmentId))
    .all();
  const practicals = tx
    .select({ id: practicalAssessments.id, skillCode: practicalAssessments.skillCode, result: practicalAssessments.result, assessedOn: practicalAssessments.assessedOn })
    .from(practicalAssessments)
    .where(eq(practicalAssessments.enrolmentId, enrolmentId))
    .all();
  const studied = tx
    .select({ moduleCode: lessonViews.moduleCode, seconds: sql<number>`sum(${lessonViews.seconds})` })
    .from(lessonViews)
    .where(eq(lessonViews.enrolmentId, enrolmentId))
    .groupBy(lessonViews.moduleCode)
    .all();
  const exams = attempts.filter((a) => a.kind === "exam");
  return {
    lessonsDone: lessons.map((r) => `${r.m}/${r.l}`),
    quizzesPassed: [...new Set(attempts.filter((a) => a.kind === "quiz" && a.passed).map((a) => a.moduleCode!))],
    attendance: hours,
    studySeconds: Object.fromEntries(studied.map((r) => [r.moduleCode, r.seconds])),
    // Every exam started counts as an attempt, submitted or not: walking away does not buy another try.
    exam: { attempts: exams.length, passed: exams.some((a) => a.passed) },
    practicals: practicals.map((p) => ({ skillCode: p.skillCode, result: p.result, assessedOn: p.assessedOn, order: p.id })),
    rotations: completedRotations(tx, enrolmentId),
  };
}

/** Placements whose days are attended and whose evaluation passed, with the days they count for. */
function completedRotations(tx: Executor, enrolmentId: string): { departmentKind: DepartmentKind; days: number }[] {
  const rows = tx
    .select({ id: placements.id, requiredDays: placements.requiredDays, kind: departments.kind })
    .from(placements)
    .innerJoin(departments, eq(departments.id, placements.departmentId))
    .where(eq(placements.enrolmentId, enrolmentId))
    .all();
  if (rows.length === 0) return [];
  const signoffs = tx
    .select({ id: rotationSignoffs.id, placementId: rotationSignoffs.placementId, kind: rotationSignoffs.kind, status: rotationSignoffs.status, passed: rotationSignoffs.passed })
    .from(rotationSignoffs)
    .where(inArray(rotationSignoffs.placementId, rows.map((r) => r.id)))
    .all();
  return rows.flatMap((r) => {
    const rec = placementRecord(r.requiredDays, signoffs.filter((s) => s.placementId === r.id));
    return rec.complete ? [{ departmentKind: r.kind, days: rec.attendedDays }] : [];
  });
}

export function completionOf(tx: Executor, enrolmentId: string): Completion {
  const enrolment = tx.select().from(enrolments).where(eq(enrolments.id, enrolmentId)).get();
  if (!enrolment) throw new Error(`unknown enrolment ${enrolmentId}`);
  return evaluateCompletion(rulesOfVersion(enrolment.programVersionId), eventsOf(tx, enrolmentId));
}

/**
 * Re-evaluates an enrolment after an event was recorded, inside the same transaction, and stores
 * the result, so tables of many trainees read it rather than evaluate each one. The first time
 * everything is met, the moment is stored and audit-logged; a completed enrolment stays completed,
 * since certificates and claims rest on it.
 */
export function refreshCompletion(tx: Executor, enrolmentId: string, actorUserId: string | null): Completion {
  const completion = completionOf(tx, enrolmentId);
  tx.update(enrolments).set({ progress: JSON.stringify(completion) }).where(eq(enrolments.id, enrolmentId)).run();
  if (completion.status === "completed") {
    const completedAt = new Date().toISOString();
    const changed = tx
      .update(enrolments)
      .set({ status: "completed", completedAt })
      .where(and(eq(enrolments.id, enrolmentId), eq(enrolments.status, "in_progress")))
      .run();
    if (changed.changes > 0) {
      const e = tx.select({ cohortId: enrolments.cohortId }).from(enrolments).where(eq(enrolments.id, enrolmentId)).get()!;
      recordAudit(tx, { actorUserId, action: "enrolment.complete", entityType: "enrolment", entityId: enrolmentId, details: { completedAt, cohortId: e.cohortId } });
    }
  }
  return completion;
}

export function enrolmentCompletion(enrolmentId: string): Completion {
  return completionOf(db(), enrolmentId);
}

/**
 * Re-evaluates many enrolments after one change touched them all (an attendance column), a few to a
 * transaction with other requests served in between.
 */
export async function refreshCompletions(enrolmentIds: string[], actorUserId: string | null, step = 25): Promise<void> {
  for (let i = 0; i < enrolmentIds.length; i += step) {
    db().transaction((tx) => {
      for (const id of enrolmentIds.slice(i, i + step)) refreshCompletion(tx, id, actorUserId);
    });
    if (i + step < enrolmentIds.length) await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * The stored completion of an enrolment (as `enrolments.progress` holds it), or, for one never
 * evaluated since progress was stored (a database from before), evaluated now from its events.
 */
export function storedCompletion(enrolment: { id: string; progress: string | null }): Completion {
  return enrolment.progress ? (JSON.parse(enrolment.progress) as Completion) : completionOf(db(), enrolment.id);
}

/**
 * Stores the completion of enrolments that have none yet (a database from before progress was
 * stored), a hundred to a transaction with other requests served in between: started at server
 * start, it never holds the write lock or the event loop for long. Returns how many it stored.
 */
export async function backfillProgress(batch = 100): Promise<number> {
  let done = 0;
  for (;;) {
    const ids = db().select({ id: enrolments.id }).from(enrolments).where(isNull(enrolments.progress)).limit(batch).all().map((r) => r.id);
    if (ids.length === 0) return done;
    db().transaction((tx) => {
      for (const id of ids) tx.update(enrolments).set({ progress: JSON.stringify(completionOf(tx, id)) }).where(eq(enrolments.id, id)).run();
    });
    done += ids.length;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
