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

/**
 * Which days are worked: Monday to Friday, except the official holidays (放假), plus the weekend
 * days worked instead (调休上班). `years` says which years' arrangements are entered and whether
 * each is the State Council's published one.
 */
export interface WorkCalendar {
  holidays: ReadonlyMap<string, string>;
  workdays: ReadonlyMap<string, string>;
  years: ReadonlyMap<number, { published: boolean }>;
}

/** No holidays known: Monday to Friday. */
export const WEEKDAYS_ONLY: WorkCalendar = { holidays: new Map(), workdays: new Map(), years: new Map() };

/** Hospital rotations are scheduled on working days. */
export function isWorkingDay(iso: string, cal: WorkCalendar = WEEKDAYS_ONLY): boolean {
  if (cal.workdays.has(iso)) return true;
  if (cal.holidays.has(iso)) return false;
  const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

export function nextWorkingDay(iso: string, cal: WorkCalendar = WEEKDAYS_ONLY): string {
  let d = iso;
  while (!isWorkingDay(d, cal)) d = addDays(d, 1);
  return d;
}

/** The date on which a block of `n` working days starting on `start` (a working day) ends. */
export function endAfterWorkingDays(start: string, n: number, cal: WorkCalendar = WEEKDAYS_ONLY): string {
  let d = start;
  let counted = isWorkingDay(d, cal) ? 1 : 0;
  while (counted < n) {
    d = addDays(d, 1);
    if (isWorkingDay(d, cal)) counted++;
  }
  return d;
}

export function workingDaysIn(from: string, to: string, cal: WorkCalendar = WEEKDAYS_ONLY): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (isWorkingDay(d, cal)) days.push(d);
  return days;
}

/** The holidays falling on weekdays between two dates, each as its name and first and last such day. */
export function holidaysIn(from: string, to: string, cal: WorkCalendar): { name: string; from: string; to: string }[] {
  const found: { name: string; from: string; to: string }[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const name = cal.holidays.get(d);
    if (!name) continue;
    const last = found.at(-1);
    if (last && last.name === name && last.to >= addDays(d, -3)) last.to = d;
    else found.push({ name, from: d, to: d });
  }
  return found;
}

/** The years a range touches whose arrangement is not the published one (or not entered at all). */
export function unpublishedYears(from: string, to: string, cal: WorkCalendar): number[] {
  const years: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) if (!cal.years.get(y)?.published) years.push(y);
  return years;
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
