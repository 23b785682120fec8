import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { and, count, desc, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { DEMO_PASSWORD } from "../../db/seed/demo";
import { auditLog, sessions, users } from "../../db/schema";
import { checkSession } from "../../app/auth/lucia.server";
import { deviceIdFrom, signIn } from "../../app/auth/sign-in.server";
import { action as logout } from "../../app/routes/logout";
import { changeOwnPassword, resetPassword, setActive } from "../../app/services/users.server";
import { contextFor, userId, withDemoData } from "./fixtures";

beforeAll(withDemoData);
afterEach(() => vi.useRealTimers());

const http = { secure: false };
const https = { secure: true };
const HOUR = 3600_000;
const sessionCookie = (r: { cookies: string[] }) => r.cookies.find((c) => c.startsWith("session="))!;
const cookieValue = (setCookie: string) => setCookie.split(";")[0];
const deviceOf = (r: { cookies: string[] }) => deviceIdFrom(cookieValue(r.cookies.find((c) => c.startsWith("device="))!));
let address = 0;
/** Each test signs in from its own address so address throttling does not leak between tests. */
const nextAddress = () => `10.0.0.${++address}`;
const attempt = (identifier: string, password: string, over: Partial<Parameters<typeof signIn>[0]> = {}) =>
  signIn({ identifier, password, clientAddress: nextAddress(), transport: http, ...over });

describe("password sign-in", () => {
  it("signs in by username and by mobile number, starts a session and remembers the browser", async () => {
    const byName = await attempt("registrar", DEMO_PASSWORD);
    expect(byName.ok).toBe(true);
    const byMobile = await attempt("138 0000 0001", DEMO_PASSWORD);
    expect(byMobile).toMatchObject({ ok: true, userId: userId("trainee") });
    if (!byName.ok) return;
    const session = sessionCookie(byName);
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(deviceOf(byName)).toMatch(/^[0-9a-f]{32}$/);
    expect((await checkSession(cookieValue(session), http)).userId).toBe(userId("registrar"));
  });

  it("marks the cookies Secure exactly when the browser came over HTTPS", async () => {
    const plain = await attempt("registrar", DEMO_PASSWORD);
    const secure = await attempt("registrar", DEMO_PASSWORD, { transport: https });
    if (!plain.ok || !secure.ok) throw new Error("sign-in failed");
    expect(plain.cookies.every((c) => !/;\s*Secure/i.test(c))).toBe(true);
    expect(secure.cookies.every((c) => /;\s*Secure/i.test(c))).toBe(true);
  });

  it("refuses a wrong password, an unknown account and a deactivated account with its right password, all alike", async () => {
    const ip = nextAddress();
    expect(await attempt("registrar", "wrong-password", { clientAddress: ip })).toEqual({ ok: false, error: "invalid" });
    expect(await attempt("nobody", "wrong-password", { clientAddress: ip })).toEqual({ ok: false, error: "invalid" });
    await setActive(userId("admin"), userId("instructor"), false);
    expect(await attempt("instructor", DEMO_PASSWORD)).toEqual({ ok: false, error: "invalid" });
    await setActive(userId("admin"), userId("instructor"), true);
  });

  it("makes one guesser at one address wait longer and longer, while the owner signs in from elsewhere", async () => {
    const start = Date.now() + 2 * 24 * HOUR;
    const guesser = nextAddress();
    const guess = (i: number) => attempt("finance", "nope", { clientAddress: guesser, now: start + i });
    expect(await guess(0)).toEqual({ ok: false, error: "invalid" });
    expect(await guess(1)).toEqual({ ok: false, error: "invalid" });
    expect(await guess(2)).toEqual({ ok: false, error: "lockedAccount", minutes: 1 });
    // Even the right password waits at that address…
    expect(await attempt("finance", DEMO_PASSWORD, { clientAddress: guesser, now: start + 10 })).toMatchObject({
      ok: false,
      error: "lockedAccount",
    });
    // …but not the owner at their own desk.
    expect(await attempt("finance", DEMO_PASSWORD, { now: start + 11 })).toMatchObject({ ok: true });
  });

  it("lets the owner in on a browser they have used, however many guesses came from elsewhere", async () => {
    const start = Date.now() + 4 * 24 * HOUR;
    const own = await attempt("coordinator", DEMO_PASSWORD, { now: start });
    if (!own.ok) throw new Error("sign-in failed");
    const device = deviceOf(own);
    // Ten guesses from ten addresses: the account is closed to every browser it has not been used on.
    for (let i = 0; i < 10; i++) await attempt("coordinator", `guess-${i}`, { now: start + 1 + i });
    expect(await attempt("coordinator", DEMO_PASSWORD, { now: start + 30 })).toEqual({ ok: false, error: "lockedAccount", minutes: 60 });
    expect(await attempt("coordinator", DEMO_PASSWORD, { now: start + 31, deviceId: device })).toMatchObject({ ok: true });
    // A device id the account has never used is no key.
    expect(await attempt("coordinator", DEMO_PASSWORD, { now: start + 32, deviceId: "0".repeat(32) })).toMatchObject({
      ok: false,
      error: "lockedAccount",
    });
  });

  it("throttles one address trying many accounts, except on browsers already used there", async () => {
    const ip = nextAddress();
    const start = Date.now() + 6 * 24 * HOUR;
    const known = await attempt("mentor", DEMO_PASSWORD, { clientAddress: ip, now: start });
    if (!known.ok) throw new Error("sign-in failed");
    for (let i = 0; i < 30; i++) await attempt(`guess${i}`, "x", { clientAddress: ip, now: start + 1 + i });
    expect(await attempt("mentor", DEMO_PASSWORD, { clientAddress: ip, now: start + 40 })).toMatchObject({
      ok: false,
      error: "lockedAddress",
    });
    expect(await attempt("mentor", DEMO_PASSWORD, { clientAddress: ip, now: start + 41, deviceId: deviceOf(known) })).toMatchObject({
      ok: true,
    });
    expect(await attempt("mentor", DEMO_PASSWORD, { now: start + 42 })).toMatchObject({ ok: true });
  });

  it("cannot beat the lock by sending many guesses at once", async () => {
    const start = Date.now() + 8 * 24 * HOUR;
    const ip = nextAddress();
    // Eleven wrong guesses and then the right password, all in flight together from one address.
    const guesses = [...Array.from({ length: 11 }, (_, i) => `guess-${i}`), DEMO_PASSWORD];
    const results = await Promise.all(
      guesses.map((password, i) => attempt("reviewer.hr", password, { clientAddress: ip, now: start + i })),
    );
    expect(results.filter((r) => !r.ok && r.error === "invalid").length).toBeLessThanOrEqual(3);
    expect(results.some((r) => r.ok)).toBe(false);
    expect(results.at(-1)).toMatchObject({ ok: false, error: "lockedAccount" });
  });

  it("counts failures by username and by mobile number of one person together", async () => {
    const start = Date.now() + 10 * 24 * HOUR;
    const ip = nextAddress();
    expect(await attempt("trainee", "nope", { clientAddress: ip, now: start })).toEqual({ ok: false, error: "invalid" });
    expect(await attempt("+86 13800000001", "nope", { clientAddress: ip, now: start + 1 })).toEqual({ ok: false, error: "invalid" });
    expect(await attempt("Trainee", "nope", { clientAddress: ip, now: start + 2 })).toEqual({
      ok: false,
      error: "lockedAccount",
      minutes: 1,
    });
  });

  it("closes an account to new browsers for a day after twenty guesses from anywhere, until a reset lifts it", async () => {
    const start = Date.now() + 12 * 24 * HOUR;
    // Seven minutes apart, never ten within an hour, from twenty places.
    for (let i = 0; i < 20; i++)
      expect(await attempt("registrar.fy", "guess", { now: start + i * 7 * 60_000 }), `guess ${i}`).toMatchObject({ ok: false });
    expect(await attempt("registrar.fy", DEMO_PASSWORD, { now: start + 3 * HOUR })).toMatchObject({
      ok: false,
      error: "lockedAccountLong",
    });
    await resetPassword(userId("admin"), userId("registrar.fy"), "after-the-lock-1");
    expect(await attempt("registrar.fy", "after-the-lock-1", { now: start + 3 * HOUR + 1 })).toMatchObject({ ok: true });
  });

  it("writes every sign-in, failure and sign-out to the audit log, with the address", async () => {
    const ip = nextAddress();
    await attempt("reviewer.fy", "wrong", { clientAddress: ip });
    const ok = await attempt("reviewer.fy", DEMO_PASSWORD, { clientAddress: ip });
    if (!ok.ok) throw new Error("sign-in failed");
    const latest = (action: string) =>
      db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, action), eq(auditLog.entityId, userId("reviewer.fy"))))
        .orderBy(desc(auditLog.id))
        .get()!;
    expect(JSON.parse(latest("auth.sign-in-failed").details)).toMatchObject({ address: ip, reason: "wrong" });
    expect(JSON.parse(latest("auth.sign-in").details)).toMatchObject({ address: ip, device: "new-browser" });
    const check = await checkSession(cookieValue(sessionCookie(ok)), http);
    const context = { ...contextFor("reviewer.fy"), sessionId: check.sessionId };
    await logout({ request: new Request("http://localhost/logout", { method: "POST" }), context, params: {} }).catch((e: unknown) => e);
    expect(latest("auth.sign-out").actorUserId).toBe(userId("reviewer.fy"));
    expect((await checkSession(cookieValue(sessionCookie(ok)), http)).userId).toBeNull();
  });
});

describe("sessions", () => {
  it("slide forward when used and end after 12 idle hours", async () => {
    const t0 = new Date("2026-11-23T08:00:00Z");
    vi.useFakeTimers({ now: t0, toFake: ["Date"] });
    const result = await attempt("coordinator", DEMO_PASSWORD, { deviceId: null, now: t0.getTime() });
    if (!result.ok) throw new Error("sign-in failed");
    const cookie = cookieValue(sessionCookie(result));

    vi.setSystemTime(new Date(t0.getTime() + 7 * HOUR));
    const used = await checkSession(cookie, http);
    expect(used.userId).toBe(userId("coordinator"));
    expect(used.setCookies).toHaveLength(1); // refreshed: past half its life

    vi.setSystemTime(new Date(t0.getTime() + 18 * HOUR)); // 11 h after the refresh: still alive
    expect((await checkSession(cookie, http)).userId).toBe(userId("coordinator"));

    vi.setSystemTime(new Date(t0.getTime() + 40 * HOUR)); // long idle
    const expired = await checkSession(cookie, http);
    expect(expired.userId).toBeNull();
    expect(expired.setCookies[0]).toMatch(/Max-Age=0/i);
  });

  it("end seven days after sign-in however busy they are", async () => {
    const t0 = Date.parse("2026-11-23T08:00:00Z");
    vi.useFakeTimers({ now: t0, toFake: ["Date"] });
    const result = await attempt("coordinator", DEMO_PASSWORD, { now: t0 });
    if (!result.ok) throw new Error("sign-in failed");
    const cookie = cookieValue(sessionCookie(result));
    for (let h = 6; h < 7 * 24; h += 6) {
      vi.setSystemTime(new Date(t0 + h * HOUR));
      expect((await checkSession(cookie, http, t0 + h * HOUR)).userId, `after ${h} h`).toBe(userId("coordinator"));
    }
    vi.setSystemTime(new Date(t0 + 7 * 24 * HOUR + 60_000));
    expect((await checkSession(cookie, http, t0 + 7 * 24 * HOUR + 60_000)).userId).toBeNull();
  });

  it("signing in again ends the session the browser had", async () => {
    const first = await attempt("instructor", DEMO_PASSWORD);
    if (!first.ok) throw new Error("sign-in failed");
    const old = await checkSession(cookieValue(sessionCookie(first)), http);
    const again = await attempt("registrar", DEMO_PASSWORD, { previousSessionId: old.sessionId });
    if (!again.ok) throw new Error("sign-in failed");
    expect(again.cookies.some((c) => /^session=;/.test(c) || /Max-Age=0/i.test(c))).toBe(true);
    expect((await checkSession(cookieValue(sessionCookie(first)), http)).userId).toBeNull();
  });

  it("end at once when the account is deactivated", async () => {
    const result = await attempt("instructor", DEMO_PASSWORD);
    if (!result.ok) throw new Error("sign-in failed");
    await setActive(userId("admin"), userId("instructor"), false);
    expect((await checkSession(cookieValue(sessionCookie(result)), http)).userId).toBeNull();
    expect(
      db()
        .select({ n: count() })
        .from(sessions)
        .where(eq(sessions.userId, userId("instructor")))
        .get()!.n,
    ).toBe(0);
    await setActive(userId("admin"), userId("instructor"), true);
    expect(await attempt("instructor", DEMO_PASSWORD)).toMatchObject({ ok: true });
  });

  it("a changed password ends the other sessions and keeps this one; the current password cannot be guessed at speed", async () => {
    const a = await attempt("reviewer", DEMO_PASSWORD);
    const b = await attempt("reviewer", DEMO_PASSWORD);
    if (!a.ok || !b.ok) throw new Error("sign-in failed");
    const here = await checkSession(cookieValue(sessionCookie(a)), http);
    const now = Date.now();
    expect(await changeOwnPassword(userId("reviewer"), here.sessionId!, "wrong", "new-password-1", now)).toEqual({
      ok: false,
      errors: { currentPassword: "error.passwordWrong" },
    });
    expect(await changeOwnPassword(userId("reviewer"), here.sessionId!, DEMO_PASSWORD, "new-password-1", now + 1)).toEqual({
      ok: true,
      value: true,
    });
    expect((await checkSession(cookieValue(sessionCookie(a)), http)).userId).toBe(userId("reviewer"));
    expect((await checkSession(cookieValue(sessionCookie(b)), http)).userId).toBeNull();
    expect(await attempt("reviewer", "new-password-1")).toMatchObject({ ok: true });
    for (let i = 0; i < 3; i++)
      expect(await changeOwnPassword(userId("reviewer"), here.sessionId!, `guess-${i}`, "x-password-2", now + 10 + i)).toEqual({
        ok: false,
        errors: { currentPassword: "error.passwordWrong" },
      });
    expect(await changeOwnPassword(userId("reviewer"), here.sessionId!, "guess-3", "x-password-2", now + 20)).toEqual({
      ok: false,
      errors: { currentPassword: "account.checkLocked" },
    });
    expect(await changeOwnPassword(userId("reviewer"), here.sessionId!, "new-password-1", "x-password-2", now + 21)).toEqual({
      ok: false,
      errors: { currentPassword: "account.checkLocked" },
    });
  });

  it("an admin's password reset ends the user's sessions, stores only a hash and makes them choose their own", async () => {
    const s = await attempt("mentor", DEMO_PASSWORD);
    if (!s.ok) throw new Error("sign-in failed");
    await resetPassword(userId("admin"), userId("mentor"), "reset-password-9");
    expect((await checkSession(cookieValue(sessionCookie(s)), http)).userId).toBeNull();
    const stored = db()
      .select()
      .from(users)
      .where(eq(users.id, userId("mentor")))
      .get()!;
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.mustChangePassword).toBe(true);
    expect(await attempt("mentor", "reset-password-9")).toMatchObject({ ok: true });
  });
});
