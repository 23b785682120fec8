import { randomUUID } from "node:crypto";
import { NotFound } from "./errors";
import { and, asc, count, eq, gte, inArray, lte, ne } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, prepared, type Executor } from "../../db/client.server";
import {
  cohorts,
  departmentMentors,
  departments,
  enrolments,
  organisations,
  placements,
  programVersions,
  roleAssignments,
  rotationSignoffs,
  users,
  type DepartmentKind,
} from "../../db/schema";
import type { SIGNOFF_KINDS } from "../../db/schema";
import { addDays, workingDaysIn } from "../domain/dates";
import { workCalendar } from "../content/calendars.server";
import { pageInfo, type Page } from "../domain/paging";
import {
  departmentChangeProblems,
  placeCohort,
  placementProblems,
  rotationBoard,
  signOffTiming,
  type Department,
  EVALUATION_CRITERIA,
  type Slot,
  type UnplacedReason,
} from "../domain/rotation";
import type { FieldErrors } from "../validation/form";
import { recordAudit } from "./audit.server";
import { refreshCompletion } from "./completion.server";
import { now as clockNow, today } from "./clock.server";
import { rulesOfVersion } from "./program-versions.server";
import { failure, success, type ServiceResult } from "./result";

/** What a refusal's message names (a day, a count, another placement), by the field it belongs to. */
export type MessageParams = Partial<Record<string, Record<string, string | number>>>;

/** A service result whose refusal may name values in its messages. */
export type RotationResult<T> = ServiceResult<T> | { ok: false; errors: FieldErrors; params: MessageParams };

const refusal = (errors: FieldErrors, params: MessageParams): RotationResult<never> =>
  Object.keys(params).length ? { ok: false, errors, params } : failure(errors);

// ---------------------------------------------------------------- departments

export function mentorsOf(hospitalId: string) {
  return db()
    .select({ id: users.id, name: users.name })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.organisationId, hospitalId), eq(roleAssignments.role, "mentor"), eq(users.active, true)))
    .orderBy(asc(users.name))
    .all();
}

export function hospitalDepartments(hospitalId: string): (Department & { active: boolean; mentors: { id: string; name: string }[] })[] {
  const rows = db().select().from(departments).where(eq(departments.organisationId, hospitalId)).orderBy(asc(departments.name)).all();
  const links = rows.length
    ? db()
        .select({ departmentId: departmentMentors.departmentId, id: users.id, name: users.name })
        .from(departmentMentors)
        .innerJoin(users, eq(users.id, departmentMentors.userId))
        .where(
          inArray(
            departmentMentors.departmentId,
            rows.map((r) => r.id),
          ),
        )
        .all()
    : [];
  return rows.map((d) => {
    const mentors = links.filter((l) => l.departmentId === d.id).map(({ id, name }) => ({ id, name }));
    return { id: d.id, name: d.name, kind: d.kind, capacity: d.capacity, active: d.active, mentors, mentorIds: mentors.map((m) => m.id) };
  });
}

export interface DepartmentInput {
  name: string;
  kind: DepartmentKind;
  capacity: number;
  mentorIds: string[];
  active: boolean;
}

/**
 * Creates or edits a department. An edit may not break what is booked there: fewer places than are
 * taken on some day from today on, another kind once it has placements, or closing it while
 * placements are running or to come are refused, naming the day or the placements.
 */
export function saveDepartment(
  actorUserId: string,
  hospitalId: string,
  departmentId: string | null,
  input: DepartmentInput,
): RotationResult<string> {
  const allowed = new Set(mentorsOf(hospitalId).map((m) => m.id));
  if (input.mentorIds.some((id) => !allowed.has(id))) return failure({ mentorIds: "error.choose" });
  const existing = departmentId ? db().select().from(departments).where(eq(departments.id, departmentId)).get() : null;
  if (departmentId && (!existing || existing.organisationId !== hospitalId)) throw new NotFound();
  const clash = db()
    .select({ id: departments.id })
    .from(departments)
    .where(and(eq(departments.organisationId, hospitalId), eq(departments.name, input.name)))
    .get();
  if (clash && clash.id !== departmentId) return failure({ name: "department.nameTaken" });
  const id = departmentId ?? randomUUID();
  const refused = db().transaction((tx) => {
    if (existing) {
      // Checked inside the write transaction, against placements as they are now.
      const booked = tx
        .select()
        .from(placements)
        .where(eq(placements.departmentId, id))
        .all()
        .map((p) => ({ start: p.startDate, end: effectiveEnd(p) }));
      const problems = departmentChangeProblems(existing, input, booked, today());
      if (problems.length) {
        const errors: FieldErrors = {};
        const params: MessageParams = {};
        for (const p of problems) {
          if (p.kind === "capacityBelowBookings") {
            errors.capacity = "department.capacityBelowBookings";
            params.capacity = { date: p.date, n: p.booked };
          }
          if (p.kind === "kindInUse") errors.kind = "department.kindInUse";
          if (p.kind === "closedWithPlacements") {
            errors.active = "department.closedWithPlacements";
            params.active = { n: p.placements, date: p.lastDay };
          }
        }
        return { errors, params };
      }
    }
    const { mentorIds, ...fields } = input;
    if (existing) tx.update(departments).set(fields).where(eq(departments.id, id)).run();
    else
      tx.insert(departments)
        .values({ id, organisationId: hospitalId, ...fields })
        .run();
    tx.delete(departmentMentors).where(eq(departmentMentors.departmentId, id)).run();
    for (const userId of mentorIds) tx.insert(departmentMentors).values({ departmentId: id, userId }).run();
    recordAudit(tx, {
      actorUserId,
      action: existing ? "department.update" : "department.create",
      entityType: "department",
      entityId: id,
      organisationId: hospitalId,
      details: { ...input },
    });
    return null;
  });
  return refused ? refusal(refused.errors, refused.params) : success(id);
}

// ---------------------------------------------------------------- placements

const effectiveEnd = (p: { endDate: string; endedEarlyOn: string | null }) => p.endedEarlyOn ?? p.endDate;

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

function cohortOfEnrolment(enrolmentId: string) {
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

export function createPlacement(actorUserId: string, hospitalId: string, input: PlacementInput): RotationResult<string> {
  const dept = hospitalDepartments(hospitalId).find((d) => d.id === input.departmentId && d.active);
  if (!dept) return failure({ departmentId: "error.choose" });
  if (!dept.mentorIds.includes(input.mentorUserId)) return failure({ mentorUserId: "rotation.mentorNotInDepartment" });
  // Required days are attended working days: never more than the dates hold, holidays taken out.
  const working = input.endDate >= input.startDate ? workingDaysIn(input.startDate, input.endDate, workCalendar()).length : 0;
  if (input.endDate >= input.startDate && input.requiredDays > working)
    return refusal({ requiredDays: "rotation.requiredOverWorkingDays" }, { requiredDays: { n: working } });
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
    tx.insert(placements)
      .values({ id, ...input, createdBy: actorUserId })
      .run();
    recordAudit(tx, {
      actorUserId,
      action: "placement.create",
      entityType: "placement",
      entityId: id,
      organisationId: hospitalId,
      details: { ...input },
    });
    return null;
  });
  return refused ? refusal(refused.errors, refused.params) : success(id);
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
      tx.insert(placements)
        .values({ id, ...values, createdBy: actorUserId })
        .run();
      recordAudit(tx, {
        actorUserId,
        action: "placement.create",
        entityType: "placement",
        entityId: id,
        organisationId: hospitalId,
        details: {
          ...values,
          trainee: names.get(p.enrolmentId) ?? "",
          department: departmentNames.get(p.departmentId) ?? "",
          cohortId,
          auto: true,
        },
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

function placementRow(placementId: string) {
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
  // Only the placements that touch the weeks shown, through the index on each department's end dates.
  const list = placementList({ hospitalId, endingFrom: from, startingBy: to }).map((p) => ({
    enrolmentId: p.enrolmentId,
    departmentId: p.departmentId,
    start: p.startDate,
    end: effectiveEnd(p),
    label: p.traineeName,
  }));
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

// ---------------------------------------------------------------- sign-offs

export function signoffsOf(placementIds: string[]) {
  if (placementIds.length === 0) return [];
  const mentor = db().select({ id: users.id, name: users.name }).from(users).as("mentor");
  return db()
    .select({
      id: rotationSignoffs.id,
      placementId: rotationSignoffs.placementId,
      kind: rotationSignoffs.kind,
      date: rotationSignoffs.date,
      skillCode: rotationSignoffs.skillCode,
      scores: rotationSignoffs.scores,
      passed: rotationSignoffs.passed,
      comments: rotationSignoffs.comments,
      onBehalf: rotationSignoffs.onBehalf,
      status: rotationSignoffs.status,
      lateReason: rotationSignoffs.lateReason,
      enteredBy: rotationSignoffs.enteredBy,
      mentorName: mentor.name,
    })
    .from(rotationSignoffs)
    .innerJoin(mentor, eq(mentor.id, rotationSignoffs.mentorUserId))
    .where(inArray(rotationSignoffs.placementId, placementIds))
    .orderBy(asc(rotationSignoffs.date), asc(rotationSignoffs.id))
    .all();
}

export type SignOffInput =
  | { kind: "day"; date: string; lateReason?: string }
  | { kind: "skill"; date: string; skillCode: string; lateReason?: string }
  | {
      kind: "evaluation";
      date: string;
      scores: Record<(typeof EVALUATION_CRITERIA)[number], number>;
      passed: boolean;
      comments: string;
      lateReason?: string;
    };

export interface Signer {
  userId: string;
  /** The user is the hospital's rotation coordinator (may enter paper forms on a mentor's behalf). */
  isCoordinator: boolean;
}

/**
 * Records what a mentor signs for a placement. Only the placement's mentor signs, from its start
 * until seven days after it ends; a later entry needs a reason and waits for the coordinator.
 * A coordinator may type in a paper form on the mentor's behalf; the entry says so. The
 * end-of-placement evaluation is signed on or after the last day (which an early end moves) and
 * carries that day's date.
 */
export function signOff(
  signer: Signer,
  placementId: string,
  input: SignOffInput,
  on: string = today(),
): RotationResult<{ id: number; status: "approved" | "pending" }> {
  const p = placementRow(placementId);
  if (!p) throw new NotFound();
  const isMentor = signer.userId === p.mentorUserId;
  if (!isMentor && !signer.isCoordinator) return failure({ _form: "rotation.notYourTrainee" });
  const onBehalf = !isMentor;
  const end = effectiveEnd(p);

  if (input.date < p.startDate || input.date > end) return failure({ date: "rotation.dateOutsidePlacement" });
  if (input.kind === "evaluation" && (input.date < end || on < end))
    return refusal({ date: "rotation.evaluationBeforeLastDay" }, { date: { date: end } });
  if (input.date > on) return failure({ date: "error.futureDate" });
  const timing = signOffTiming({ start: p.startDate, end }, on);
  if (timing === "notStarted") return failure({ date: "rotation.notStarted" });
  const lateReason = input.lateReason?.trim() ?? "";
  if (timing === "late" && !lateReason) return failure({ lateReason: "rotation.lateNeedsReason" });
  // The coordinator approves late entries, so a paper form they type in for a mentor needs no
  // second step; a late entry of their own as the placement's mentor waits for another coordinator.
  const status = timing === "late" && (isMentor || !signer.isCoordinator) ? "pending" : "approved";

  if (input.kind === "skill") {
    const skills = rulesOfVersion(cohortOfEnrolment(p.enrolmentId)!.programVersionId).skills.map((s) => s.code);
    if (!skills.includes(input.skillCode)) return failure({ skillCode: "error.choose" });
  }
  const hospitalId =
    db().select({ organisationId: departments.organisationId }).from(departments).where(eq(departments.id, p.departmentId)).get()
      ?.organisationId ?? null;
  try {
    const id = db().transaction((tx) => {
      const row = tx
        .insert(rotationSignoffs)
        .values({
          placementId,
          kind: input.kind,
          date: input.date,
          skillCode: input.kind === "skill" ? input.skillCode : null,
          scores: input.kind === "evaluation" ? JSON.stringify(input.scores) : null,
          passed: input.kind === "evaluation" ? input.passed : null,
          comments: input.kind === "evaluation" ? input.comments : "",
          mentorUserId: p.mentorUserId,
          enteredBy: signer.userId,
          onBehalf,
          status,
          lateReason: timing === "late" ? lateReason : null,
          decidedBy: status === "approved" && timing === "late" ? signer.userId : null,
          decidedAt: status === "approved" && timing === "late" ? clockNow().toISOString() : null,
        })
        .returning({ id: rotationSignoffs.id })
        .get();
      recordAudit(tx, {
        actorUserId: signer.userId,
        action: `rotation.sign-${input.kind}`,
        entityType: "placement",
        entityId: placementId,
        organisationId: hospitalId,
        details: { ...input, onBehalf, status },
      });
      if (status === "approved") refreshCompletion(tx, p.enrolmentId, signer.userId);
      return row.id;
    });
    return success({ id, status });
  } catch (e) {
    if (e instanceof Error && e.message.includes("UNIQUE constraint failed")) return failure({ date: "rotation.dayAlreadySigned" });
    throw e;
  }
}

/**
 * The coordinator's queue, a page at a time, oldest first: read from the partial index of the
 * hospital's own pending sign-offs (the database fills in each sign-off's hospital), so neither the
 * hospital's years of placements nor other hospitals' queues are read.
 */
export function pendingSignoffPage(hospitalId: string, page: Page) {
  type Row = {
    id: number;
    placementId: string;
    kind: (typeof SIGNOFF_KINDS)[number];
    date: string;
    lateReason: string | null;
    enteredBy: string | null;
    signedBy: string;
    mentorName: string;
    placementMentorId: string;
    traineeName: string;
    departmentName: string;
  };
  const rows = prepared(
    `select s.id, s.placement_id as placementId, s.kind, s.date, s.late_reason as lateReason, s.entered_by as enteredBy, s.mentor_user_id as signedBy,
       mentor.name as mentorName, p.mentor_user_id as placementMentorId, trainee.name as traineeName, d.name as departmentName
     from rotation_signoffs s indexed by rotation_signoffs_pending_idx
       cross join placements p on p.id = s.placement_id
       join departments d on d.id = p.department_id
       join enrolments e on e.id = p.enrolment_id
       join users trainee on trainee.id = e.user_id
       join users mentor on mentor.id = s.mentor_user_id
     where s.status = 'pending' and s.hospital_id = ?
     order by s.id limit ? offset ?`,
  ).all(hospitalId, page.limit + 1, page.offset) as Row[];
  return { rows: rows.slice(0, page.limit), info: pageInfo(page, rows.length, pendingSignoffCount(hospitalId)) };
}

/** How many sign-offs await the hospital's approval. */
export function pendingSignoffCount(hospitalId: string): number {
  return prepared("select count(*) from rotation_signoffs where status = 'pending' and hospital_id = ?").pluck().get(hospitalId) as number;
}

export function decideSignoff(actorUserId: string, hospitalId: string, signoffId: number, approve: boolean): ServiceResult<true> {
  const s = db().select().from(rotationSignoffs).where(eq(rotationSignoffs.id, signoffId)).get();
  if (!s || s.status !== "pending") return failure({ _form: "rotation.notPending" });
  const p = placementRow(s.placementId)!;
  const dept = db().select().from(departments).where(eq(departments.id, p.departmentId)).get();
  if (dept?.organisationId !== hospitalId) throw new NotFound();
  // Nobody approves what they signed or typed in themselves (a mentor who is also a coordinator).
  if (approve && (s.enteredBy === actorUserId || s.mentorUserId === actorUserId)) return failure({ _form: "rotation.ownEntry" });
  try {
    db().transaction((tx) => {
      tx.update(rotationSignoffs)
        .set({ status: approve ? "approved" : "rejected", decidedBy: actorUserId, decidedAt: clockNow().toISOString() })
        .where(eq(rotationSignoffs.id, signoffId))
        .run();
      recordAudit(tx, {
        actorUserId,
        action: approve ? "rotation.approve" : "rotation.reject",
        entityType: "placement",
        entityId: s.placementId,
        organisationId: hospitalId,
        details: { signoffId },
      });
      if (approve) refreshCompletion(tx, p.enrolmentId, actorUserId);
    });
  } catch (e) {
    if (e instanceof Error && e.message.includes("UNIQUE constraint failed")) return failure({ _form: "rotation.dayAlreadySigned" });
    throw e;
  }
  return success(true);
}

export function placementInHospital(hospitalId: string, placementId: string) {
  return placementList({ hospitalId, placementId })[0] ?? null;
}

export type PlacementView = ReturnType<typeof placementList>[number];

export { effectiveEnd };
