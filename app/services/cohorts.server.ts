import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, ne, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { db, type Transaction } from "../../db/client.server";
import {
  cohortInstructors,
  cohorts,
  enrolments,
  organisations,
  programVersions,
  roleAssignments,
  users,
} from "../../db/schema";
import { checkRoster, rosterLookupKeys, type RosterInput, type RosterRow } from "../domain/roster";
import type { CohortInput } from "../validation/cohorts";
import { recordAudit } from "./audit.server";
import { completionOf } from "./completion.server";
import { accreditationOn, today } from "./organisations.server";
import { currentVersions } from "./program-versions.server";
import { failure, success, type ServiceResult } from "./result";
import { provisionalCredentials } from "./users.server";

export function listCohorts(organisationId: string) {
  return db()
    .select({
      id: cohorts.id,
      name: cohorts.name,
      startDate: cohorts.startDate,
      endDate: cohorts.endDate,
      capacity: cohorts.capacity,
      programTitle: programVersions.title,
      programVersion: programVersions.version,
      enrolled: count(enrolments.id),
    })
    .from(cohorts)
    .innerJoin(programVersions, eq(programVersions.id, cohorts.programVersionId))
    .leftJoin(enrolments, and(eq(enrolments.cohortId, cohorts.id), ne(enrolments.status, "withdrawn")))
    .where(eq(cohorts.organisationId, organisationId))
    .groupBy(cohorts.id)
    .orderBy(desc(cohorts.startDate))
    .all();
}

/** The programmes a base has run or runs (code and title), each once. */
export function programmesRunBy(organisationId: string) {
  return db()
    .selectDistinct({ code: programVersions.programCode, title: programVersions.title })
    .from(cohorts)
    .innerJoin(programVersions, eq(programVersions.id, cohorts.programVersionId))
    .where(eq(cohorts.organisationId, organisationId))
    .all()
    .filter((p, i, all) => all.findIndex((q) => q.code === p.code) === i);
}

export function getCohort(cohortId: string) {
  return (
    db()
      .select({
        id: cohorts.id,
        organisationId: cohorts.organisationId,
        organisationName: organisations.name,
        name: cohorts.name,
        startDate: cohorts.startDate,
        endDate: cohorts.endDate,
        capacity: cohorts.capacity,
        programVersionId: cohorts.programVersionId,
        programCode: programVersions.programCode,
        programTitle: programVersions.title,
        programVersion: programVersions.version,
      })
      .from(cohorts)
      .innerJoin(programVersions, eq(programVersions.id, cohorts.programVersionId))
      .innerJoin(organisations, eq(organisations.id, cohorts.organisationId))
      .where(eq(cohorts.id, cohortId))
      .get() ?? null
  );
}

export type Cohort = NonNullable<ReturnType<typeof getCohort>>;

/** People holding the instructor role at a base: whom a cohort may name as its instructors. */
export function instructorsOf(organisationId: string) {
  return db()
    .select({ id: users.id, name: users.name })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.organisationId, organisationId), eq(roleAssignments.role, "instructor"), eq(users.active, true)))
    .orderBy(asc(users.name))
    .all();
}

export function cohortInstructorNames(cohortId: string) {
  return db()
    .select({ id: users.id, name: users.name })
    .from(cohortInstructors)
    .innerJoin(users, eq(users.id, cohortInstructors.userId))
    .where(eq(cohortInstructors.cohortId, cohortId))
    .all();
}

export function createCohort(actorUserId: string, organisationId: string, input: CohortInput): ServiceResult<string> {
  if (accreditationOn(organisationId, today()).status !== "accredited") return failure({ _form: "cohort.baseNotAccredited" });
  // New cohorts run the version each programme publishes now; superseded versions stay for cohorts already running.
  if (!currentVersions().some((v) => v.id === input.programVersionId)) return failure({ programVersionId: "cohort.programNotCurrent" });
  const allowed = new Set(instructorsOf(organisationId).map((i) => i.id));
  if (input.instructorIds.some((id) => !allowed.has(id))) return failure({ instructorIds: "error.choose" });
  const id = randomUUID();
  db().transaction((tx) => {
    tx.insert(cohorts)
      .values({ id, organisationId, programVersionId: input.programVersionId, name: input.name, startDate: input.startDate, endDate: input.endDate, capacity: input.capacity, createdBy: actorUserId })
      .run();
    for (const userId of input.instructorIds) tx.insert(cohortInstructors).values({ cohortId: id, userId }).run();
    recordAudit(tx, { actorUserId, action: "cohort.create", entityType: "cohort", entityId: id, organisationId, details: { ...input } });
  });
  return success(id);
}

export function enrolledTrainees(cohortId: string) {
  return db()
    .select({
      enrolmentId: enrolments.id,
      userId: users.id,
      name: users.name,
      mobile: users.mobile,
      idNumber: users.idNumber,
      employerName: enrolments.employerName,
      status: enrolments.status,
      completedAt: enrolments.completedAt,
    })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(eq(enrolments.cohortId, cohortId))
    .orderBy(asc(enrolments.enrolledAt), asc(users.name))
    .all();
}

/**
 * `column in values`, bound as one JSON parameter rather than one parameter a value, so a list of
 * any length stays within SQLite's limit on bound parameters.
 */
function inList(column: SQLiteColumn, values: string[]): SQL {
  return sql`${column} in (select value from json_each(${JSON.stringify(values)}))`;
}

function rosterContext(tx: Transaction, cohort: Cohort, inputs: RosterInput[]) {
  const date = today();
  const { idNumbers: ids, mobiles } = rosterLookupKeys(inputs, date);
  const people = ids.length ? tx.select({ id: users.id, name: users.name, mobile: users.mobile, idNumber: users.idNumber }).from(users).where(inList(users.idNumber, ids)).all() : [];
  const owners = mobiles.length ? tx.select({ id: users.id, mobile: users.mobile }).from(users).where(inList(users.mobile, mobiles)).all() : [];
  const enrolled = tx.select({ userId: enrolments.userId, status: enrolments.status }).from(enrolments).where(eq(enrolments.cohortId, cohort.id)).all();
  const active = enrolled.filter((e) => e.status !== "withdrawn").length;
  return {
    peopleById: new Map(people.map((p) => [p.idNumber!, { userId: p.id, name: p.name, mobile: p.mobile }])),
    mobileOwners: new Map(owners.map((o) => [o.mobile!, o.id])),
    enrolledUserIds: new Set(enrolled.map((e) => e.userId)),
    placesLeft: Math.max(0, cohort.capacity - active),
    today: date,
  };
}

export function previewRoster(cohort: Cohort, inputs: RosterInput[]): RosterRow[] {
  return db().transaction((tx) => checkRoster(inputs, rosterContext(tx, cohort, inputs)));
}

/** Where a new trainee's role sits: their employer when it is a known organisation, else the base. */
function traineeHome(tx: Transaction, employer: string, baseId: string): string {
  const match = employer ? tx.select({ id: organisations.id, kind: organisations.kind }).from(organisations).where(eq(organisations.name, employer)).get() : undefined;
  return match && ["member_institution", "training_base", "lead_hospital"].includes(match.kind) ? match.id : baseId;
}

/**
 * Enrols every row or none: the rows are checked again inside the transaction, so a roster that
 * went stale between preview and commit changes nothing.
 */
export async function enrolPeople(
  actorUserId: string,
  cohort: Cohort,
  inputs: RosterInput[],
  source: "roster" | "single",
): Promise<{ ok: true; enrolled: number } | { ok: false; rows: RosterRow[] }> {
  const checked = previewRoster(cohort, inputs);
  if (checked.some((r) => r.errors.length)) return { ok: false, rows: checked };
  const credentials = new Map<string, Awaited<ReturnType<typeof provisionalCredentials>>>();
  await Promise.all(checked.filter((r) => !r.existingUserId).map(async (r) => credentials.set(r.idNumber, await provisionalCredentials(r.idNumber))));

  return db().transaction((tx) => {
    const rows = checkRoster(inputs, rosterContext(tx, cohort, inputs));
    if (rows.some((r) => r.errors.length)) return { ok: false as const, rows };
    for (const r of rows) {
      let userId = r.existingUserId;
      if (!userId) {
        userId = randomUUID();
        tx.insert(users).values({ id: userId, name: r.name, mobile: r.mobile, idNumber: r.idNumber, ...credentials.get(r.idNumber)! }).run();
        recordAudit(tx, { actorUserId, action: "user.create", entityType: "user", entityId: userId, organisationId: cohort.organisationId, details: { name: r.name, mobile: r.mobile, source } });
      }
      const hasTraineeRole = tx.select({ id: roleAssignments.id }).from(roleAssignments).where(and(eq(roleAssignments.userId, userId), eq(roleAssignments.role, "trainee"))).get();
      if (!hasTraineeRole) {
        const home = traineeHome(tx, r.employer, cohort.organisationId);
        tx.insert(roleAssignments).values({ userId, organisationId: home, role: "trainee" }).run();
        recordAudit(tx, { actorUserId, action: "role.assign", entityType: "user", entityId: userId, organisationId: home, details: { role: "trainee" } });
      }
      const enrolmentId = randomUUID();
      tx.insert(enrolments).values({ id: enrolmentId, cohortId: cohort.id, userId, programVersionId: cohort.programVersionId, employerName: r.employer }).run();
      recordAudit(tx, { actorUserId, action: "enrolment.create", entityType: "enrolment", entityId: enrolmentId, organisationId: cohort.organisationId, details: { cohortId: cohort.id, userId, source } });
    }
    return { ok: true as const, enrolled: rows.length };
  });
}

/** Each trainee of a cohort with their completion as of now, for the progress table and its export. */
export function cohortProgress(cohortId: string) {
  return enrolledTrainees(cohortId).map((t) => ({ ...t, completion: completionOf(db(), t.enrolmentId) }));
}
