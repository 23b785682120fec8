/**
 * Sign-in throttling: after `maxFailures` failures within `windowMs`, further attempts are refused
 * until `lockMs` after the latest failure.
 */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
// One address may serve a whole nursing home behind NAT, so it gets more room than one account.
export const ADDRESS_POLICY: ThrottlePolicy = { maxFailures: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export type ThrottleState = { locked: false } | { locked: true; retryAt: number };

export function throttleState(failureTimes: number[], now: number, policy: ThrottlePolicy): ThrottleState {
  const recent = failureTimes.filter((t) => t > now - policy.windowMs && t <= now);
  if (recent.length < policy.maxFailures) return { locked: false };
  const retryAt = Math.max(...recent) + policy.lockMs;
  return retryAt > now ? { locked: true, retryAt } : { locked: false };
}

/** Whole minutes to wait, never 0, for a message a person can act on. */
export function minutesUntil(retryAt: number, now: number): number {
  return Math.max(1, Math.ceil((retryAt - now) / 60_000));
}
