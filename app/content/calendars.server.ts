import * as z from "zod";
import { addDays, isCalendarDate, type WorkCalendar } from "../domain/dates";
import { contentRoot, ContentError } from "./programs.server";
import { readYamlFolder } from "./yaml-folder.server";

const day = z.string().refine(isCalendarDate, "must be a date such as 2026-10-01");
const calendarFile = z.object({
  year: z.number().int().min(2000).max(2100),
  published: z.boolean(),
  source: z.string().min(1),
  holidays: z.array(z.object({ name: z.string().min(1).max(20), from: day, to: day })),
  workdays: z.array(z.object({ date: day, for: z.string().min(1).max(20) })),
});

/** Reads content/calendars/*.yaml into one calendar; a broken file stops the start, naming it. */
export function loadWorkCalendar(root = contentRoot()): WorkCalendar {
  const holidays = new Map<string, string>();
  const workdays = new Map<string, string>();
  const years = new Map<number, { published: boolean }>();
  const problems: string[] = [];
  for (const { rel, file: name, data: raw } of readYamlFolder(root, "calendars", problems)) {
    const parsed = calendarFile.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${rel}: ${issue.path.join(".") || "(file)"}: ${issue.message}`);
      continue;
    }
    const data = parsed.data;
    if (name !== `${data.year}.yaml`) problems.push(`calendars/${name}: year: ${data.year} is not the file's year`);
    const inYear = (d: string) => d.startsWith(`${data.year}-`);
    for (const h of data.holidays) {
      if (!inYear(h.from) || !inYear(h.to) || h.to < h.from)
        problems.push(`calendars/${name}: holidays: ${h.name} ${h.from}–${h.to} is not a range within ${data.year}`);
      else for (let d = h.from; d <= h.to; d = addDays(d, 1)) holidays.set(d, h.name);
    }
    for (const w of data.workdays) {
      const weekday = new Date(`${w.date}T00:00:00Z`).getUTCDay();
      if (!inYear(w.date) || (weekday !== 0 && weekday !== 6))
        problems.push(`calendars/${name}: workdays: ${w.date} is not a Saturday or Sunday of ${data.year}`);
      else if (holidays.has(w.date)) problems.push(`calendars/${name}: workdays: ${w.date} is also a holiday`);
      else workdays.set(w.date, w.for);
    }
    years.set(data.year, { published: data.published });
  }
  if (problems.length) throw new ContentError(problems);
  return { holidays, workdays, years };
}

let cache: WorkCalendar | undefined;

export function workCalendar(): WorkCalendar {
  cache ??= loadWorkCalendar();
  return cache;
}
