import { NOTIFICATION_KINDS, type NotificationKind, type Role } from "../../db/schema";
import { addDays, toDay } from "./dates";

/** Days before a certificate's expiry on which its holder and base are reminded. */
export const EXPIRY_REMINDER_DAYS = [90, 30, 7] as const;

/** A late sign-off waiting longer than this for the coordinator is brought to the mentor and coordinator. */
export const SIGNOFF_WAIT_DAYS = 3;

/**
 * Which expiry reminder is due for a certificate on a day: the nearest threshold it has reached,
 * or none when it is further off or already expired. A day on which no reminder ran (a server
 * stopped over a holiday) loses nothing: the next run sends the threshold that now applies,
 * and the ones already passed are not sent late.
 */
export function expiryReminderDue(expiryDate: string, today: string): number | null {
  const left = toDay(expiryDate) - toDay(today);
  if (left < 0) return null;
  const reached = EXPIRY_REMINDER_DAYS.filter((d) => left <= d);
  return reached.length ? Math.min(...reached) : null;
}

/** The expiry dates a run on `today` looks at: from today to the furthest threshold. */
export function expiryWindow(today: string): { from: string; to: string } {
  return { from: today, to: addDays(today, Math.max(...EXPIRY_REMINDER_DAYS)) };
}

/** Sign-offs entered on or before this day have waited more than SIGNOFF_WAIT_DAYS by `today`. */
export function signoffWaitingSince(today: string): string {
  return addDays(today, -(SIGNOFF_WAIT_DAYS + 1));
}

/** What each role may be told of; the settings page offers e-mail only for these. */
const KINDS_BY_ROLE: Record<Role, NotificationKind[]> = {
  trainee: ["certificate_issued", "certificate_expiring", "placement_tomorrow"],
  instructor: [],
  registrar: ["certificate_expiring", "assessment_result"],
  mentor: ["placement_tomorrow", "signoff_waiting"],
  rotation_coordinator: ["signoff_waiting"],
  base_finance: ["claim_returned", "claim_approved", "claim_paid"],
  reviewer: [],
  admin: [],
};

export function kindsForRoles(roles: Iterable<Role>): NotificationKind[] {
  const kinds = new Set<NotificationKind>();
  for (const role of roles) for (const kind of KINDS_BY_ROLE[role]) kinds.add(kind);
  return NOTIFICATION_KINDS.filter((k) => kinds.has(k));
}

/** Sending an e-mail is tried this many times, waiting longer after each failure. */
export const EMAIL_MAX_ATTEMPTS = 5;

/** How long after the n-th failed attempt (1-based) the next may be made, in ms: 1, 4, 16, 64 minutes. */
export function emailRetryDelayMs(failedAttempts: number): number {
  return 60_000 * 4 ** Math.max(0, failedAttempts - 1);
}

/** A plausible e-mail address: one @, something on each side, a dot in the domain, no spaces; at most 254 characters. */
export function isEmailAddress(text: string): boolean {
  return text.length <= 254 && /^[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+$/.test(text);
}
