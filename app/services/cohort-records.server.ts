import { and, asc, eq } from "drizzle-orm";
import { BadRequest } from "./errors";
import { db, prepared } from "../../db/client.server";
import { inList } from "../../db/in-list";
import { attendance, classSessions, enrolments, practicalAssessments, users } from "../../db/schema";
import type { FieldErrors } from "./result";
import { recordAudit } from "./audit.server";
import type { Cohort } from "./cohorts.server";
import { refreshCompletion, refreshCompletions } from "./completion.server";
import { now as clockNow, today } from "./clock.server";
import { readAttendanceCell } from "../domain/attendance";
import { isScored, sameExaminer, scoreChecklist, type ItemMarks } from "../domain/practical";
import { contentOfVersion, rulesOfVersion } from "./program-versions.server";
import { failure, success, type ServiceResult } from "./result";

export function sessionsOf(cohortId: string) {
  return db()
    .select()
    .from(classSessions)
    .where(eq(classSessions.cohortId, cohortId))
    .orderBy(asc(classSessions.date), asc(classSessions.id))
    .all();
}

export function addSession(
  actorUserId: string,
  cohort: Cohort,
  input: { date: string; title: string; kind: "theory" | "practice"; hours: number },
): ServiceResult<number> {
  if (input.date < cohort.startDate || input.date > cohort.endDate) return failure({ date: "cohort.dateOutside" });
  const id = db().transaction((tx) => {
    const row = tx
      .insert(classSessions)
      .values({ cohortId: cohort.id, ...input })
      .returning({ id: classSessions.id })
      .get();
    recordAudit(tx, {
      actorUserId,
      action: "session.create",
      entityType: "cohort",
      entityId: cohort.id,
      organisationId: cohort.organisationId,
      details: input,
    });
    return row.id;
  });
  return success(id);
}

/** The recorded hours of a cohort, or of some of its trainees (a page of the grid). */
export function attendanceOf(cohortId: string, enrolmentIds?: string[]) {
  const ofCohort = eq(classSessions.cohortId, cohortId);
  return db()
    .select({ sessionId: attendance.sessionId, enrolmentId: attendance.enrolmentId, hours: attendance.hours })
    .from(attendance)
    .innerJoin(classSessions, eq(classSessions.id, attendance.sessionId))
    .where(enrolmentIds ? and(ofCohort, inList(attendance.enrolmentId, enrolmentIds)) : ofCohort)
    .all();
}

export interface AttendanceCell {
  sessionId: number;
  enrolmentId: string;
  /** Empty means "not recorded". */
  hours: string;
}

/**
 * The cells sent with "everyone present" pressed for one session: that session's blank cells get its
 * full hours, and so does every trainee of the cohort not on the page sent who has nothing recorded
 * for it. Anything else sent is kept as it was typed.
 */
export function withSessionFilled(cohortId: string, sessionId: number, cells: AttendanceCell[]): AttendanceCell[] {
  const session = sessionsOf(cohortId).find((s) => s.id === sessionId);
  if (!session) return cells;
  const full = String(session.hours);
  const filled = cells.map((c) => (c.sessionId === sessionId && c.hours.trim() === "" ? { ...c, hours: full } : c));
  const sent = new Set(cells.filter((c) => c.sessionId === sessionId).map((c) => c.enrolmentId));
  const unrecorded = prepared(
    `select e.id from enrolments e where e.cohort_id = ?
       and not exists (select 1 from attendance a where a.session_id = ? and a.enrolment_id = e.id)`,
  )
    .pluck()
    .all(cohortId, sessionId) as string[];
  for (const enrolmentId of unrecorded) if (!sent.has(enrolmentId)) filled.push({ sessionId, enrolmentId, hours: full });
  return filled;
}

/**
 * Saves the whole attendance grid at once. Every cell is checked first (a whole number from 0 to
 * the session's hours); one bad cell saves nothing and is reported by its field name.
 */
export async function saveAttendance(actorUserId: string, cohort: Cohort, cells: AttendanceCell[]): Promise<ServiceResult<number>> {
  const sessions = new Map(sessionsOf(cohort.id).map((s) => [s.id, s]));
  const enrolled = new Set(
    db()
      .select({ id: enrolments.id })
      .from(enrolments)
      .where(eq(enrolments.cohortId, cohort.id))
      .all()
      .map((e) => e.id),
  );
  const errors: FieldErrors = {};
  const valid: { sessionId: number; enrolmentId: string; hours: number | null }[] = [];
  for (const cell of cells) {
    const session = sessions.get(cell.sessionId);
    if (!session || !enrolled.has(cell.enrolmentId)) throw new BadRequest();
    const field = `a:${cell.sessionId}:${cell.enrolmentId}`;
    const reading = readAttendanceCell(cell.hours, session.hours);
    if (reading.kind === "invalid") errors[field] = "attendance.hoursRange";
    else valid.push({ sessionId: cell.sessionId, enrolmentId: cell.enrolmentId, hours: reading.kind === "hours" ? reading.hours : null });
  }
  if (Object.keys(errors).length) return failure(errors);

  // Only the trainees sent: a page of the grid is a quarter of a large cohort's records.
  const existing = new Map(
    attendanceOf(cohort.id, [...new Set(valid.map((v) => v.enrolmentId))]).map((a) => [`${a.sessionId}:${a.enrolmentId}`, a.hours]),
  );
  const changed = valid.filter((v) => (existing.get(`${v.sessionId}:${v.enrolmentId}`) ?? null) !== v.hours);
  db().transaction((tx) => {
    // Raw statements, prepared once: a column is a cell per trainee of the cohort.
    const remove = prepared("delete from attendance where session_id = ? and enrolment_id = ?");
    const upsert = prepared(
      `insert into attendance (session_id, enrolment_id, hours, recorded_by) values (?, ?, ?, ?)
       on conflict (session_id, enrolment_id) do update set hours = excluded.hours, recorded_by = excluded.recorded_by, recorded_at = ?`,
    );
    const at = clockNow().toISOString();
    for (const v of changed) {
      if (v.hours === null) remove.run(v.sessionId, v.enrolmentId);
      else upsert.run(v.sessionId, v.enrolmentId, v.hours, actorUserId, at);
    }
    if (changed.length) {
      recordAudit(tx, {
        actorUserId,
        action: "attendance.record",
        entityType: "cohort",
        entityId: cohort.id,
        organisationId: cohort.organisationId,
        details: { cells: changed },
      });
    }
  });
  // A column for a whole cohort changes many trainees: their completion is re-evaluated in short
  // steps after the attendance is saved, never inside one long write transaction.
  await refreshCompletions([...new Set(changed.map((c) => c.enrolmentId))], actorUserId);
  return success(changed.length);
}

export function practicalsOf(cohortId: string) {
  return db()
    .select({
      id: practicalAssessments.id,
      enrolmentId: practicalAssessments.enrolmentId,
      skillCode: practicalAssessments.skillCode,
      result: practicalAssessments.result,
      examiner: practicalAssessments.examiner,
      examiner2: practicalAssessments.examiner2,
      itemMarks: practicalAssessments.itemMarks,
      score: practicalAssessments.score,
      assessedOn: practicalAssessments.assessedOn,
      traineeName: users.name,
    })
    .from(practicalAssessments)
    .innerJoin(enrolments, eq(enrolments.id, practicalAssessments.enrolmentId))
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(eq(enrolments.cohortId, cohortId))
    .orderBy(asc(practicalAssessments.assessedOn), asc(practicalAssessments.id))
    .all();
}

/** Records one examiner's verdicts for one trainee: each checklist item pass or fail, on one date. */
export function recordPracticals(
  actorUserId: string,
  cohort: Cohort,
  input: { enrolmentId: string; examiner: string; assessedOn: string; results: { skillCode: string; result: "pass" | "fail" }[] },
  skillCodes: string[],
): ServiceResult<number> {
  const enrolment = db()
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.id, input.enrolmentId), eq(enrolments.cohortId, cohort.id)))
    .get();
  if (!enrolment) return failure({ enrolmentId: "error.choose" });
  if (input.assessedOn < cohort.startDate) return failure({ assessedOn: "cohort.dateOutside" });
  if (input.assessedOn > today()) return failure({ assessedOn: "error.futureDate" });
  if (input.results.length === 0) return failure({ _form: "practical.noneMarked" });
  if (input.results.some((r) => !skillCodes.includes(r.skillCode))) throw new BadRequest();
  db().transaction((tx) => {
    for (const r of input.results) {
      tx.insert(practicalAssessments)
        .values({
          enrolmentId: input.enrolmentId,
          skillCode: r.skillCode,
          result: r.result,
          examiner: input.examiner,
          assessedOn: input.assessedOn,
          recordedBy: actorUserId,
        })
        .run();
    }
    recordAudit(tx, {
      actorUserId,
      action: "practical.record",
      entityType: "enrolment",
      entityId: input.enrolmentId,
      organisationId: cohort.organisationId,
      details: input,
    });
    refreshCompletion(tx, input.enrolmentId, actorUserId);
  });
  return success(input.results.length);
}

export interface SkillAssessmentInput {
  enrolmentId: string;
  skillCode: string;
  examiner: string;
  /** Required, and another person, when the programme version asks for two examiners. */
  examiner2: string;
  assessedOn: string;
  /** Each checklist item met or not; items left out count as not met. */
  marks: ItemMarks;
  /** Only for a skill of a version published before checklists were scored. */
  result: "pass" | "fail" | null;
}

export interface SkillAssessmentSaved {
  id: number;
  result: "pass" | "fail";
  score: number | null;
  keyItemsFailed: string[];
}

/**
 * Records one skill assessed for one trainee. A skill with a checklist is scored here from the
 * item marks, whatever verdict a form may have posted: a key item not met fails it at any score.
 * The verdict stored is what completion counts, as for pass/fail rows recorded before checklists.
 */
export function recordSkillAssessment(
  actorUserId: string,
  cohort: Cohort,
  input: SkillAssessmentInput,
): ServiceResult<SkillAssessmentSaved> {
  const rules = rulesOfVersion(cohort.programVersionId);
  const skill = contentOfVersion(cohort.programVersionId)?.skills.find((s) => s.code === input.skillCode);
  if (!skill || !rules.skills.some((s) => s.code === input.skillCode)) throw new BadRequest();
  const enrolment = db()
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.id, input.enrolmentId), eq(enrolments.cohortId, cohort.id)))
    .get();
  const errors: FieldErrors = {};
  if (!enrolment) errors.enrolmentId = "error.choose";
  if (input.assessedOn < cohort.startDate) errors.assessedOn = "cohort.dateOutside";
  else if (input.assessedOn > today()) errors.assessedOn = "error.futureDate";
  const twoExaminers = (rules.practical?.examiners ?? 1) === 2;
  const examiner2 = twoExaminers ? input.examiner2.trim() : "";
  if (twoExaminers && !examiner2) errors.examiner2 = "practical.examiner2Required";
  else if (twoExaminers && sameExaminer(input.examiner, examiner2)) errors.examiner2 = "practical.examinerSame";
  if (!isScored(skill) && !input.result) errors.result = "error.choose";
  if (Object.keys(errors).length) return failure(errors);

  let saved: Omit<SkillAssessmentSaved, "id">;
  let itemMarks: string | null = null;
  if (isScored(skill)) {
    // Only the checklist's own items, in its order, each stored as met or not.
    const marks = Object.fromEntries(skill.items.map((i) => [i.code, input.marks[i.code] === true]));
    const scored = scoreChecklist(skill, marks);
    itemMarks = JSON.stringify(marks);
    saved = { result: scored.passed ? "pass" : "fail", score: scored.score, keyItemsFailed: scored.keyItemsFailed };
  } else {
    saved = { result: input.result!, score: null, keyItemsFailed: [] };
  }
  const id = db().transaction((tx) => {
    const row = tx
      .insert(practicalAssessments)
      .values({
        enrolmentId: input.enrolmentId,
        skillCode: input.skillCode,
        result: saved.result,
        examiner: input.examiner,
        examiner2: examiner2 || null,
        itemMarks,
        score: saved.score,
        assessedOn: input.assessedOn,
        recordedBy: actorUserId,
      })
      .returning({ id: practicalAssessments.id })
      .get();
    recordAudit(tx, {
      actorUserId,
      action: "practical.record",
      entityType: "enrolment",
      entityId: input.enrolmentId,
      organisationId: cohort.organisationId,
      details: {
        skillCode: input.skillCode,
        examiner: input.examiner,
        examiner2: examiner2 || undefined,
        assessedOn: input.assessedOn,
        result: saved.result,
        score: saved.score,
        keyItemsFailed: saved.keyItemsFailed,
      },
    });
    refreshCompletion(tx, input.enrolmentId, actorUserId);
    return row.id;
  });
  return success({ id, ...saved });
}
