import { describe, expect, it } from "vitest";
import { ACCOUNT_POLICY, minutesUntil, throttleState } from "../../app/domain/throttle";

const MIN = 60_000;
const now = 1_000_000_000_000;

describe("throttleState", () => {
  it("lets four failures through", () => {
    const failures = [1, 2, 3, 4].map((i) => now - i * MIN);
    expect(throttleState(failures, now, ACCOUNT_POLICY)).toEqual({ locked: false });
  });

  it("locks for 15 minutes after the fifth failure", () => {
    const failures = [0, 1, 2, 3, 4].map((i) => now - i * MIN);
    expect(throttleState(failures, now, ACCOUNT_POLICY)).toEqual({ locked: true, retryAt: now + 15 * MIN });
    expect(minutesUntil(now + 15 * MIN, now)).toBe(15);
  });

  it("unlocks once 15 minutes have passed since the last failure", () => {
    const failures = [0, 1, 2, 3, 4].map((i) => now - i * MIN);
    expect(throttleState(failures, now + 15 * MIN, ACCOUNT_POLICY)).toEqual({ locked: false });
  });

  it("forgets failures older than the window", () => {
    const failures = [0, 1, 2, 3].map((i) => now - i * MIN).concat(now - 20 * MIN);
    expect(throttleState(failures, now, ACCOUNT_POLICY)).toEqual({ locked: false });
  });

  it("never asks to wait zero minutes", () => {
    expect(minutesUntil(now + 1_000, now)).toBe(1);
  });
});
