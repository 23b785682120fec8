import { randomUUID } from "node:crypto";
import { missingGlyphs } from "../pdf/certificate.server";
import { and, asc, count, desc, eq, ne, sql } from "drizzle-orm";
import { db, prepared, type Transaction } from "../../db/client.server";
import { inList } from "../../db/in-list";
import { cohortInstructors, cohorts, enrolments, organisations, programVersions, roleAssignments, users } from "../../db/schema";
import { pageInfo, type Page } from "../domain/paging";
import { checkRoster, rosterLookupKeys, type RosterInput, type RosterRow } from "../domain/roster";
import type { CohortInput } from "../validation/cohorts";
import { recordAudit, recordAuditInLoop } from "./audit.server";
import { storedCompletion } from "./completion.server";
import { accreditationOn } from "./organisations.server";
import { today } from "./clock.server";
import { currentVersions } from "./program-versions.server";
import { failure, success, type ServiceResult } from "./result";
import { AWAITING_ACTIVATION } from "./users.server";
import { issueActivationCode, mintActivationCode, type MintedCode } from "../auth/activation.server";

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
  // Cohorts are told apart by name on every list, claim and certificate register of the base.
  const taken = db().transaction((tx) => {
    if (
      tx
        .select({ id: cohorts.id })
        .from(cohorts)
        .where(and(eq(cohorts.organisationId, organisationId), eq(cohorts.name, input.name)))
        .get()
    )
      return true;
    tx.insert(cohorts)
      .values({
        id,
        organisationId,
        programVersionId: input.programVersionId,
        name: input.name,
        startDate: input.startDate,
        endDate: input.endDate,
        capacity: input.capacity,
        createdBy: actorUserId,
      })
      .run();
    for (const userId of input.instructorIds) tx.insert(cohortInstructors).values({ cohortId: id, userId }).run();
    recordAudit(tx, { actorUserId, action: "cohort.create", entityType: "cohort", entityId: id, organisationId, details: { ...input } });
    return false;
  });
  if (taken) return failure({ name: "cohort.nameTaken" });
  return success(id);
}

export function enrolledTrainees(cohortId: string, page?: Page) {
  const query = db()
    .select({
      enrolmentId: enrolments.id,
      userId: users.id,
      name: users.name,
      mobile: users.mobile,
      idNumber: users.idNumber,
      employerName: enrolments.employerName,
      status: enrolments.status,
      completedAt: enrolments.completedAt,
      progress: enrolments.progress,
    })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(eq(enrolments.cohortId, cohortId))
    .orderBy(asc(enrolments.enrolledAt), asc(users.name), asc(enrolments.id));
  return page ? query.limit(page.limit).offset(page.offset).all() : query.all();
}

/** One page of a cohort's trainees, in enrolment order, with where the page stands among all of them. */
export function enrolledTraineesPage(cohortId: string, page: Page) {
  const rows = enrolledTrainees(cohortId, { ...page, limit: page.limit + 1 });
  const total = prepared("select count(*) from enrolments where cohort_id = ?").pluck().get(cohortId) as number;
  return { rows: rows.slice(0, page.limit), info: pageInfo(page, rows.length, total) };
}

function rosterContext(tx: Transaction, cohort: Cohort, inputs: RosterInput[]) {
  const date = today();
  const { idNumbers: ids, mobiles } = rosterLookupKeys(inputs, date);
  const people = ids.length
    ? tx
        .select({ id: users.id, name: users.name, mobile: users.mobile, idNumber: users.idNumber })
        .from(users)
        .where(inList(users.idNumber, ids))
        .all()
    : [];
  const owners = mobiles.length
    ? tx.select({ id: users.id, mobile: users.mobile }).from(users).where(inList(users.mobile, mobiles)).all()
    : [];
  const enrolled = tx
    .select({ userId: enrolments.userId, status: enrolments.status })
    .from(enrolments)
    .where(eq(enrolments.cohortId, cohort.id))
    .all();
  const active = enrolled.filter((e) => e.status !== "withdrawn").length;
  const candidates = [...new Set([...people.map((p) => p.id), ...owners.map((o) => o.id)])];
  return {
    withinReach: peopleOfBase(tx, cohort.organisationId, candidates),
    peopleById: new Map(people.map((p) => [p.idNumber!, { userId: p.id, name: p.name, mobile: p.mobile }])),
    mobileOwners: new Map(owners.map((o) => [o.mobile!, o.id])),
    enrolledUserIds: new Set(enrolled.map((e) => e.userId)),
    placesLeft: Math.max(0, cohort.capacity - active),
    today: date,
    unprintable: missingGlyphs,
  };
}

/** Of these people, those the base already has: trainees of its cohorts, or holders of a role there. */
function peopleOfBase(tx: Transaction, baseId: string, userIds: string[]): Map<string, { name: string; mobile: string | null }> {
  if (userIds.length === 0) return new Map();
  const ours = sql`(exists (select 1 from role_assignments r where r.user_id = ${users.id} and r.organisation_id = ${baseId})
    or exists (select 1 from enrolments e join cohorts c on c.id = e.cohort_id where e.user_id = ${users.id} and c.organisation_id = ${baseId}))`;
  const rows = tx
    .select({ id: users.id, name: users.name, mobile: users.mobile })
    .from(users)
    .where(and(inList(users.id, userIds), ours))
    .all();
  return new Map(rows.map((r) => [r.id, { name: r.name, mobile: r.mobile }]));
}

export function previewRoster(cohort: Cohort, inputs: RosterInput[]): RosterRow[] {
  return db().transaction((tx) => checkRoster(inputs, rosterContext(tx, cohort, inputs)));
}

/** Where a new trainee's role sits: their employer when it is a known organisation, else the base. */
function traineeHome(tx: Transaction, employer: string, baseId: string): string {
  const match = employer
    ? tx.select({ id: organisations.id, kind: organisations.kind }).from(organisations).where(eq(organisations.name, employer)).get()
    : undefined;
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
  // The codes for new people are made before the transaction, a hundred at a time between other
  // requests, so the transaction itself only writes.
  const codes = new Map<string, MintedCode>();
  for (const [i, r] of checked.entries()) {
    if (!r.existingUserId) codes.set(r.idNumber, mintActivationCode());
    if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
  }

  return db().transaction((tx) => {
    const rows = checkRoster(inputs, rosterContext(tx, cohort, inputs));
    if (rows.some((r) => r.errors.length)) return { ok: false as const, rows };
    // Statements prepared once for the whole roster: two thousand people are written in a fraction
    // of a second, so nobody else's request waits on the import (bench: import under load).
    const insertUser = prepared(
      "insert into users (id, name, mobile, id_number, password_hash, must_change_password) values (?, ?, ?, ?, ?, 1)",
    );
    const traineeRole = prepared("select 1 from role_assignments where user_id = ? and role = 'trainee'");
    const insertRole = prepared("insert into role_assignments (user_id, organisation_id, role) values (?, ?, 'trainee')");
    const insertEnrolment = prepared(
      "insert into enrolments (id, cohort_id, user_id, program_version_id, employer_name) values (?, ?, ?, ?, ?)",
    );
    for (const r of rows) {
      let userId = r.existingUserId;
      if (!userId) {
        userId = randomUUID();
        // No password yet: the person signs in the first time with the activation code on their slip.
        insertUser.run(userId, r.name, r.mobile, r.idNumber, AWAITING_ACTIVATION.passwordHash);
        issueActivationCode(userId, actorUserId, codes.get(r.idNumber));
        recordAuditInLoop({
          actorUserId,
          action: "user.create",
          entityType: "user",
          entityId: userId,
          organisationId: cohort.organisationId,
          details: { name: r.name, mobile: r.mobile, source },
        });
      }
      if (!traineeRole.get(userId)) {
        const home = traineeHome(tx, r.employer, cohort.organisationId);
        insertRole.run(userId, home);
        recordAuditInLoop({
          actorUserId,
          action: "role.assign",
          entityType: "user",
          entityId: userId,
          organisationId: home,
          details: { role: "trainee" },
        });
      }
      const enrolmentId = randomUUID();
      insertEnrolment.run(enrolmentId, cohort.id, userId, cohort.programVersionId, r.employer);
      recordAuditInLoop({
        actorUserId,
        action: "enrolment.create",
        entityType: "enrolment",
        entityId: enrolmentId,
        organisationId: cohort.organisationId,
        details: { cohortId: cohort.id, userId, source },
      });
    }
    return { ok: true as const, enrolled: rows.length };
  });
}

function withCompletion(rows: ReturnType<typeof enrolledTrainees>) {
  return rows.map(({ progress, ...t }) => ({ ...t, completion: storedCompletion({ id: t.enrolmentId, progress }) }));
}

/** Each trainee of a cohort with their completion as stored, for the progress export. */
export function cohortProgress(cohortId: string) {
  return withCompletion(enrolledTrainees(cohortId));
}

/** One page of the progress table. */
export function cohortProgressPage(cohortId: string, page: Page) {
  const { rows, info } = enrolledTraineesPage(cohortId, page);
  return { rows: withCompletion(rows), info };
}
