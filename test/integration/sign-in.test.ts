import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { count, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { DEMO_PASSWORD } from "../../db/seed/demo";
import { sessions, users } from "../../db/schema";
import { checkSession } from "../../app/auth/lucia.server";
import { signIn } from "../../app/auth/sign-in.server";
import { changeOwnPassword, resetPassword, setActive } from "../../app/services/users.server";
import { userId, withDemoData } from "./fixtures";

beforeAll(withDemoData);
afterEach(() => vi.useRealTimers());

const cookieValue = (setCookie: string) => setCookie.split(";")[0];
let address = 0;
/** Each test signs in from its own address so address throttling does not leak between tests. */
const nextAddress = () => `10.0.0.${++address}`;

describe("password sign-in", () => {
  it("signs in by username and by mobile number and starts a session", async () => {
    const byName = await signIn({ identifier: "registrar", password: DEMO_PASSWORD, clientAddress: nextAddress() });
    expect(byName.ok).toBe(true);
    const byMobile = await signIn({ identifier: "138 0000 0001", password: DEMO_PASSWORD, clientAddress: nextAddress() });
    expect(byMobile).toMatchObject({ ok: true, userId: userId("trainee") });
    if (!byName.ok) return;
    expect(byName.cookie).toMatch(/^session=/);
    expect(byName.cookie).toMatch(/HttpOnly/i);
    expect(byName.cookie).toMatch(/SameSite=Lax/i);
    const check = await checkSession(cookieValue(byName.cookie));
    expect(check.userId).toBe(userId("registrar"));
  });

  it("refuses a wrong password and an unknown account alike", async () => {
    const ip = nextAddress();
    expect(await signIn({ identifier: "registrar", password: "wrong-password", clientAddress: ip })).toEqual({ ok: false, error: "invalid" });
    expect(await signIn({ identifier: "nobody", password: "wrong-password", clientAddress: ip })).toEqual({ ok: false, error: "invalid" });
  });

  it("locks an account for 15 minutes after five failures, even with the right password", async () => {
    const start = Date.now();
    for (let i = 0; i < 4; i++) {
      expect(await signIn({ identifier: "finance", password: "nope", clientAddress: nextAddress(), now: start + i })).toMatchObject({ error: "invalid" });
    }
    expect(await signIn({ identifier: "finance", password: "nope", clientAddress: nextAddress(), now: start + 5 })).toEqual({ ok: false, error: "lockedAccount", minutes: 15 });
    expect(await signIn({ identifier: "FINANCE", password: DEMO_PASSWORD, clientAddress: nextAddress(), now: start + 6 })).toMatchObject({ ok: false, error: "lockedAccount" });
    expect(await signIn({ identifier: "finance", password: DEMO_PASSWORD, clientAddress: nextAddress(), now: start + 15 * 60_000 + 10 })).toMatchObject({ ok: true });
  });

  it("throttles one client address that tries many accounts", async () => {
    const ip = nextAddress();
    const start = Date.now();
    for (let i = 0; i < 30; i++) await signIn({ identifier: `guess${i}`, password: "x", clientAddress: ip, now: start + i });
    expect(await signIn({ identifier: "mentor", password: DEMO_PASSWORD, clientAddress: ip, now: start + 40 })).toMatchObject({ ok: false, error: "lockedAddress" });
    expect(await signIn({ identifier: "mentor", password: DEMO_PASSWORD, clientAddress: nextAddress(), now: start + 40 })).toMatchObject({ ok: true });
  });
});

describe("guessing a password", () => {
  it("cannot beat the lock by sending many guesses at once", async () => {
    const start = Date.parse("2026-11-25T02:00:00Z");
    // Eleven wrong guesses and then the right password, all in flight together.
    const guesses = [...Array.from({ length: 11 }, (_, i) => `guess-${i}`), DEMO_PASSWORD];
    const results = await Promise.all(guesses.map((password, i) => signIn({ identifier: "coordinator", password, clientAddress: nextAddress(), now: start + i })));
    expect(results.filter((r) => !r.ok && r.error === "invalid").length).toBeLessThanOrEqual(5);
    expect(results.some((r) => r.ok)).toBe(false);
    expect(results.at(-1)).toMatchObject({ ok: false, error: "lockedAccount" });
  });

  const HOUR = 3600_000;

  it("counts failures by username and by mobile number of one person together", async () => {
    // A week ahead, so no failure recorded by another test counts.
    const start = Date.now() + 7 * 24 * HOUR;
    for (const [i, identifier] of ["trainee", "138 0000 0001", "Trainee"].entries()) {
      expect(await signIn({ identifier, password: "nope", clientAddress: nextAddress(), now: start + i })).toEqual({ ok: false, error: "invalid" });
    }
    expect(await signIn({ identifier: "+86 13800000001", password: "nope", clientAddress: nextAddress(), now: start + 3 })).toEqual({ ok: false, error: "invalid" });
    expect(await signIn({ identifier: "13800000001", password: "nope", clientAddress: nextAddress(), now: start + 4 })).toEqual({ ok: false, error: "lockedAccount", minutes: 15 });
    expect(await signIn({ identifier: "trainee", password: DEMO_PASSWORD, clientAddress: nextAddress(), now: start + 5 })).toMatchObject({ ok: false, error: "lockedAccount" });
    expect(await signIn({ identifier: "trainee", password: DEMO_PASSWORD, clientAddress: nextAddress(), now: start + 15 * 60_000 + 10 })).toMatchObject({ ok: true });
  });

  it("locks an account for 24 hours after ten failures in a day, until an admin resets the password", async () => {
    const start = Date.now() + 14 * 24 * HOUR;
    const attempt = (password: string, at: number) => signIn({ identifier: "registrar.fy", password, clientAddress: nextAddress(), now: at });
    for (let i = 0; i < 5; i++) await attempt("guess", start + i);
    const afterShortLock = start + 15 * 60_000 + 10;
    for (let i = 0; i < 4; i++) expect(await attempt("guess", afterShortLock + i)).toEqual({ ok: false, error: "invalid" });
    expect(await attempt("guess", afterShortLock + 4)).toEqual({ ok: false, error: "lockedAccountLong", hours: 24 });
    // The right password does not help while the long lock lasts, even after the short one would have ended.
    expect(await attempt(DEMO_PASSWORD, afterShortLock + 4 + HOUR)).toEqual({ ok: false, error: "lockedAccountLong", hours: 23 });
    expect(await attempt(DEMO_PASSWORD, afterShortLock + 23 * HOUR)).toMatchObject({ ok: false, error: "lockedAccountLong" });
    await resetPassword(userId("admin"), userId("registrar.fy"), "after-the-lock-1");
    expect(await attempt("after-the-lock-1", afterShortLock + 23 * HOUR + 1)).toMatchObject({ ok: true });
  });
});

describe("sessions", () => {
  it("slide forward when used and end after 12 idle hours", async () => {
    const t0 = new Date("2026-11-23T08:00:00Z");
    vi.useFakeTimers({ now: t0, toFake: ["Date"] });
    const result = await signIn({ identifier: "coordinator", password: DEMO_PASSWORD, clientAddress: nextAddress() });
    if (!result.ok) throw new Error("sign-in failed");
    const cookie = cookieValue(result.cookie);

    vi.setSystemTime(new Date(t0.getTime() + 7 * 3600_000));
    const used = await checkSession(cookie);
    expect(used.userId).toBe(userId("coordinator"));
    expect(used.setCookies).toHaveLength(1); // refreshed: past half its life

    vi.setSystemTime(new Date(t0.getTime() + 18 * 3600_000)); // 11 h after the refresh: still alive
    expect((await checkSession(cookie)).userId).toBe(userId("coordinator"));

    vi.setSystemTime(new Date(t0.getTime() + 40 * 3600_000)); // long idle
    const expired = await checkSession(cookie);
    expect(expired.userId).toBeNull();
    expect(expired.setCookies[0]).toMatch(/Max-Age=0/i);
  });

  it("end at once when the account is deactivated", async () => {
    const result = await signIn({ identifier: "instructor", password: DEMO_PASSWORD, clientAddress: nextAddress() });
    if (!result.ok) throw new Error("sign-in failed");
    await setActive(userId("admin"), userId("instructor"), false);
    expect((await checkSession(cookieValue(result.cookie))).userId).toBeNull();
    expect(db().select({ n: count() }).from(sessions).where(eq(sessions.userId, userId("instructor"))).get()!.n).toBe(0);
    expect(await signIn({ identifier: "instructor", password: DEMO_PASSWORD, clientAddress: nextAddress() })).toEqual({ ok: false, error: "inactive" });
    await setActive(userId("admin"), userId("instructor"), true);
    expect(await signIn({ identifier: "instructor", password: DEMO_PASSWORD, clientAddress: nextAddress() })).toMatchObject({ ok: true });
  });

  it("a changed password ends the other sessions and keeps this one", async () => {
    const a = await signIn({ identifier: "reviewer", password: DEMO_PASSWORD, clientAddress: nextAddress() });
    const b = await signIn({ identifier: "reviewer", password: DEMO_PASSWORD, clientAddress: nextAddress() });
    if (!a.ok || !b.ok) throw new Error("sign-in failed");
    const here = await checkSession(cookieValue(a.cookie));
    expect(await changeOwnPassword(userId("reviewer"), here.sessionId!, "wrong", "new-password-1")).toEqual({ ok: false, errors: { currentPassword: "error.passwordWrong" } });
    expect(await changeOwnPassword(userId("reviewer"), here.sessionId!, DEMO_PASSWORD, "new-password-1")).toEqual({ ok: true, value: true });
    expect((await checkSession(cookieValue(a.cookie))).userId).toBe(userId("reviewer"));
    expect((await checkSession(cookieValue(b.cookie))).userId).toBeNull();
    expect(await signIn({ identifier: "reviewer", password: "new-password-1", clientAddress: nextAddress() })).toMatchObject({ ok: true });
  });

  it("an admin's password reset ends the user's sessions and stores only a hash", async () => {
    const s = await signIn({ identifier: "mentor", password: DEMO_PASSWORD, clientAddress: nextAddress() });
    if (!s.ok) throw new Error("sign-in failed");
    await resetPassword(userId("admin"), userId("mentor"), "reset-password-9");
    expect((await checkSession(cookieValue(s.cookie))).userId).toBeNull();
    const stored = db().select({ h: users.passwordHash }).from(users).where(eq(users.id, userId("mentor"))).get()!.h;
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(await signIn({ identifier: "mentor", password: "reset-password-9", clientAddress: nextAddress() })).toMatchObject({ ok: true });
  });
});
