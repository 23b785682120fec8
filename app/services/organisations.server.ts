import { randomUUID } from "node:crypto";
import { NotFound } from "./errors";
import { now as clockNow, today } from "./clock.server";
import { and, asc, count, eq, getTableColumns, inArray, isNull, ne, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, type Transaction } from "../../db/client.server";
import {
  accreditations,
  AUTHORITY_KINDS,
  cohorts,
  departments,
  organisations,
  roleAssignments,
  users,
  type OrganisationKind,
} from "../../db/schema";
import { isAccreditedOn, recordInForce, statusOn } from "../domain/accreditation";
import { findRegion, regionPath, regionsWithin } from "../domain/regions";
import { regions } from "../content/regions.server";
import { shanghaiDate } from "../domain/dates";
import type { AccreditationInput, OrganisationInput } from "../validation/organisations";
import { recordAudit } from "./audit.server";
import { failure, success, uniqueViolation, type ServiceResult } from "./result";

/** Today's date in China, where every base, hospital and bureau using this works. */

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

/** The training base a page is about; anything else is 404. */
export function trainingBaseOr404(id: string) {
  const base = getOrganisation(id);
  if (!base || base.kind !== "training_base") throw new NotFound();
  return base;
}

const authority = alias(organisations, "authority");

/** A base's designation records, oldest first, each with the name of the bureau that made it. */
export function accreditationHistory(organisationId: string) {
  return db()
    .select({ ...getTableColumns(accreditations), authorityName: authority.name })
    .from(accreditations)
    .leftJoin(authority, eq(authority.id, accreditations.authorityId))
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
export function accreditationHistories(organisationIds?: readonly string[]): Map<string, (typeof accreditations.$inferSelect)[]> {
  const histories = new Map<string, (typeof accreditations.$inferSelect)[]>();
  const rows = db()
    .select()
    .from(accreditations)
    .where(organisationIds ? inArray(accreditations.organisationId, [...organisationIds]) : undefined)
    .orderBy(asc(accreditations.effectiveFrom), asc(accreditations.id))
    .all();
  for (const a of rows) {
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
/**
 * Training bases with their designation status today. Given a reach (regions, and organisations by
 * id), only the bases in it are read, so a district's desk costs the same in a province of 200 bases.
 */
export function trainingBasesWithStatus(reach: { regionCodes: string[]; organisationIds: string[] } | null = null, date = today()) {
  const tree = regions();
  const bases = reach ? basesWithin(reach, tree) : listOrganisations("training_base");
  const histories = accreditationHistories(reach ? bases.map((b) => b.id) : undefined);
  return bases.map((b) => {
    const history = histories.get(b.id) ?? [];
    // A permission check on a list of bases needs each one's region: read here once, not a query a base.
    return { ...b, regionPath: regionPath(tree, b.regionCode), status: statusOn(history, date), record: recordInForce(history, date) };
  });
}

/** The bases in the reach's regions (through the kind-and-region index) and those it names, by code. */
function basesWithin(reach: { regionCodes: string[]; organisationIds: string[] }, tree: ReturnType<typeof regions>) {
  const read = (where: SQL) =>
    db()
      .select()
      .from(organisations)
      .where(and(eq(organisations.kind, "training_base"), where))
      .all();
  const within = regionsWithin(tree, reach.regionCodes);
  const found = new Map<string, typeof organisations.$inferSelect>();
  for (const b of within.length ? read(inArray(organisations.regionCode, within)) : []) found.set(b.id, b);
  for (const b of reach.organisationIds.length ? read(inArray(organisations.id, reach.organisationIds)) : []) found.set(b.id, b);
  return [...found.values()].sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
}

function organisationErrors(error: unknown) {
  const columns = uniqueViolation(error);
  if (columns === "organisations.code") return failure({ code: "error.codeTaken" });
  if (columns === "organisations.kind, organisations.region_code") return failure({ region: "error.authorityTaken" });
  throw error;
}

/**
 * The organisation as stored: the region typed into the form read against the region table. Every
 * organisation but an alliance (which may span regions) needs one.
 */
function withRegion(input: OrganisationInput): ServiceResult<Omit<OrganisationInput, "region"> & { regionCode: string | null }> {
  const { region, ...rest } = input;
  if (!region) return input.kind === "alliance" ? success({ ...rest, regionCode: null }) : failure({ region: "error.regionRequired" });
  const found = findRegion(regions(), region);
  if (!found.ok) return failure({ region: found.error === "ambiguous" ? "error.regionAmbiguous" : "error.regionNotFound" });
  return success({ ...rest, regionCode: found.code });
}

export function createOrganisation(actorUserId: string | null, input: OrganisationInput): ServiceResult<string> {
  const id = randomUUID();
  const values = withRegion(input);
  if (!values.ok) return values;
  try {
    db().transaction((tx) => {
      tx.insert(organisations)
        .values({ id, ...values.value, parentId: input.parentId || null })
        .run();
      recordAudit(tx, {
        actorUserId,
        action: "organisation.create",
        entityType: "organisation",
        entityId: id,
        organisationId: id,
        details: { ...values.value },
      });
    });
  } catch (e) {
    return organisationErrors(e);
  }
  return success(id);
}

export function updateOrganisation(actorUserId: string, id: string, input: OrganisationInput & { active: boolean }): ServiceResult<string> {
  const before = getOrganisation(id);
  if (!before) throw new NotFound();
  const located = withRegion(input);
  if (!located.ok) return located;
  const values = { ...located.value, active: input.active };
  try {
    const refused = db().transaction((tx) => {
      if (input.kind !== before.kind && kindIsInUse(tx, id)) return failure({ kind: "org.kindInUse" });
      tx.update(organisations)
        .set({ ...values, parentId: input.parentId || null, updatedAt: clockNow().toISOString() })
        .where(eq(organisations.id, id))
        .run();
      const changed = Object.fromEntries(
        Object.entries(values).filter(([k, v]) => (before as Record<string, unknown>)[k] !== (k === "parentId" ? v || null : v)),
      );
      recordAudit(tx, {
        actorUserId,
        action: "organisation.update",
        entityType: "organisation",
        entityId: id,
        organisationId: id,
        details: {
          before: Object.fromEntries(Object.keys(changed).map((k) => [k, (before as Record<string, unknown>)[k]])),
          after: changed,
        },
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

/**
 * The health bureau designates (or suspends) a base: never edited in place, each change is a new
 * record taking effect on a date, naming the bureau and the host institution.
 */
export function designateBase(actorUserId: string | null, authorityId: string, organisationId: string, input: AccreditationInput): number {
  const org = getOrganisation(organisationId);
  if (!org || org.kind !== "training_base") throw new NotFound();
  return db().transaction((tx) => {
    const row = tx
      .insert(accreditations)
      .values({ organisationId, ...input, authorityId, recordedBy: actorUserId })
      .returning({ id: accreditations.id })
      .get();
    recordAudit(tx, {
      actorUserId,
      action: "accreditation.record",
      entityType: "organisation",
      entityId: organisationId,
      organisationId,
      details: { ...input, authorityId },
    });
    return row.id;
  });
}

/**
 * The organisation's staff (every role but trainee), and how many trainees hold their role there:
 * over the years a nursing home or a base may have thousands, which no page lists in full.
 */
export function membersOf(organisationId: string) {
  const staff = db()
    .select({ userId: users.id, name: users.name, role: roleAssignments.role, active: users.active, idNumber: users.idNumber })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.organisationId, organisationId), ne(roleAssignments.role, "trainee")))
    .orderBy(asc(roleAssignments.role), asc(users.name))
    .all();
  const trainees =
    db()
      .select({ n: count() })
      .from(roleAssignments)
      .where(and(eq(roleAssignments.organisationId, organisationId), eq(roleAssignments.role, "trainee")))
      .get()?.n ?? 0;
  return { staff, trainees };
}

/**
 * For databases made before organisations had regions: with DEFAULT_REGION set (a six-digit code),
 * every organisation without a region gets it at start, except an authority whose kind already has
 * one there (one authority of a kind per region; the admin sets the others). Without the setting
 * nothing changes and the admin is asked to set regions before claims can be submitted.
 */
export function assignDefaultRegion(code: string | undefined): number {
  if (!code) return 0;
  if (!regions().has(code)) throw new Error(`DEFAULT_REGION=${code} is not a six-digit region code of content/regions/gb2260.tsv`);
  return db().transaction((tx) => {
    const unset = tx.select().from(organisations).where(isNull(organisations.regionCode)).all();
    const taken = new Set(
      tx
        .select({ kind: organisations.kind })
        .from(organisations)
        .where(eq(organisations.regionCode, code))
        .all()
        .map((o) => o.kind),
    );
    let assigned = 0;
    for (const o of unset) {
      const authority = (AUTHORITY_KINDS as readonly string[]).includes(o.kind);
      if (authority && taken.has(o.kind)) continue;
      if (authority) taken.add(o.kind);
      tx.update(organisations).set({ regionCode: code }).where(eq(organisations.id, o.id)).run();
      recordAudit(tx, {
        actorUserId: null,
        action: "organisation.update",
        entityType: "organisation",
        entityId: o.id,
        organisationId: o.id,
        details: { before: { regionCode: null }, after: { regionCode: code }, setting: "DEFAULT_REGION" },
      });
      assigned++;
    }
    return assigned;
  });
}
