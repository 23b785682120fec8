import { describe, expect, it } from "vitest";
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  DEVICE_POLICY,
  HOLDER_CHECK_POLICY,
  PAIR_POLICY,
  historyMs,
  hoursUntil,
  minutesUntil,
  throttleState,
  type ThrottlePolicy,
} from "../../app/domain/throttle";

const MIN = 60_000;
const HOUR = 60 * MIN;
const now = 1_000_000_000_000;
// The mechanism, on a plain two-step policy: five failures lock 15 minutes, ten in a day lock a day.
const TWO_STEP: ThrottlePolicy = [
  { maxFailures: 5, windowMs: 15 * MIN, lockMs: 15 * MIN },
  { maxFailures: 10, windowMs: 24 * HOUR, lockMs: 24 * HOUR },
];

describe("throttleState", () => {
  it("lets four failures through", () => {
    const failures = [1, 2, 3, 4].map((i) => now - i * MIN);
    expect(throttleState(failures, now, TWO_STEP)).toEqual({ locked: false });
  });

  it("locks for 15 minutes after the fifth failure", () => {
    const failures = [0, 1, 2, 3, 4].map((i) => now - i * MIN);
    expect(throttleState(failures, now, TWO_STEP)).toEqual({ locked: true, retryAt: now + 15 * MIN, escalated: false });
    expect(minutesUntil(now + 15 * MIN, now)).toBe(15);
  });

  it("unlocks once 15 minutes have passed since the last failure", () => {
    const failures = [0, 1, 2, 3, 4].map((i) => now - i * MIN);
    expect(throttleState(failures, now + 15 * MIN, TWO_STEP)).toEqual({ locked: false });
  });

  it("keeps the full 15 minutes even when the first of the five failures leaves the window", () => {
    const failures = [0, 4, 8, 12, 14].map((i) => now - 14 * MIN + i * MIN);
    expect(throttleState(failures, now + 2 * MIN, TWO_STEP)).toEqual({ locked: true, retryAt: now + 15 * MIN, escalated: false });
  });

  it("forgets failures older than the window", () => {
    const failures = [0, 1, 2, 3].map((i) => now - i * MIN).concat(now - 20 * MIN);
    expect(throttleState(failures, now, TWO_STEP)).toEqual({ locked: false });
  });

  it("never asks to wait zero minutes", () => {
    expect(minutesUntil(now + 1_000, now)).toBe(1);
    expect(hoursUntil(now + 1_000, now)).toBe(1);
  });
});

describe("escalation for an account", () => {
  // Someone guessing waits out each 15-minute lock and tries five more.
  const twoRounds = [0, 1, 2, 3, 4, 20, 21, 22, 23, 24].map((i) => now - 24 * MIN + i * MIN);

  it("locks for 24 hours after ten failures within a day", () => {
    expect(throttleState(twoRounds, now, TWO_STEP)).toEqual({ locked: true, retryAt: now + 24 * HOUR, escalated: true });
    expect(hoursUntil(now + 24 * HOUR, now)).toBe(24);
  });

  it("stays locked after the short lock would have ended, and unlocks after 24 hours", () => {
    expect(throttleState(twoRounds, now + 16 * MIN, TWO_STEP)).toMatchObject({ locked: true, escalated: true });
    expect(throttleState(twoRounds, now + 23 * HOUR, TWO_STEP)).toMatchObject({ locked: true, escalated: true });
    expect(throttleState(twoRounds, now + 24 * HOUR, TWO_STEP)).toEqual({ locked: false });
  });

  it("counts failures spread over most of a day", () => {
    const spread = Array.from({ length: 10 }, (_, i) => now - 23 * HOUR + i * 2.5 * HOUR);
    expect(throttleState(spread, now, TWO_STEP)).toMatchObject({ locked: true, escalated: true });
    // Still locked once the first of the ten is more than a day old.
    expect(throttleState(spread, now + 12 * HOUR, TWO_STEP)).toMatchObject({ locked: true, escalated: true });
  });

  it("does not escalate ten failures spread over more than a day", () => {
    const slow = Array.from({ length: 10 }, (_, i) => now - 27 * HOUR + i * 3 * HOUR);
    expect(throttleState(slow, now + HOUR, TWO_STEP)).toEqual({ locked: false });
  });

  it("allows only about ten guesses a day against one account", () => {
    let t = now;
    const failures: number[] = [];
    while (t < now + 7 * 24 * HOUR) {
      const state = throttleState(failures, t, TWO_STEP);
      if (state.locked) t = state.retryAt;
      else failures.push(t++);
    }
    expect(failures.length).toBeLessThanOrEqual(7 * 10);
  });

  it("never escalates the address policy, and keeps failures as long as a lock can last", () => {
    const many = Array.from({ length: 60 }, (_, i) => now - 60 * 1000 + i * 1000);
    expect(throttleState(many, now, ADDRESS_POLICY)).toMatchObject({ locked: true, escalated: false });
    expect(historyMs(TWO_STEP)).toBe(48 * HOUR);
  });
});

describe("the sign-in policies", () => {
  const guesses = (policy: ThrottlePolicy, days: number) => {
    let t = now;
    const failures: number[] = [];
    while (t < now + days * 24 * HOUR) {
      const state = throttleState(failures, t, policy);
      if (state.locked) t = state.retryAt;
      else failures.push(t++);
    }
    return failures.length;
  };

  it("one guesser at one account waits longer at each step: a minute, a quarter of an hour, a day", () => {
    const at = (n: number) => Array.from({ length: n }, (_, i) => now - n + i);
    expect(throttleState(at(2), now, PAIR_POLICY)).toEqual({ locked: false });
    expect(throttleState(at(3), now, PAIR_POLICY)).toMatchObject({ locked: true, retryAt: now - 1 + MIN });
    expect(throttleState(at(5), now, PAIR_POLICY)).toMatchObject({ locked: true, retryAt: now - 1 + 15 * MIN });
    expect(throttleState(at(10), now, PAIR_POLICY)).toMatchObject({ locked: true, escalated: true, retryAt: now - 1 + 24 * HOUR });
    expect(guesses(PAIR_POLICY, 7)).toBeLessThanOrEqual(7 * 10);
  });

  it("guessers at one account from many addresses get about twenty guesses a day between them", () => {
    expect(guesses(ACCOUNT_POLICY, 7)).toBeLessThanOrEqual(7 * 20);
  });

  it("the owner's own browser is never locked for longer than an hour", () => {
    expect(Math.max(...DEVICE_POLICY.map((r) => r.lockMs))).toBeLessThanOrEqual(HOUR);
  });
});

describe("the holder check's policy on the public page", () => {
  const at = (minutesAgo: number[]) => minutesAgo.map((m) => now - m * MIN);

  it("allows five checks of a certificate in a quarter of an hour, then waits until 15 minutes after the fifth", () => {
    expect(throttleState(at([4, 3, 2, 1]), now, HOLDER_CHECK_POLICY)).toEqual({ locked: false });
    expect(throttleState(at([4, 3, 2, 1, 0]), now, HOLDER_CHECK_POLICY)).toEqual({
      locked: true,
      retryAt: now + 15 * MIN,
      escalated: false,
    });
    expect(throttleState(at([4, 3, 2, 1, 0]), now + 15 * MIN, HOLDER_CHECK_POLICY)).toEqual({ locked: false });
  });

  it("allows at most twenty in a day, however they are spread", () => {
    // Four every hour and a half: never five in 15 minutes, but twenty within the day.
    const spread = Array.from({ length: 20 }, (_, i) => now - (19 - i) * 20 * MIN - (i % 4) * MIN - Math.floor(i / 4) * 60 * MIN);
    const state = throttleState(spread, now, HOLDER_CHECK_POLICY);
    expect(state).toMatchObject({ locked: true, escalated: true });
    expect(throttleState(spread.slice(1), now, HOLDER_CHECK_POLICY)).toEqual({ locked: false });
    expect(historyMs(HOLDER_CHECK_POLICY)).toBe(48 * HOUR);
  });
});
