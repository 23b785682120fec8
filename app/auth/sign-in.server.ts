import { randomBytes } from "node:crypto";
import { and, eq, inArray, lt, or, sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import { knownDevices, loginFailures, users } from "../../db/schema";
import { NO_PASSWORD } from "../domain/activation";
import { normaliseMobile } from "../domain/mobile";
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  DEVICE_POLICY,
  PAIR_POLICY,
  historyMs,
  hoursUntil,
  minutesUntil,
  throttleState,
  type ThrottlePolicy,
  type ThrottleState,
} from "../domain/throttle";
import { attemptTimes } from "../services/attempt-log.server";
import { recordAudit } from "../services/audit.server";
import { checkActivationCode } from "./activation.server";
import { endSession, startSession, type Transport } from "./lucia.server";
import { verifyAgainstNothing, verifyPassword } from "./password.server";

export type SignInResult =
  | { ok: true; userId: string; cookies: string[] }
  | { ok: false; error: "invalid" | "activationExpired" }
  | { ok: false; error: "lockedAccount" | "lockedAddress"; minutes: number }
  | { ok: false; error: "lockedAccountLong"; hours: number };

export const DEVICE_COOKIE = "device";
/** Chrome keeps a cookie at most 400 days. */
const DEVICE_COOKIE_DAYS = 400;

/** Failures older than this can no longer lock anything. */
const KEEP_FAILURES_MS = Math.max(...[PAIR_POLICY, ACCOUNT_POLICY, DEVICE_POLICY, ADDRESS_POLICY].map(historyMs));

/** One counter per person, whether they type their username or their mobile number; identifiers that name nobody are counted as typed. */
function accountKey(userId: string | null, identifier: string): string {
  return userId ? `user:${userId}` : `account:${normaliseMobile(identifier) ?? identifier.trim().toLowerCase()}`;
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

/** The browser's device id, if this person has signed in on it before. */
function knownDevice(deviceId: string | null, userId: string | undefined): boolean {
  if (!deviceId || !userId) return false;
  return !!db()
    .select({ one: knownDevices.userId })
    .from(knownDevices)
    .where(and(eq(knownDevices.deviceId, deviceId), eq(knownDevices.userId, userId)))
    .get();
}

/**
 * Which counters an attempt is judged and counted by. On a browser the person has signed in on, only
 * that browser's own counter: guesses from anywhere else cannot lock the owner out. Elsewhere, the
 * account at this address (a growing delay), the account from all such places (the cap on guessing
 * from many addresses) and the address (one place trying many accounts).
 */
function countersFor(
  account: string,
  address: string,
  trustedDevice: string | null,
): { key: string; policy: ThrottlePolicy; kind: "account" | "address" }[] {
  if (trustedDevice) return [{ key: `device:${trustedDevice}|${account}`, policy: DEVICE_POLICY, kind: "account" }];
  return [
    { key: `address:${address}`, policy: ADDRESS_POLICY, kind: "address" },
    { key: `pair:${account}|${address}`, policy: PAIR_POLICY, kind: "account" },
    { key: account, policy: ACCOUNT_POLICY, kind: "account" },
  ];
}

function refusal(kind: "account" | "address", state: Extract<ThrottleState, { locked: true }>, now: number): SignInResult {
  if (kind === "address") return { ok: false, error: "lockedAddress", minutes: minutesUntil(state.retryAt, now) };
  return state.escalated && state.retryAt - now > 60 * 60_000
    ? { ok: false, error: "lockedAccountLong", hours: hoursUntil(state.retryAt, now) }
    : { ok: false, error: "lockedAccount", minutes: minutesUntil(state.retryAt, now) };
}

/** The lock in force among these counters that ends last, or null. */
function lockAmong(counters: ReturnType<typeof countersFor>, now: number): SignInResult | null {
  let worst: { kind: "account" | "address"; state: Extract<ThrottleState, { locked: true }> } | null = null;
  for (const c of counters) {
    const state = throttleState(attemptTimes(c.key, now - historyMs(c.policy)), now, c.policy);
    if (state.locked && (!worst || state.retryAt > worst.state.retryAt)) worst = { kind: c.kind, state };
  }
  return worst ? refusal(worst.kind, worst.state, now) : null;
}

function deviceCookie(deviceId: string, transport: Transport): string {
  return `${DEVICE_COOKIE}=${deviceId}; Path=/; Max-Age=${DEVICE_COOKIE_DAYS * 86_400}; HttpOnly; SameSite=Lax${transport.secure ? "; Secure" : ""}`;
}

/** Reads the device id from a Cookie header; anything but 32 hex characters is no device. */
export function deviceIdFrom(cookieHeader: string | null): string | null {
  const match = cookieHeader?.match(new RegExp(`(?:^|;\\s*)${DEVICE_COOKIE}=([0-9a-f]{32})(?:;|$)`));
  return match ? match[1] : null;
}

export async function signIn(input: {
  identifier: string;
  password: string;
  clientAddress: string;
  transport: Transport;
  /** The browser's device cookie, if any. */
  deviceId?: string | null;
  /** The session this browser had before, ended by a new sign-in. */
  previousSessionId?: string | null;
  now?: number;
}): Promise<SignInResult> {
  const now = input.now ?? Date.now();
  const user = findUserByIdentifier(input.identifier);
  const deviceId = input.deviceId ?? null;
  const account = accountKey(user?.id ?? null, input.identifier);
  const counters = countersFor(account, input.clientAddress, knownDevice(deviceId, user?.id) ? deviceId : null);
  const audit = (action: string, details: Record<string, unknown>) =>
    recordAudit(db(), {
      actorUserId: user?.id ?? null,
      action,
      entityType: "user",
      entityId: user?.id ?? "(unknown)",
      details: { address: input.clientAddress, ...details },
    });

  // The attempt is counted as a failure before the password is checked, in the same transaction
  // as the lock check, so attempts sent all at once see each other and cannot slip past the
  // lock while the (slow) hash is computed. A right password takes its count back.
  const gate = db().transaction((tx) => {
    // better-sqlite3 runs on one connection, so attemptTimes reads inside this transaction.
    const locked = lockAmong(counters, now);
    if (locked) return { refused: locked };
    const counted = tx
      .insert(loginFailures)
      .values(counters.map((c) => ({ key: c.key, at: now })))
      .returning({ id: loginFailures.id })
      .all();
    return { counted: counted.map((r) => r.id) };
  });
  if ("refused" in gate) {
    audit("auth.sign-in-refused", { identifier: input.identifier.slice(0, 64), reason: gate.refused!.ok ? "" : gate.refused!.error });
    return gate.refused!;
  }

  // An account waiting for its activation code is signed in with the code; others with their password.
  let verdict: "ok" | "wrong" | "expired" = "wrong";
  if (!user) await verifyAgainstNothing(input.password);
  else if (user.passwordHash === NO_PASSWORD) {
    const check = checkActivationCode(user.id, input.password, now);
    verdict = check === "ok" ? "ok" : check === "expired" ? "expired" : "wrong";
  } else if (await verifyPassword(user.passwordHash, input.password)) verdict = "ok";

  // A deactivated account is answered exactly like a wrong password: nobody learns it exists.
  if (!user || verdict !== "ok" || !user.active) {
    db()
      .delete(loginFailures)
      .where(lt(loginFailures.at, now - KEEP_FAILURES_MS))
      .run();
    audit("auth.sign-in-failed", {
      identifier: input.identifier.slice(0, 64),
      reason: !user ? "unknown" : verdict === "ok" ? "inactive" : verdict,
    });
    if (verdict === "expired" && user?.active) return { ok: false, error: "activationExpired" };
    return lockAmong(counters, now) ?? { ok: false, error: "invalid" };
  }

  // The right password: this attempt was no failure, and this person's counters start afresh.
  db()
    .delete(loginFailures)
    .where(
      or(
        inArray(loginFailures.id, gate.counted!),
        inArray(
          loginFailures.key,
          counters.filter((c) => c.kind === "account").map((c) => c.key),
        ),
      ),
    )
    .run();
  const cookies: string[] = [];
  if (input.previousSessionId) cookies.push(await endSession(input.previousSessionId, input.transport));
  const device = deviceId ?? randomBytes(16).toString("hex");
  db()
    .insert(knownDevices)
    .values({ deviceId: device, userId: user.id, lastSeenAt: now })
    .onConflictDoUpdate({ target: [knownDevices.deviceId, knownDevices.userId], set: { lastSeenAt: now } })
    .run();
  cookies.push(await startSession(user.id, input.transport, now));
  // The cookie is set again each time, so it lasts 400 days from the last sign-in.
  cookies.push(deviceCookie(device, input.transport));
  audit("auth.sign-in", { device: deviceId ? "known-browser" : "new-browser", activation: user.passwordHash === NO_PASSWORD });
  return { ok: true, userId: user.id, cookies };
}

/** For admin screens: lift a lock after the person proved who they are by other means. */
export function clearFailuresFor(user: { id: string; username: string | null; mobile: string | null }): void {
  const accounts = [
    accountKey(user.id, ""),
    ...[user.username, user.mobile].filter((k): k is string => !!k).map((k) => accountKey(null, k)),
  ];
  // Every counter about the account: its own, at each address, and on each browser.
  const about = (account: string) => [
    eq(loginFailures.key, account),
    sql`substr(${loginFailures.key}, 1, ${`pair:${account}|`.length}) = ${`pair:${account}|`}`,
    sql`${loginFailures.key} like 'device:%' and substr(${loginFailures.key}, ${-`|${account}`.length}) = ${`|${account}`}`,
  ];
  db()
    .delete(loginFailures)
    .where(or(...accounts.flatMap(about)))
    .run();
}

/**
 * A secret checked outside sign-in (the current password on the account page): counted before it is
 * checked, like sign-in, so it cannot be guessed at full speed from a session left open.
 */
export async function throttledCheck(
  key: string,
  policy: ThrottlePolicy,
  now: number,
  check: () => Promise<boolean>,
): Promise<"ok" | "wrong" | "locked"> {
  const gate = db().transaction((tx) => {
    if (throttleState(attemptTimes(key, now - historyMs(policy)), now, policy).locked) return null;
    return tx.insert(loginFailures).values({ key, at: now }).returning({ id: loginFailures.id }).get().id;
  });
  if (gate === null) return "locked";
  if (!(await check())) return "wrong";
  db().delete(loginFailures).where(eq(loginFailures.key, key)).run();
  return "ok";
}
