import { randomUUID } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { db, type Transaction } from "../../db/client.server";
import {
  accreditations,
  cohorts,
  departments,
  organisations,
  roleAssignments,
  users,
  type OrganisationKind,
} from "../../db/schema";
import { isAccreditedOn, recordInForce, statusOn } from "../domain/accreditation";
import { shanghaiDate } from "../domain/dates";
import type { AccreditationInput, OrganisationInput } from "../validation/organisations";
import { recordAudit } from "./audit.server";
import { failure, success, uniqueViolation, type ServiceResult } from "./result";

/** Today's date in China, where every base, hospital and bureau using this works. */
export function today(): string {
  return shanghaiDate(new Date().toISOString());
}

export function listOrganisations(kind?: OrganisationKind) {
  return db()
    .select()
    .from(organisations)
    .where(kind ? eq(organisations.kind, kind) : undefined)
    .orderBy(asc(organisations.kind), asc(organisations.code))
    .all();
}

export function getOrganisation(id: string) {
  return db().select().from(organisations).where(eq(organisations.id, id)).get() ?? null;
}

export function accreditationHistory(organisationId: string) {
  return db()
    .select()
    .from(accreditations)
    .where(eq(accreditations.organisationId, organisationId))
    .orderBy(asc(accreditations.effectiveFrom), asc(accreditations.id))
    .all();
}

/** The accreditation as it stood on `date`, for questions such as "could this base issue then?". */
export function accreditationOn(organisationId: string, date: string) {
  const history = accreditationHistory(organisationId);
  return { status: statusOn(history, date), record: recordInForce(history, date) };
}

/** Every organisation's accreditation history, read in one query. */
export function accreditationHistories(): Map<string, (typeof accreditations.$inferSelect)[]> {
  const histories = new Map<string, (typeof accreditations.$inferSelect)[]>();
  for (const a of db().select().from(accreditations).orderBy(asc(accreditations.effectiveFrom), asc(accreditations.id)).all()) {
    const list = histories.get(a.organisationId) ?? [];
    list.push(a);
    histories.set(a.organisationId, list);
  }
  return histories;
}

/** Answers "was this base accredited on date D?" for many records, reading the histories once. */
export function accreditationChecker(): (organisationId: string, date: string) => boolean {
  const histories = accreditationHistories();
  const answers = new Map<string, boolean>();
  return (organisationId, date) => {
    const key = `${organisationId}|${date}`;
    let ok = answers.get(key);
    if (ok === undefined) answers.set(key, (ok = isAccreditedOn(histories.get(organisationId) ?? [], date)));
    return ok;
  };
}

/** Every training base with its accreditation status on a date. */
export function trainingBasesWithStatus(date = today()) {
  const histories = accreditationHistories();
  return listOrganisations("training_base").map((b) => {
    const history = histories.get(b.id) ?? [];
    return { ...b, status: statusOn(history, date), record: recordInForce(history, date) };
  });
}

function organisationErrors(error: unknown) {
  if (uniqueViolation(error) === "organisations.code") return failure({ code: "error.codeTaken" });
  throw error;
}

export function createOrganisation(actorUserId: string | null, input: OrganisationInput): ServiceResult<string> {
  const id = randomUUID();
  try {
    db().transaction((tx) => {
      tx.insert(organisations)
        .values({ id, ...input, parentId: input.parentId || null })
        .run();
      recordAudit(tx, { actorUserId, action: "organisation.create", entityType: "organisation", entityId: id, organisationId: id, details: { ...input } });
    });
  } catch (e) {
    return organisationErrors(e);
  }
  return success(id);
}

export function updateOrganisation(
  actorUserId: string,
  id: string,
  input: OrganisationInput & { active: boolean },
): ServiceResult<string> {
  const before = getOrganisation(id);
  if (!before) throw new Response("Not Found", { status: 404 });
  try {
    const refused = db().transaction((tx) => {
      if (input.kind !== before.kind && kindIsInUse(tx, id)) return failure({ kind: "org.kindInUse" });
      tx.update(organisations)
        .set({ ...input, parentId: input.parentId || null, updatedAt: new Date().toISOString() })
        .where(eq(organisations.id, id))
        .run();
      const changed = Object.fromEntries(
        Object.entries(input).filter(([k, v]) => (before as Record<string, unknown>)[k] !== (k === "parentId" ? v || null : v)),
      );
      recordAudit(tx, {
        actorUserId,
        action: "organisation.update",
        entityType: "organisation",
        entityId: id,
        organisationId: id,
        details: { before: Object.fromEntries(Object.keys(changed).map((k) => [k, (before as Record<string, unknown>)[k]])), after: changed },
      });
      return null;
    });
    if (refused) return refused;
  } catch (e) {
    return organisationErrors(e);
  }
  return success(id);
}

/**
 * Records that only make sense for the organisation's kind (accreditation for a base, cohorts,
 * role holders whose roles fit the kind, a hospital's departments) pin the kind once they exist.
 */
function kindIsInUse(tx: Transaction, organisationId: string): boolean {
  const exists = (table: typeof accreditations | typeof cohorts | typeof roleAssignments | typeof departments) =>
    tx.select({ one: sql`1` }).from(table).where(eq(table.organisationId, organisationId)).limit(1).get() !== undefined;
  return exists(accreditations) || exists(cohorts) || exists(roleAssignments) || exists(departments);
}

/** Accreditation is never edited in place: each change is a new record taking effect on a date. */
export function addAccreditation(actorUserId: string | null, organisationId: string, input: AccreditationInput): number {
  const org = getOrganisation(organisationId);
  if (!org || org.kind !== "training_base") throw new Response("Not Found", { status: 404 });
  return db().transaction((tx) => {
    const row = tx
      .insert(accreditations)
      .values({ organisationId, ...input, recordedBy: actorUserId })
      .returning({ id: accreditations.id })
      .get();
    recordAudit(tx, {
      actorUserId,
      action: "accreditation.record",
      entityType: "organisation",
      entityId: organisationId,
      organisationId,
      details: { ...input },
    });
    return row.id;
  });
}


export function membersOf(organisationId: string) {
  return db()
    .select({ userId: users.id, name: users.name, role: roleAssignments.role, active: users.active, idNumber: users.idNumber })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(eq(roleAssignments.organisationId, organisationId))
    .orderBy(asc(roleAssignments.role), asc(users.name))
    .all();
}
