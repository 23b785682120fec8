import { and, eq, gt, inArray, lt, or } from "drizzle-orm";
import { db } from "../../db/client.server";
import { loginFailures, users } from "../../db/schema";
import { normaliseMobile } from "../domain/mobile";
import { ACCOUNT_POLICY, ADDRESS_POLICY, minutesUntil, throttleState } from "../domain/throttle";
import { startSession } from "./lucia.server";
import { verifyAgainstNothing, verifyPassword } from "./password.server";

export type SignInResult =
  | { ok: true; userId: string; cookie: string }
  | { ok: false; error: "invalid" | "inactive" }
  | { ok: false; error: "lockedAccount" | "lockedAddress"; minutes: number };

function accountKey(identifier: string): string {
  return `account:${normaliseMobile(identifier) ?? identifier.trim().toLowerCase()}`;
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
  const keys = { account: accountKey(input.identifier), address: `address:${input.clientAddress}` };
  const since = now - Math.max(ACCOUNT_POLICY.windowMs, ADDRESS_POLICY.windowMs);

  const addressState = throttleState(failureTimes(keys.address, since), now, ADDRESS_POLICY);
  if (addressState.locked) return { ok: false, error: "lockedAddress", minutes: minutesUntil(addressState.retryAt, now) };
  const accountState = throttleState(failureTimes(keys.account, since), now, ACCOUNT_POLICY);
  if (accountState.locked) return { ok: false, error: "lockedAccount", minutes: minutesUntil(accountState.retryAt, now) };

  const user = findUserByIdentifier(input.identifier);
  const passwordOk = user ? await verifyPassword(user.passwordHash, input.password) : (await verifyAgainstNothing(input.password), false);

  if (!user || !passwordOk) {
    db().insert(loginFailures).values([{ key: keys.account, at: now }, { key: keys.address, at: now }]).run();
    db().delete(loginFailures).where(lt(loginFailures.at, now - 24 * 3600_000)).run();
    const after = throttleState(failureTimes(keys.account, since), now, ACCOUNT_POLICY);
    if (after.locked) return { ok: false, error: "lockedAccount", minutes: minutesUntil(after.retryAt, now) };
    return { ok: false, error: "invalid" };
  }
  if (!user.active) return { ok: false, error: "inactive" };

  db().delete(loginFailures).where(inArray(loginFailures.key, [keys.account])).run();
  return { ok: true, userId: user.id, cookie: await startSession(user.id) };
}

/** For admin screens: lift a lock after the person proved who they are by other means. */
export function clearFailuresFor(user: { username: string | null; mobile: string | null }): void {
  const keys = [user.username, user.mobile].filter((k): k is string => !!k).map(accountKey);
  if (keys.length) db().delete(loginFailures).where(or(...keys.map((k) => eq(loginFailures.key, k)))).run();
}
