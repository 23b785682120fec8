import { and, asc, count, eq, inArray, min, sql, type SQL } from "drizzle-orm";
import { db } from "../../db/client.server";
import {
  assessmentAttempts,
  attendance,
  classSessions,
  cohorts,
  departments,
  enrolments,
  lessonCompletions,
  lessonViews,
  organisations,
  placements,
  practicalAssessments,
  programVersions,
  rotationSignoffs,
  users,
  type DepartmentKind,
} from "../../db/schema";
import { evaluateCompletion, type Completion, type CompletionEvents } from "../domain/completion";
import type { ProgramRules } from "../domain/program";
import { placementRecord } from "../domain/rotation";
import { buildStudyRecord, completionEventsOf, type StudyRecord, type StudyRecordRows } from "../domain/study-record";
import { completionOf } from "./completion.server";
import { rulesOfVersion } from "./program-versions.server";

/** Who and which course a record is of: what its header prints. */
export interface StudyRecordHeader {
  enrolmentId: string;
  userId: string;
  name: string;
  /** Whole, as stored: the caller masks it for whoever reads the record. */
  idNumber: string | null;
  employerName: string;
  enrolmentStatus: "in_progress" | "completed" | "withdrawn";
  completedAt: string | null;
  programVersionId: number;
  programTitle: string;
  programVersion: number;
  organisationId: string;
  baseName: string;
  cohortId: string;
  cohortName: string;
  startDate: string;
  endDate: string;
}

export interface TraineeStudyRecord {
  header: StudyRecordHeader;
  rules: ProgramRules;
  record: StudyRecord;
}

/** The record disagrees with the trainee's completion: printing it would certify hours the system does not count. */
export class StudyRecordMismatch extends Error {
  constructor(enrolmentId: string, disagreements: string[]) {
    super(`study record of enrolment ${enrolmentId} disagrees with its completion: ${disagreements.join("; ")}`);
  }
}

type Scope = { enrolmentId: string } | { cohortId: string };

/** Rows of the enrolment, or of every enrolment in the cohort, through a join on enrolments. */
const within = (scope: Scope): SQL =>
  "enrolmentId" in scope ? eq(enrolments.id, scope.enrolmentId) : eq(enrolments.cohortId, scope.cohortId);

function headers(scope: Scope): StudyRecordHeader[] {
  return db()
    .select({
      enrolmentId: enrolments.id,
      userId: users.id,
      name: users.name,
      idNumber: users.idNumber,
      employerName: enrolments.employerName,
      enrolmentStatus: enrolments.status,
      completedAt: enrolments.completedAt,
      programVersionId: enrolments.programVersionId,
      programTitle: programVersions.title,
      programVersion: programVersions.version,
      organisationId: cohorts.organisationId,
      baseName: organisations.name,
      cohortId: cohorts.id,
      cohortName: cohorts.name,
      startDate: cohorts.startDate,
      endDate: cohorts.endDate,
    })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .innerJoin(cohorts, eq(cohorts.id, enrolments.cohortId))
    .innerJoin(organisations, eq(organisations.id, cohorts.organisationId))
    .innerJoin(programVersions, eq(programVersions.id, enrolments.programVersionId))
    .where(within(scope))
    .orderBy(asc(enrolments.enrolledAt), asc(users.name))
    .all();
}

/** Every row a record lists, for one enrolment or a whole cohort: one query a kind of row, whatever the number of trainees. */
function rowsOf(scope: Scope): Map<string, StudyRecordRows> {
  const byEnrolment = new Map<string, StudyRecordRows>();
  const of = (id: string) => {
    let rows = byEnrolment.get(id);
    if (!rows) byEnrolment.set(id, (rows = { views: [], lessonsRead: [], attempts: [], attendance: [], practicals: [] }));
    return rows;
  };
  const views = db()
    .select({
      enrolmentId: lessonViews.enrolmentId,
      moduleCode: lessonViews.moduleCode,
      lessonCode: lessonViews.lessonCode,
      opened: count(),
      firstOpenedAt: min(lessonViews.openedAt),
      seconds: sql<number>`coalesce(sum(${lessonViews.seconds}), 0)`,
    })
    .from(lessonViews)
    .innerJoin(enrolments, eq(enrolments.id, lessonViews.enrolmentId))
    .where(within(scope))
    .groupBy(lessonViews.enrolmentId, lessonViews.moduleCode, lessonViews.lessonCode)
    .all();
  for (const { enrolmentId, firstOpenedAt, ...v } of views) of(enrolmentId).views.push({ ...v, firstOpenedAt: firstOpenedAt ?? "" });

  const read = db()
    .select({
      enrolmentId: lessonCompletions.enrolmentId,
      moduleCode: lessonCompletions.moduleCode,
      lessonCode: lessonCompletions.lessonCode,
      completedAt: lessonCompletions.completedAt,
    })
    .from(lessonCompletions)
    .innerJoin(enrolments, eq(enrolments.id, lessonCompletions.enrolmentId))
    .where(within(scope))
    .all();
  for (const { enrolmentId, ...r } of read) of(enrolmentId).lessonsRead.push(r);

  const attempts = db()
    .select({
      enrolmentId: assessmentAttempts.enrolmentId,
      kind: assessmentAttempts.kind,
      moduleCode: assessmentAttempts.moduleCode,
      startedAt: assessmentAttempts.startedAt,
      submittedAt: assessmentAttempts.submittedAt,
      scorePercent: assessmentAttempts.scorePercent,
      passed: assessmentAttempts.passed,
    })
    .from(assessmentAttempts)
    .innerJoin(enrolments, eq(enrolments.id, assessmentAttempts.enrolmentId))
    .where(within(scope))
    .all();
  for (const { enrolmentId, ...a } of attempts) of(enrolmentId).attempts.push(a);

  const attended = db()
    .select({
      enrolmentId: attendance.enrolmentId,
      sessionId: classSessions.id,
      date: classSessions.date,
      title: classSessions.title,
      kind: classSessions.kind,
      sessionHours: classSessions.hours,
      hours: attendance.hours,
    })
    .from(attendance)
    .innerJoin(classSessions, eq(classSessions.id, attendance.sessionId))
    .innerJoin(enrolments, eq(enrolments.id, attendance.enrolmentId))
    .where(within(scope))
    .all();
  for (const { enrolmentId, ...a } of attended) of(enrolmentId).attendance.push(a);

  const practicals = db()
    .select({
      enrolmentId: practicalAssessments.enrolmentId,
      id: practicalAssessments.id,
      skillCode: practicalAssessments.skillCode,
      result: practicalAssessments.result,
      examiner: practicalAssessments.examiner,
      examiner2: practicalAssessments.examiner2,
      itemMarks: practicalAssessments.itemMarks,
      score: practicalAssessments.score,
      assessedOn: practicalAssessments.assessedOn,
    })
    .from(practicalAssessments)
    .innerJoin(enrolments, eq(enrolments.id, practicalAssessments.enrolmentId))
    .where(within(scope))
    .all();
  for (const { enrolmentId, ...p } of practicals) of(enrolmentId).practicals.push(p);
  return byEnrolment;
}

/** Completed rotation placements by enrolment, as completion counts them (app/services/completion.server.ts), for a whole cohort at once. */
function completedRotations(cohortId: string): Map<string, CompletionEvents["rotations"]> {
  const rows = db()
    .select({ id: placements.id, enrolmentId: placements.enrolmentId, requiredDays: placements.requiredDays, kind: departments.kind })
    .from(placements)
    .innerJoin(departments, eq(departments.id, placements.departmentId))
    .innerJoin(enrolments, eq(enrolments.id, placements.enrolmentId))
    .where(eq(enrolments.cohortId, cohortId))
    .all();
  const result = new Map<string, { departmentKind: DepartmentKind; days: number }[]>();
  if (rows.length === 0) return result;
  const signoffs = db()
    .select({
      id: rotationSignoffs.id,
      placementId: rotationSignoffs.placementId,
      kind: rotationSignoffs.kind,
      status: rotationSignoffs.status,
      passed: rotationSignoffs.passed,
    })
    .from(rotationSignoffs)
    .innerJoin(placements, eq(placements.id, rotationSignoffs.placementId))
    .innerJoin(enrolments, eq(enrolments.id, placements.enrolmentId))
    .where(and(eq(enrolments.cohortId, cohortId), inArray(rotationSignoffs.kind, ["day", "evaluation"])))
    .all();
  for (const r of rows) {
    const rec = placementRecord(
      r.requiredDays,
      signoffs.filter((s) => s.placementId === r.id),
    );
    if (!rec.complete) continue;
    result.set(r.enrolmentId, [...(result.get(r.enrolmentId) ?? []), { departmentKind: r.kind, days: rec.attendedDays }]);
  }
  return result;
}

const noRows = (): StudyRecordRows => ({ views: [], lessonsRead: [], attempts: [], attendance: [], practicals: [] });

function assemble(header: StudyRecordHeader, rows: StudyRecordRows, completion: Completion): TraineeStudyRecord {
  const rules = rulesOfVersion(header.programVersionId);
  const record = buildStudyRecord(rules, rows, completion);
  if (record.disagreements.length) throw new StudyRecordMismatch(header.enrolmentId, record.disagreements);
  return { header, rules, record };
}

/**
 * One trainee's record, its totals checked against the completion the rest of the system shows;
 * null for an unknown enrolment, or one not in `cohortId` when that is given.
 */
export function enrolmentStudyRecord(enrolmentId: string, cohortId?: string): TraineeStudyRecord | null {
  const [header] = headers({ enrolmentId });
  if (!header || (cohortId !== undefined && header.cohortId !== cohortId)) return null;
  return assemble(header, rowsOf({ enrolmentId }).get(enrolmentId) ?? noRows(), completionOf(db(), enrolmentId));
}

/**
 * Every trainee's record in a cohort, from a few queries for the whole cohort. Each completion is
 * evaluated from the same rows (and the cohort's rotations) as completion.server.ts evaluates one
 * enrolment's, so a trainee's line here is what their own record and progress say.
 */
export function cohortStudyRecords(cohortId: string): TraineeStudyRecord[] {
  const rows = rowsOf({ cohortId });
  const rotations = completedRotations(cohortId);
  return headers({ cohortId }).map((h) => {
    const own = rows.get(h.enrolmentId) ?? noRows();
    const completion = evaluateCompletion(rulesOfVersion(h.programVersionId), completionEventsOf(own, rotations.get(h.enrolmentId) ?? []));
    return assemble(h, own, completion);
  });
}
