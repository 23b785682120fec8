import { shanghaiDate } from "../domain/dates";

/**
 * The one clock the services read. Tests set it to a day of their choosing instead of depending on
 * the date they happen to run; production never sets it.
 */
let fixedAt: number | null = null;

export function now(): Date {
  return fixedAt === null ? new Date() : new Date(fixedAt);
}

/** Today's date in China (Asia/Shanghai), the day every rule in the app counts in. */
export function today(): string {
  return shanghaiDate(now().toISOString());
}

/** Fixes the clock at a moment (an ISO timestamp or date), or gives it back to the wall clock with null. */
export function setClock(at: string | Date | null): void {
  fixedAt = at === null ? null : new Date(typeof at === "string" && /^\d{4}-\d{2}-\d{2}$/.test(at) ? `${at}T12:00:00+08:00` : at).getTime();
}
