import { eq, isNull } from "drizzle-orm";
import { now as clockNow } from "./clock.server";
import { db, prepared, type Executor } from "../../db/client.server";
import { enrolments, type DepartmentKind } from "../../db/schema";
import { evaluateCompletion, type Completion, type CompletionEvents } from "../domain/completion";
import { placementRecord } from "../domain/rotation";
import { recordAudit } from "./audit.server";
import { rulesOfVersion } from "./program-versions.server";

/**
 * Rows of one query for many enrolments, grouped by enrolment (its first column). Completion does
 * not depend on the order of events (practicals carry their own), so none is asked for.
 */
function byEnrolment<R extends unknown[]>(statement: string, enrolmentIds: readonly string[], ...rest: unknown[]): Map<string, R[]> {
  const grouped = new Map<string, R[]>(enrolmentIds.map((id) => [id, []]));
  for (const row of prepared(statement)
    .raw()
    .all(JSON.stringify(enrolmentIds), ...rest) as [string, ...unknown[]][])
    grouped.get(row[0])!.push(row.slice(1) as R);
  return grouped;
}

const IDS = "(select value from json_each(?))";

/**
 * What completion is judged on, for many enrolments at once: one read per kind of record whatever
 * their number (saving an attendance column re-judges a whole cohort).
 */
export function eventsOfMany(enrolmentIds: readonly string[]): Map<string, CompletionEvents> {
  // Read aggregated where completion only counts or sums, so a cohort's hundred trainees are a few
  // hundred rows, not every lesson and attendance record they have.
  const lessons = byEnrolment<[string]>(
    `select enrolment_id, group_concat(module_code || '/' || lesson_code, char(31)) from lesson_completions where enrolment_id in ${IDS} group by enrolment_id`,
    enrolmentIds,
  );
  const attempts = byEnrolment<[string, string | null, number, number]>(
    `select enrolment_id, kind, module_code, count(*), max(coalesce(passed, 0)) from assessment_attempts where enrolment_id in ${IDS} group by enrolment_id, kind, module_code`,
    enrolmentIds,
  );
  const hours = byEnrolment<["theory" | "practice", number]>(
    `select a.enrolment_id, s.kind, sum(a.hours) from attendance a join class_sessions s on s.id = a.session_id where a.enrolment_id in ${IDS} group by a.enrolment_id, s.kind`,
    enrolmentIds,
  );
  const practicals = byEnrolment<[number, string, "pass" | "fail", string]>(
    `select enrolment_id, id, skill_code, result, assessed_on from practical_assessments where enrolment_id in ${IDS}`,
    enrolmentIds,
  );
  const studied = byEnrolment<[string, number]>(
    `select enrolment_id, module_code, sum(seconds) from lesson_views where enrolment_id in ${IDS} group by enrolment_id, module_code`,
    enrolmentIds,
  );
  const rotations = completedRotations(enrolmentIds);
  return new Map(
    enrolmentIds.map((id) => {
      const own = attempts.get(id)!;
      const exams = own.filter(([kind]) => kind === "exam");
      return [
        id,
        {
          lessonsDone: lessons.get(id)!.flatMap(([joined]) => joined.split("\u001f")),
          quizzesPassed: own
            .filter(([kind, moduleCode, , passed]) => kind === "quiz" && passed && moduleCode)
            .map(([, moduleCode]) => moduleCode!),
          attendance: hours.get(id)!.map(([kind, h]) => ({ kind, hours: h })),
          studySeconds: Object.fromEntries(studied.get(id)!),
          // Every exam started counts as an attempt, submitted or not: walking away does not buy another try.
          exam: { attempts: exams.reduce((n, [, , count]) => n + count, 0), passed: exams.some(([, , , passed]) => !!passed) },
          practicals: practicals.get(id)!.map(([order, skillCode, result, assessedOn]) => ({ skillCode, result, assessedOn, order })),
          rotations: rotations.get(id)!,
        },
      ];
    }),
  );
}

export function eventsOf(enrolmentId: string): CompletionEvents {
  return eventsOfMany([enrolmentId]).get(enrolmentId)!;
}

/** Placements whose days are attended and whose evaluation passed, with the days they count for. */
function completedRotations(enrolmentIds: readonly string[]): Map<string, { departmentKind: DepartmentKind; days: number }[]> {
  const rows = byEnrolment<[string, number, DepartmentKind]>(
    `select p.enrolment_id, p.id, p.required_days, d.kind from placements p join departments d on d.id = p.department_id where p.enrolment_id in ${IDS}`,
    enrolmentIds,
  );
  const placementIds = [...rows.values()].flat().map(([id]) => id);
  const signoffs = new Map<string, { id: number; placementId: string; kind: string; status: string; passed: boolean | null }[]>();
  if (placementIds.length) {
    for (const [id, placementId, kind, status, passed] of prepared(
      `select id, placement_id, kind, status, passed from rotation_signoffs where placement_id in ${IDS} order by id`,
    )
      .raw()
      .all(JSON.stringify(placementIds)) as [number, string, string, string, number | null][]) {
      if (!signoffs.has(placementId)) signoffs.set(placementId, []);
      signoffs.get(placementId)!.push({ id, placementId, kind, status, passed: passed === null ? null : !!passed });
    }
  }
  return new Map(
    [...rows].map(([enrolmentId, placementRows]) => [
      enrolmentId,
      placementRows.flatMap(([id, requiredDays, kind]) => {
        const rec = placementRecord(requiredDays, (signoffs.get(id) ?? []) as Parameters<typeof placementRecord>[1]);
        return rec.complete ? [{ departmentKind: kind, days: rec.attendedDays }] : [];
      }),
    ]),
  );
}

export function completionOf(tx: Executor, enrolmentId: string): Completion {
  const enrolment = tx
    .select({ programVersionId: enrolments.programVersionId })
    .from(enrolments)
    .where(eq(enrolments.id, enrolmentId))
    .get();
  if (!enrolment) throw new Error(`unknown enrolment ${enrolmentId}`);
  return evaluateCompletion(rulesOfVersion(enrolment.programVersionId), eventsOf(enrolmentId));
}

/** The completion of many enrolments, judged from one read per kind of record. */
function completionsOf(enrolmentIds: readonly string[]): Map<string, Completion> {
  const versions = new Map(
    prepared(`select id, program_version_id from enrolments where id in ${IDS}`).raw().all(JSON.stringify(enrolmentIds)) as [
      string,
      number,
    ][],
  );
  const events = eventsOfMany(enrolmentIds);
  return new Map(
    enrolmentIds.map((id) => {
      if (!versions.has(id)) throw new Error(`unknown enrolment ${id}`);
      return [id, evaluateCompletion(rulesOfVersion(versions.get(id)!), events.get(id)!)];
    }),
  );
}

/**
 * Re-evaluates an enrolment after an event was recorded, inside the same transaction, and stores
 * the result, so tables of many trainees read it rather than evaluate each one. The first time
 * everything is met, the moment is stored and audit-logged; a completed enrolment stays completed,
 * since certificates and claims rest on it.
 */
export function refreshCompletion(tx: Executor, enrolmentId: string, actorUserId: string | null): Completion {
  return storeCompletion(tx, enrolmentId, completionOf(tx, enrolmentId), actorUserId);
}

/** Stores a judged completion, marking the enrolment completed (once, audit-logged) when it is. */
function storeCompletion(tx: Executor, enrolmentId: string, completion: Completion, actorUserId: string | null): Completion {
  // Raw statements, prepared once: a cohort's attendance column refreshes a hundred of these.
  prepared("update enrolments set progress = ? where id = ?").run(JSON.stringify(completion), enrolmentId);
  if (completion.status === "completed") {
    const completedAt = clockNow().toISOString();
    const changed = prepared("update enrolments set status = 'completed', completed_at = ? where id = ? and status = 'in_progress'").run(
      completedAt,
      enrolmentId,
    );
    if (changed.changes > 0) {
      const e = tx.select({ cohortId: enrolments.cohortId }).from(enrolments).where(eq(enrolments.id, enrolmentId)).get()!;
      recordAudit(tx, {
        actorUserId,
        action: "enrolment.complete",
        entityType: "enrolment",
        entityId: enrolmentId,
        details: { completedAt, cohortId: e.cohortId },
      });
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
      const ids = enrolmentIds.slice(i, i + step);
      const judged = completionsOf(ids);
      for (const id of ids) storeCompletion(tx, id, judged.get(id)!, actorUserId);
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
    const ids = db()
      .select({ id: enrolments.id })
      .from(enrolments)
      .where(isNull(enrolments.progress))
      .limit(batch)
      .all()
      .map((r) => r.id);
    if (ids.length === 0) return done;
    db().transaction((tx) => {
      for (const id of ids)
        tx.update(enrolments)
          .set({ progress: JSON.stringify(completionOf(tx, id)) })
          .where(eq(enrolments.id, id))
          .run();
    });
    done += ids.length;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
