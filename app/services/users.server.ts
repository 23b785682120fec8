import { randomUUID } from "node:crypto";
import { now as clockNow } from "./clock.server";
import { and, asc, eq, ne, or, sql, type AnyColumn } from "drizzle-orm";
import { normaliseMobile } from "../domain/mobile";
import { pageFrom, pageInfo, type Page } from "../domain/paging";
import { db, inJsonList, type Transaction } from "../../db/client.server";
import { cohorts, enrolments, organisations, roleAssignments, users, type Role } from "../../db/schema";
import { endAllSessionsOf, endOtherSessionsOf } from "../auth/lucia.server";
import { hashPassword, verifyPassword } from "../auth/password.server";
import { clearFailuresFor, throttledCheck } from "../auth/sign-in.server";
import { issueActivationCode, spendActivationCode } from "../auth/activation.server";
import { NO_PASSWORD } from "../domain/activation";
import { PAIR_POLICY } from "../domain/throttle";
import type { PasswordHolder } from "../domain/permissions";
import { roleFitsOrganisation } from "../domain/roles";
import type { EditUserInput, NewUserInput } from "../validation/people";
import { recordAudit } from "./audit.server";
import { failure, success, uniqueViolation, type ServiceResult } from "./result";

const UNIQUE_FIELDS = {
  "users.username": { username: "error.usernameTaken" },
  "users.mobile": { mobile: "error.mobileTaken" },
  "users.id_number": { idNumber: "error.idNumberTaken" },
} as const;

function userErrors(error: unknown) {
  const column = uniqueViolation(error);
  if (column && column in UNIQUE_FIELDS) return failure(UNIQUE_FIELDS[column as keyof typeof UNIQUE_FIELDS]);
  throw error;
}

const orNull = (s: string) => (s === "" ? null : s);

/** The ID number is personal data: the audit log says that it changed, not what it is. */
function auditable(input: EditUserInput) {
  const { idNumber, ...rest } = input;
  return { ...rest, idNumber: idNumber ? "(set)" : "" };
}

/**
 * People by the beginning of their name, username or mobile number (each through its index), in
 * name order, a page at a time. A mobile typed with +86 or spaces is read as the number.
 */
export function listUsers(search = "", page: Page = pageFrom(null)) {
  const text = search.trim().slice(0, 64);
  const startsWith = (column: AnyColumn, prefix: string) => sql`(${column} >= ${prefix} and ${column} < ${prefix} || char(1114111))`;
  const mobile = normaliseMobile(text) ?? text.replace(/[\s-]/g, "");
  const rows = db()
    .select({ id: users.id, name: users.name, username: users.username, mobile: users.mobile, active: users.active })
    .from(users)
    .where(
      text ? or(startsWith(users.name, text), startsWith(users.username, text.toLowerCase()), startsWith(users.mobile, mobile)) : undefined,
    )
    .orderBy(asc(users.name), asc(users.id))
    .limit(page.limit + 1)
    .offset(page.offset)
    .all();
  return { users: rows.slice(0, page.limit), info: pageInfo(page, rows.length) };
}

export function getUser(id: string) {
  return db().select().from(users).where(eq(users.id, id)).get() ?? null;
}

export function rolesOf(userId: string) {
  return db()
    .select({
      id: roleAssignments.id,
      role: roleAssignments.role,
      organisationId: roleAssignments.organisationId,
      organisationName: organisations.name,
      organisationKind: organisations.kind,
    })
    .from(roleAssignments)
    .innerJoin(organisations, eq(organisations.id, roleAssignments.organisationId))
    .where(eq(roleAssignments.userId, userId))
    .orderBy(asc(roleAssignments.id))
    .all();
}

export async function createUser(actorUserId: string | null, input: NewUserInput): Promise<ServiceResult<string>> {
  const id = randomUUID();
  const passwordHash = await hashPassword(input.password);
  const { password: _password, ...person } = input;
  try {
    db().transaction((tx) => {
      tx.insert(users)
        .values({
          id,
          name: person.name,
          username: orNull(person.username),
          mobile: orNull(person.mobile),
          idNumber: orNull(person.idNumber),
          passwordHash,
        })
        .run();
      recordAudit(tx, { actorUserId, action: "user.create", entityType: "user", entityId: id, details: auditable(person) });
    });
  } catch (e) {
    return userErrors(e);
  }
  return success(id);
}

export function updateUser(actorUserId: string, id: string, input: EditUserInput): ServiceResult<string> {
  try {
    db().transaction((tx) => {
      tx.update(users)
        .set({
          name: input.name,
          username: orNull(input.username),
          mobile: orNull(input.mobile),
          idNumber: orNull(input.idNumber),
          updatedAt: clockNow().toISOString(),
        })
        .where(eq(users.id, id))
        .run();
      recordAudit(tx, { actorUserId, action: "user.update", entityType: "user", entityId: id, details: auditable(input) });
    });
  } catch (e) {
    return userErrors(e);
  }
  return success(id);
}

export function assignRole(actorUserId: string, userId: string, organisationId: string, role: Role): ServiceResult<number> {
  const org = db().select().from(organisations).where(eq(organisations.id, organisationId)).get();
  if (!org) return failure({ organisationId: "error.choose" });
  if (!roleFitsOrganisation(role, org.kind)) return failure({ role: "error.roleKind" });
  try {
    return success(
      db().transaction((tx) => {
        const row = tx.insert(roleAssignments).values({ userId, organisationId, role }).returning({ id: roleAssignments.id }).get();
        recordAudit(tx, {
          actorUserId,
          action: "role.assign",
          entityType: "user",
          entityId: userId,
          organisationId,
          details: { role, organisation: org.name },
        });
        return row.id;
      }),
    );
  } catch (e) {
    if (uniqueViolation(e)?.startsWith("role_assignments.")) return failure({ role: "error.roleExists" });
    throw e;
  }
}

/** Active people holding the admin role anywhere, leaving out one assignment or one person. */
function otherActiveAdmins(tx: Transaction, except: { assignmentId?: number; userId?: string }): number {
  return tx
    .select({ userId: roleAssignments.userId })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(
      and(
        eq(roleAssignments.role, "admin"),
        eq(users.active, true),
        except.assignmentId === undefined ? undefined : ne(roleAssignments.id, except.assignmentId),
        except.userId === undefined ? undefined : ne(roleAssignments.userId, except.userId),
      ),
    )
    .all().length;
}

/** Refused when it is the last admin role held by an active person: nobody could manage users any more. */
export function removeRole(actorUserId: string, userId: string, assignmentId: number): ServiceResult<boolean> {
  return db().transaction((tx) => {
    const row = tx
      .select()
      .from(roleAssignments)
      .where(and(eq(roleAssignments.id, assignmentId), eq(roleAssignments.userId, userId)))
      .get();
    if (!row) return success(false);
    if (row.role === "admin" && otherActiveAdmins(tx, { assignmentId }) === 0) return failure({ _form: "user.lastAdminRole" });
    tx.delete(roleAssignments).where(eq(roleAssignments.id, assignmentId)).run();
    recordAudit(tx, {
      actorUserId,
      action: "role.remove",
      entityType: "user",
      entityId: userId,
      organisationId: row.organisationId,
      details: { role: row.role },
    });
    return success(true);
  });
}

/** What an account holds before its person chooses a password: no password, an activation code, and the flag that makes them choose one. */
export const AWAITING_ACTIVATION = { passwordHash: NO_PASSWORD, mustChangePassword: true } as const;

/**
 * Every reset: the new credentials, the audit entry, any sign-in lock lifted and every session
 * ended. `then` runs in the same transaction (issuing an activation code), and its answer is returned.
 */
async function replacePassword<T>(
  actorUserId: string,
  user: { id: string; username: string | null; mobile: string | null },
  change: { passwordHash: string; mustChangePassword: boolean },
  audit: { organisationId?: string; details?: Record<string, unknown> } = {},
  then: (tx: Transaction) => T = () => undefined as T,
): Promise<T> {
  const result = db().transaction((tx) => {
    tx.update(users)
      .set({ ...change, updatedAt: clockNow().toISOString() })
      .where(eq(users.id, user.id))
      .run();
    // A code issued earlier must not outlive a reset.
    spendActivationCode(tx, user.id);
    recordAudit(tx, { actorUserId, action: "user.password-reset", entityType: "user", entityId: user.id, ...audit });
    return then(tx);
  });
  clearFailuresFor(user);
  await endAllSessionsOf(user.id);
  return result;
}

/** An admin sets a temporary password; its holder must choose their own at the next sign-in. */
export async function resetPassword(actorUserId: string, userId: string, newPassword: string): Promise<void> {
  const passwordHash = await hashPassword(newPassword);
  const user = getUser(userId);
  if (!user) return;
  await replacePassword(actorUserId, user, { passwordHash, mustChangePassword: true });
}

/** What `canResetPassword` needs to know about each of these people (every enrolment, withdrawn too); unknown ids are left out. */
export function passwordHolders(userIds: string[]): Map<string, PasswordHolder> {
  const holders = new Map<string, PasswordHolder>();
  if (userIds.length === 0) return holders;
  for (const u of db().select({ id: users.id }).from(users).where(inJsonList(users.id, userIds)).all())
    holders.set(u.id, { userId: u.id, roles: [], enrolledAt: [] });
  for (const r of db()
    .select({ userId: roleAssignments.userId, role: roleAssignments.role })
    .from(roleAssignments)
    .where(inJsonList(roleAssignments.userId, userIds))
    .all()) {
    holders.get(r.userId)?.roles.push(r.role);
  }
  const enrolledAt = db()
    .selectDistinct({ userId: enrolments.userId, organisationId: cohorts.organisationId })
    .from(enrolments)
    .innerJoin(cohorts, eq(cohorts.id, enrolments.cohortId))
    .where(inJsonList(enrolments.userId, userIds))
    .all();
  for (const e of enrolledAt) holders.get(e.userId)?.enrolledAt.push(e.organisationId);
  return holders;
}

export function passwordHolder(userId: string): PasswordHolder | null {
  return passwordHolders([userId]).get(userId) ?? null;
}

/**
 * Puts an account back to its first sign-in, as enrolment creates it: no password, a new activation
 * code for the enrolment slip, and a password to choose. The caller checks `canResetPassword`;
 * `organisationId` is the base the registrar acted for, for the audit log. Gives back whom to tell,
 * what they sign in with (their mobile number, else their username) and the new code.
 */
export async function resetToActivation(
  actorUserId: string,
  userId: string,
  organisationId: string,
): Promise<ServiceResult<{ name: string; signInWith: string; code: string; expiresAt: number }>> {
  const user = getUser(userId);
  if (!user) return failure({ _form: "error.choose" });
  if (!user.mobile) return failure({ _form: "cohort.resetNoMobile" });
  const issued = await replacePassword(
    actorUserId,
    user,
    AWAITING_ACTIVATION,
    { organisationId, details: { password: "activation-code" } },
    () => issueActivationCode(user.id, actorUserId),
  );
  return success({ name: user.name, signInWith: user.mobile, ...issued });
}

/** An admin cannot deactivate themselves, and nobody can deactivate the last active admin. */
export async function setActive(actorUserId: string, userId: string, active: boolean): Promise<ServiceResult<true>> {
  const refused = db().transaction((tx) => {
    if (!active) {
      if (userId === actorUserId) return failure({ _form: "user.cannotDeactivateSelf" });
      const isAdmin = tx
        .select({ id: roleAssignments.id })
        .from(roleAssignments)
        .where(and(eq(roleAssignments.userId, userId), eq(roleAssignments.role, "admin")))
        .get();
      if (isAdmin && otherActiveAdmins(tx, { userId }) === 0) return failure({ _form: "user.lastAdmin" });
    }
    tx.update(users).set({ active, updatedAt: clockNow().toISOString() }).where(eq(users.id, userId)).run();
    recordAudit(tx, { actorUserId, action: active ? "user.reactivate" : "user.deactivate", entityType: "user", entityId: userId });
    return null;
  });
  if (refused) return refused;
  if (!active) await endAllSessionsOf(userId);
  return success(true);
}

/**
 * The person chooses a new password. The current one is asked for (throttled like sign-in, so a
 * session left open is no oracle for it), except on the first password after an activation code:
 * signing in with the code was the proof.
 */
export async function changeOwnPassword(
  userId: string,
  sessionId: string,
  currentPassword: string,
  newPassword: string,
  now = Date.now(),
): Promise<ServiceResult<true>> {
  const user = getUser(userId);
  if (!user) return failure({ currentPassword: "error.passwordWrong" });
  if (user.passwordHash !== NO_PASSWORD) {
    const check = await throttledCheck(`password-check:${userId}`, PAIR_POLICY, now, () =>
      verifyPassword(user.passwordHash, currentPassword),
    );
    if (check === "locked") return failure({ currentPassword: "account.checkLocked" });
    if (check === "wrong") return failure({ currentPassword: "error.passwordWrong" });
  }
  const passwordHash = await hashPassword(newPassword);
  db().transaction((tx) => {
    tx.update(users)
      .set({ passwordHash, mustChangePassword: false, updatedAt: clockNow().toISOString() })
      .where(eq(users.id, userId))
      .run();
    spendActivationCode(tx, userId);
    recordAudit(tx, { actorUserId: userId, action: "user.password-change", entityType: "user", entityId: userId });
  });
  // Someone who knew the old password may still be signed in elsewhere.
  await endOtherSessionsOf(userId, sessionId);
  return success(true);
}
