/** Calendar arithmetic on ISO dates (YYYY-MM-DD), in UTC so that no time zone shifts a day. */

const DAY_MS = 86_400_000;

export function toDay(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
}

export function fromDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(iso: string, n: number): string {
  return fromDay(toDay(iso) + n);
}

/** Monday to Friday. Hospital rotations are scheduled on working days. */
export function isWorkingDay(iso: string): boolean {
  const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

export function nextWorkingDay(iso: string): string {
  let d = iso;
  while (!isWorkingDay(d)) d = addDays(d, 1);
  return d;
}

/** The date on which a block of `n` working days starting on `start` (a working day) ends. */
export function endAfterWorkingDays(start: string, n: number): string {
  let d = start;
  let counted = isWorkingDay(d) ? 1 : 0;
  while (counted < n) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) counted++;
  }
  return d;
}

export function workingDaysIn(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) days.push(d);
  return days;
}

/** Monday of the week holding `iso`. */
export function weekStart(iso: string): string {
  const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return addDays(iso, -((weekday + 6) % 7));
}

export function rangesOverlap(a: { start: string; end: string }, b: { start: string; end: string }): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Whether `s` is a real calendar date written YYYY-MM-DD (not 2026-02-30). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const time = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === s;
}

/** The calendar date in China (UTC+8, no daylight saving) of a UTC timestamp. */
export function shanghaiDate(isoTimestamp: string): string {
  return new Date(Date.parse(isoTimestamp) + 8 * 3600_000).toISOString().slice(0, 10);
}

/** A UTC timestamp as date and minute in China: 2026-11-23T16:05:00Z → 2026-11-24 00:05 */
export function shanghaiDateTime(isoTimestamp: string): string {
  return new Date(Date.parse(isoTimestamp) + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
}

/** 2026-11-23 → 2026年11月23日 */
export function chineseDate(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}
