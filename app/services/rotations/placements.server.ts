import { randomUUID } from "node:crypto";
import { NotFound } from "../errors";
import { and, asc, eq, gte, inArray, lte, ne } from "drizzle-orm";
import { db, type Executor } from "../../../db/client.server";
import {
  cohorts,
  departments,
  enrolments,
  organisations,
  placements,
  programVersions,
  rotationSignoffs,
  users,
  type DepartmentKind,
} from "../../../db/schema";
import { addDays, workingDaysIn } from "../../domain/dates";
import { workCalendar } from "../../content/calendars.server";
import { placeCohort, placementProblems, rotationBoard, type Slot, type UnplacedReason, effectiveEnd } from "../../domain/rotation";
import { recordAudit } from "../audit.server";
import { refreshCompletion } from "../completion.server";
import { today } from "../clock.server";
import { rulesOfVersion } from "../program-versions.server";
import { failure, success, refuse, type FieldErrors, type MessageParams, type ServiceResult } from "../result";

import { hospitalDepartments } from "./departments.server";

/** Every placement in force, as the scheduling rules see it: whose (the person, across their enrolments), where, when. */
function bookedSlots(tx: Executor): Slot[] {
  return tx
    .select({ placement: placements, personId: enrolments.userId })
    .from(placements)
    .innerJoin(enrolments, eq(enrolments.id, placements.enrolmentId))
    .all()
    .map(({ placement: p, personId }) => ({
      personId,
      enrolmentId: p.enrolmentId,
      departmentId: p.departmentId,
      start: p.startDate,
      end: effectiveEnd(p),
    }));
}

export function cohortOfEnrolment(enrolmentId: string) {
  return db()
    .select({
      enrolmentId: enrolments.id,
      startDate: cohorts.startDate,
      endDate: cohorts.endDate,
      programVersionId: enrolments.programVersionId,
      userId: enrolments.userId,
    })
    .from(enrolments)
    .innerJoin(cohorts, eq(cohorts.id, enrolments.cohortId))
    .where(eq(enrolments.id, enrolmentId))
    .get();
}

export interface PlacementInput {
  enrolmentId: string;
  departmentId: string;
  mentorUserId: string;
  startDate: string;
  endDate: string;
  requiredDays: number;
}

/** Field messages for placement problems; an overlap names the other placement, a full department its first full day. */
function problemErrors(tx: Executor, problems: ReturnType<typeof placementProblems>): { errors: FieldErrors; params: MessageParams } {
  const errors: FieldErrors = {};
  const params: MessageParams = {};
  for (const p of problems) {
    if (p.kind === "outsideCohort") errors.startDate = "rotation.outsideCohort";
    if (p.kind === "endBeforeStart") errors.endDate = "error.dateOrder";
    if (p.kind === "overlap") {
      const other = tx.select({ name: departments.name }).from(departments).where(eq(departments.id, p.with.departmentId)).get();
      errors.enrolmentId = "rotation.overlap";
      params.enrolmentId = { department: other?.name ?? "", start: p.with.start, end: p.with.end };
    }
    if (p.kind === "overCapacity") {
      errors.departmentId = "rotation.overCapacity";
      params.departmentId = { date: p.date };
    }
  }
  return { errors, params };
}

/** A placement written with its audit entry, whether placed by hand or with the whole cohort. */
function insertPlacement(
  tx: Executor,
  actorUserId: string,
  hospitalId: string,
  id: string,
  values: PlacementInput,
  context: Record<string, unknown> = {},
) {
  tx.insert(placements)
    .values({ id, ...values, createdBy: actorUserId })
    .run();
  recordAudit(tx, {
    actorUserId,
    action: "placement.create",
    entityType: "placement",
    entityId: id,
    organisationId: hospitalId,
    details: { ...values, ...context },
  });
}

export function createPlacement(actorUserId: string, hospitalId: string, input: PlacementInput): ServiceResult<string> {
  const dept = hospitalDepartments(hospitalId).find((d) => d.id === input.departmentId && d.active);
  if (!dept) return failure({ departmentId: "error.choose" });
  if (!dept.mentorIds.includes(input.mentorUserId)) return failure({ mentorUserId: "rotation.mentorNotInDepartment" });
  // Required days are attended working days: never more than the dates hold, holidays taken out.
  const working = input.endDate >= input.startDate ? workingDaysIn(input.startDate, input.endDate, workCalendar()).length : 0;
  if (input.endDate >= input.startDate && input.requiredDays > working)
    return refuse("requiredDays", "rotation.requiredOverWorkingDays", { n: working });
  const cohort = cohortOfEnrolment(input.enrolmentId);
  if (!cohort) return failure({ enrolmentId: "error.choose" });
  const slot = {
    personId: cohort.userId,
    enrolmentId: input.enrolmentId,
    departmentId: dept.id,
    start: input.startDate,
    end: input.endDate,
  };
  const id = randomUUID();
  const refused = db().transaction((tx) => {
    // Checked inside the write transaction, so two coordinators cannot both take the last place.
    const problems = placementProblems(slot, dept, bookedSlots(tx), cohort);
    if (problems.length) return problemErrors(tx, problems);
    insertPlacement(tx, actorUserId, hospitalId, id, input);
    return null;
  });
  return refused ? failure(refused.errors, refused.params) : success(id);
}

export interface AutoPlaceResult {
  placed: number;
  unplaced: { name: string; departmentKind: DepartmentKind; days: number; reason: UnplacedReason }[];
}

/**
 * Places a whole cohort at once: all placements are written together, each recorded in the audit log
 * like a hand placement (with a summary entry for the cohort), and what did not fit is listed.
 */
export function autoPlaceCohort(actorUserId: string, hospitalId: string, cohortId: string): AutoPlaceResult {
  const cohort = db().select().from(cohorts).where(eq(cohorts.id, cohortId)).get();
  if (!cohort) throw new NotFound();
  const requirements = rulesOfVersion(cohort.programVersionId).rotations;
  const trainees = db()
    .select({ enrolmentId: enrolments.id, personId: enrolments.userId, name: users.name })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(and(eq(enrolments.cohortId, cohortId), ne(enrolments.status, "withdrawn")))
    .orderBy(asc(enrolments.enrolledAt), asc(users.name))
    .all();
  const departmentList = hospitalDepartments(hospitalId).filter((d) => d.active);
  const kindOf = new Map(departmentList.map((d) => [d.id, d.kind]));
  const departmentNames = new Map(departmentList.map((d) => [d.id, d.name]));
  const names = new Map(trainees.map((t) => [t.enrolmentId, t.name]));

  return db().transaction((tx) => {
    const existing = bookedSlots(tx);
    const mentorLoad: Record<string, number> = {};
    for (const p of tx.select().from(placements).all())
      if (effectiveEnd(p) >= today()) mentorLoad[p.mentorUserId] = (mentorLoad[p.mentorUserId] ?? 0) + 1;
    const plan = placeCohort({
      departments: departmentList,
      trainees: trainees.map((t) => ({
        enrolmentId: t.enrolmentId,
        personId: t.personId,
        alreadyPlacedKinds: existing
          .filter((s) => s.enrolmentId === t.enrolmentId)
          .map((s) => kindOf.get(s.departmentId)!)
          .filter(Boolean),
      })),
      requirements,
      window: { startDate: cohort.startDate, endDate: cohort.endDate },
      earliestStart: today(),
      existing,
      mentorLoad,
      calendar: workCalendar(),
    });
    for (const p of plan.placements) {
      const id = randomUUID();
      const values = {
        enrolmentId: p.enrolmentId,
        departmentId: p.departmentId,
        mentorUserId: p.mentorId,
        startDate: p.start,
        endDate: p.end,
        requiredDays: p.requiredDays,
      };
      insertPlacement(tx, actorUserId, hospitalId, id, values, {
        trainee: names.get(p.enrolmentId) ?? "",
        department: departmentNames.get(p.departmentId) ?? "",
        cohortId,
        auto: true,
      });
    }
    recordAudit(tx, {
      actorUserId,
      action: "placement.auto-place",
      entityType: "cohort",
      entityId: cohortId,
      organisationId: hospitalId,
      details: { placed: plan.placements.length, unplaced: plan.unplaced },
    });
    return {
      placed: plan.placements.length,
      unplaced: plan.unplaced.map((u) => ({
        name: names.get(u.enrolmentId) ?? "",
        departmentKind: u.departmentKind,
        days: u.days,
        reason: u.reason,
      })),
    };
  });
}

export function placementRow(placementId: string) {
  return db().select().from(placements).where(eq(placements.id, placementId)).get() ?? null;
}

function signoffCount(placementId: string): number {
  return db().select({ id: rotationSignoffs.id }).from(rotationSignoffs).where(eq(rotationSignoffs.placementId, placementId)).all().length;
}

/** A placement nobody has signed for yet may be removed; one with sign-offs can only be ended early. */
export function deletePlacement(actorUserId: string, hospitalId: string, placementId: string): ServiceResult<true> {
  const p = placementRow(placementId);
  if (!p) throw new NotFound();
  if (signoffCount(placementId) > 0) return failure({ _form: "rotation.hasSignoffs" });
  db().transaction((tx) => {
    tx.delete(placements).where(eq(placements.id, placementId)).run();
    recordAudit(tx, {
      actorUserId,
      action: "placement.delete",
      entityType: "placement",
      entityId: placementId,
      organisationId: hospitalId,
      details: { ...p },
    });
  });
  return success(true);
}

export function endPlacementEarly(
  actorUserId: string,
  hospitalId: string,
  placementId: string,
  input: { date: string; reason: string },
): ServiceResult<true> {
  const p = placementRow(placementId);
  if (!p) throw new NotFound();
  if (p.endedEarlyOn) return failure({ _form: "rotation.alreadyEnded" });
  if (input.date < p.startDate || input.date >= p.endDate) return failure({ date: "rotation.endEarlyDate" });
  const signedLater = db()
    .select({ date: rotationSignoffs.date })
    .from(rotationSignoffs)
    .where(and(eq(rotationSignoffs.placementId, placementId), ne(rotationSignoffs.status, "rejected")))
    .all()
    .some((s) => s.date > input.date);
  if (signedLater) return failure({ date: "rotation.signedAfterEnd" });
  db().transaction((tx) => {
    tx.update(placements).set({ endedEarlyOn: input.date, endReason: input.reason }).where(eq(placements.id, placementId)).run();
    recordAudit(tx, {
      actorUserId,
      action: "placement.end-early",
      entityType: "placement",
      entityId: placementId,
      organisationId: hospitalId,
      details: input,
    });
    refreshCompletion(tx, p.enrolmentId, actorUserId);
  });
  return success(true);
}

/** Placements with trainee, cohort, department and mentor names, for lists, schedules and the board. */
export function placementList(filter: {
  hospitalId?: string;
  mentorUserId?: string;
  enrolmentIds?: string[];
  cohortId?: string;
  placementId?: string;
  /** Only placements that (as planned) end on or after this day: what is running, to come, or just ended. */
  endingFrom?: string;
  /** Only placements that start on or before this day. */
  startingBy?: string;
}) {
  const mentor = db().select({ id: users.id, name: users.name }).from(users).as("mentor");
  return db()
    .select({
      id: placements.id,
      enrolmentId: placements.enrolmentId,
      departmentId: placements.departmentId,
      departmentName: departments.name,
      departmentKind: departments.kind,
      mentorUserId: placements.mentorUserId,
      mentorName: mentor.name,
      startDate: placements.startDate,
      endDate: placements.endDate,
      endedEarlyOn: placements.endedEarlyOn,
      endReason: placements.endReason,
      requiredDays: placements.requiredDays,
      traineeName: users.name,
      traineeUserId: users.id,
      cohortName: cohorts.name,
      baseName: organisations.name,
    })
    .from(placements)
    .innerJoin(departments, eq(departments.id, placements.departmentId))
    .innerJoin(enrolments, eq(enrolments.id, placements.enrolmentId))
    .innerJoin(users, eq(users.id, enrolments.userId))
    .innerJoin(mentor, eq(mentor.id, placements.mentorUserId))
    .innerJoin(cohorts, eq(cohorts.id, enrolments.cohortId))
    .innerJoin(organisations, eq(organisations.id, cohorts.organisationId))
    .where(
      and(
        filter.hospitalId ? eq(departments.organisationId, filter.hospitalId) : undefined,
        filter.cohortId ? eq(enrolments.cohortId, filter.cohortId) : undefined,
        filter.placementId ? eq(placements.id, filter.placementId) : undefined,
        filter.mentorUserId ? eq(placements.mentorUserId, filter.mentorUserId) : undefined,
        filter.enrolmentIds ? inArray(placements.enrolmentId, filter.enrolmentIds.length ? filter.enrolmentIds : [""]) : undefined,
        filter.endingFrom ? gte(placements.endDate, filter.endingFrom) : undefined,
        filter.startingBy ? lte(placements.startDate, filter.startingBy) : undefined,
      ),
    )
    .orderBy(asc(placements.startDate), asc(departments.name))
    .all();
}

export function boardFor(hospitalId: string, from: string, to: string) {
  const depts = hospitalDepartments(hospitalId).filter((d) => d.active);
  // Only the placements that touch the weeks shown, through the index on each department's end
  // dates, and only what a cell shows (who, where, when): a busy hospital's board reads no more.
  const list = db()
    .select({
      enrolmentId: placements.enrolmentId,
      departmentId: placements.departmentId,
      startDate: placements.startDate,
      endDate: placements.endDate,
      endedEarlyOn: placements.endedEarlyOn,
      label: users.name,
    })
    .from(placements)
    .innerJoin(departments, eq(departments.id, placements.departmentId))
    .innerJoin(enrolments, eq(enrolments.id, placements.enrolmentId))
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(and(eq(departments.organisationId, hospitalId), gte(placements.endDate, from), lte(placements.startDate, to)))
    .orderBy(asc(placements.startDate))
    .all()
    .map((p) => ({ enrolmentId: p.enrolmentId, departmentId: p.departmentId, start: p.startDate, end: effectiveEnd(p), label: p.label }));
  return { departments: depts, ...rotationBoard(depts, list, from, to, workCalendar()) };
}

/** Cohorts whose trainees the coordinator may place: any cohort running now or later. */
export function cohortsForPlacement() {
  return (
    db()
      .select({
        id: cohorts.id,
        name: cohorts.name,
        startDate: cohorts.startDate,
        endDate: cohorts.endDate,
        baseName: organisations.name,
        programTitle: programVersions.title,
        programVersionId: cohorts.programVersionId,
      })
      .from(cohorts)
      .innerJoin(organisations, eq(organisations.id, cohorts.organisationId))
      .innerJoin(programVersions, eq(programVersions.id, cohorts.programVersionId))
      // Through the index on end dates: cohorts of past years are never read.
      .where(gte(cohorts.endDate, addDays(today(), -30)))
      .orderBy(asc(cohorts.startDate))
      .all()
  );
}

export function traineesOfCohort(cohortId: string) {
  return db()
    .select({ enrolmentId: enrolments.id, name: users.name })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(and(eq(enrolments.cohortId, cohortId), ne(enrolments.status, "withdrawn")))
    .orderBy(asc(users.name))
    .all();
}

export function placementInHospital(hospitalId: string, placementId: string) {
  return placementList({ hospitalId, placementId })[0] ?? null;
}

export type PlacementView = ReturnType<typeof placementList>[number];
