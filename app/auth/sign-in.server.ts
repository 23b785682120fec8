import { and, eq, gt, inArray, lt, or } from "drizzle-orm";
import { db } from "../../db/client.server";
import { loginFailures, users } from "../../db/schema";
import { normaliseMobile } from "../domain/mobile";
import { ACCOUNT_POLICY, ADDRESS_POLICY, historyMs, hoursUntil, minutesUntil, throttleState, type ThrottleState } from "../domain/throttle";
import { startSession } from "./lucia.server";
import { verifyAgainstNothing, verifyPassword } from "./password.server";

export type SignInResult =
  | { ok: true; userId: string; cookie: string }
  | { ok: false; error: "invalid" | "inactive" }
  | { ok: false; error: "lockedAccount" | "lockedAddress"; minutes: number }
  | { ok: false; error: "lockedAccountLong"; hours: number };

/** Failures older than this can no longer lock anything. */
const KEEP_FAILURES_MS = Math.max(historyMs(ACCOUNT_POLICY), historyMs(ADDRESS_POLICY));

/** Identifiers that name nobody are counted as typed (normalised). */
function identifierKey(identifier: string): string {
  return `account:${normaliseMobile(identifier) ?? identifier.trim().toLowerCase()}`;
}

/** One counter per person, whether they type their username or their mobile number. */
function userKey(userId: string): string {
  return `user:${userId}`;
}

function accountLocked(state: Extract<ThrottleState, { locked: true }>, now: number): SignInResult {
  return state.escalated
    ? { ok: false, error: "lockedAccountLong", hours: hoursUntil(state.retryAt, now) }
    : { ok: false, error: "lockedAccount", minutes: minutesUntil(state.retryAt, now) };
}

function failureTimes(key: string, since: number): number[] {
  return db()
    .select({ at: loginFailures.at })
    .from(loginFailures)
    .where(and(eq(loginFailures.key, key), gt(loginFailures.at, since)))
    .all()
    .map((r) => r.at);
}

export function findUserByIdentifier(identifier: string) {
  const trimmed = identifier.trim();
  const mobile = normaliseMobile(trimmed);
  return db()
    .select()
    .from(users)
    .where(mobile ? eq(users.mobile, mobile) : eq(users.username, trimmed.toLowerCase()))
    .get();
}

export async function signIn(input: {
  identifier: string;
  password: string;
  clientAddress: string;
  now?: number;
}): Promise<SignInResult> {
  const now = input.now ?? Date.now();
  const user = findUserByIdentifier(input.identifier);
  const keys = { account: user ? userKey(user.id) : identifierKey(input.identifier), address: `address:${input.clientAddress}` };

  // The attempt is counted as a failure before the password is checked, in the same transaction
  // as the lock check, so attempts sent all at once see each other and cannot slip past the
  // lock while the (slow) hash is computed. A right password takes its count back.
  const gate = db().transaction(
    // better-sqlite3 runs on one connection, so failureTimes reads inside this transaction.
    (tx) => {
      const addressState = throttleState(failureTimes(keys.address, now - historyMs(ADDRESS_POLICY)), now, ADDRESS_POLICY);
      if (addressState.locked) return { refused: { ok: false, error: "lockedAddress", minutes: minutesUntil(addressState.retryAt, now) } as SignInResult };
      const accountState = throttleState(failureTimes(keys.account, now - historyMs(ACCOUNT_POLICY)), now, ACCOUNT_POLICY);
      if (accountState.locked) return { refused: accountLocked(accountState, now) };
      const counted = tx.insert(loginFailures).values([{ key: keys.account, at: now }, { key: keys.address, at: now }]).returning({ id: loginFailures.id }).all();
      return { counted: counted.map((r) => r.id) };
    },
    { behavior: "immediate" },
  );
  if ("refused" in gate) return gate.refused!;

  const passwordOk = user ? await verifyPassword(user.passwordHash, input.password) : (await verifyAgainstNothing(input.password), false);

  if (!user || !passwordOk) {
    db().delete(loginFailures).where(lt(loginFailures.at, now - KEEP_FAILURES_MS)).run();
    const after = throttleState(failureTimes(keys.account, now - historyMs(ACCOUNT_POLICY)), now, ACCOUNT_POLICY);
    if (after.locked) return accountLocked(after, now);
    return { ok: false, error: "invalid" };
  }
  // The right password: this attempt was no failure, and the account starts afresh.
  db().delete(loginFailures).where(or(inArray(loginFailures.id, gate.counted!), eq(loginFailures.key, keys.account))).run();
  if (!user.active) return { ok: false, error: "inactive" };
  return { ok: true, userId: user.id, cookie: await startSession(user.id) };
}

/** For admin screens: lift a lock after the person proved who they are by other means. */
export function clearFailuresFor(user: { id: string; username: string | null; mobile: string | null }): void {
  const keys = [userKey(user.id), ...[user.username, user.mobile].filter((k): k is string => !!k).map(identifierKey)];
  db().delete(loginFailures).where(or(...keys.map((k) => eq(loginFailures.key, k)))).run();
}
