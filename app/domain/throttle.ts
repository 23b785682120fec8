/**
 * Sign-in throttling. A rule locks once `maxFailures` failures fall within `windowMs` of each other,
 * until `lockMs` after the failure that reached the threshold. A policy is a list of rules from the
 * mildest to the severest; when several lock, the one that ends last is in force.
 */
export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export type ThrottlePolicy = readonly ThrottleRule[];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Guesses at one account from one address (or from a browser the account has not signed in on):
 * the delay grows with each threshold. Locking here stops that guesser, not the owner elsewhere.
 */
export const PAIR_POLICY: ThrottlePolicy = [
  { maxFailures: 3, windowMs: 15 * MINUTE, lockMs: MINUTE },
  { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
  { maxFailures: 10, windowMs: 24 * HOUR, lockMs: 24 * HOUR },
];
/**
 * Guesses at one account from anywhere but the owner's own browsers: the cap on guessing from many
 * addresses. An activation code is about 39 bits and a password at least eight characters, so
 * twenty guesses a day get nowhere; the owner on a browser they have signed in on is not held up.
 */
export const ACCOUNT_POLICY: ThrottlePolicy = [
  { maxFailures: 10, windowMs: HOUR, lockMs: HOUR },
  { maxFailures: 20, windowMs: 24 * HOUR, lockMs: 24 * HOUR },
];
/** The owner's own browser: typos happen, so it waits a little, growing, and is never locked for a day by others. */
export const DEVICE_POLICY: ThrottlePolicy = [
  { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 5 * MINUTE },
  { maxFailures: 10, windowMs: HOUR, lockMs: HOUR },
];
// One address may serve a whole nursing home behind NAT, so it gets more room than one account, and
// it applies only to browsers that have not signed in here before.
export const ADDRESS_POLICY: ThrottlePolicy = [{ maxFailures: 30, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE }];

/**
 * Checks of a certificate's holder on its public page (name and last four of the ID number), per
 * certificate: five in a quarter of an hour and twenty in a day, so the four digits cannot be found
 * by trying, while an employer who mistypes can try again.
 */
export const HOLDER_CHECK_POLICY: ThrottlePolicy = [
  { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
  { maxFailures: 20, windowMs: 24 * HOUR, lockMs: 24 * HOUR },
];

/** `escalated`: a rule beyond the first is in force, so the lock is a long one. */
export type ThrottleState = { locked: false } | { locked: true; retryAt: number; escalated: boolean };

/** How far back failures can still matter: a threshold reached one window ago still locks for the lock's length. */
export function historyMs(policy: ThrottlePolicy): number {
  return Math.max(...policy.map((r) => r.windowMs + r.lockMs));
}

export function throttleState(failureTimes: number[], now: number, policy: ThrottlePolicy): ThrottleState {
  const times = failureTimes.filter((t) => t <= now).sort((a, b) => a - b);
  let state: ThrottleState = { locked: false };
  policy.forEach((rule, level) => {
    for (let i = rule.maxFailures - 1; i < times.length; i++) {
      if (times[i] - times[i - rule.maxFailures + 1] >= rule.windowMs) continue;
      const retryAt = times[i] + rule.lockMs;
      if (retryAt > now && (!state.locked || retryAt > state.retryAt)) state = { locked: true, retryAt, escalated: level > 0 };
    }
  });
  return state;
}

/** Whole minutes to wait, never 0, for a message a person can act on. */
export function minutesUntil(retryAt: number, now: number): number {
  return Math.max(1, Math.ceil((retryAt - now) / MINUTE));
}

/** Whole hours to wait, never 0, for the long lock's message. */
export function hoursUntil(retryAt: number, now: number): number {
  return Math.max(1, Math.ceil((retryAt - now) / HOUR));
}
