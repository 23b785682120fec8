import type { DepartmentKind } from "../../db/schema";
import {
  addDays,
  endAfterWorkingDays,
  isCalendarDate,
  nextWorkingDay,
  rangesOverlap,
  weekStart,
  WEEKDAYS_ONLY,
  workingDaysIn,
  type WorkCalendar,
} from "./dates";

export interface Department {
  id: string;
  name: string;
  kind: DepartmentKind;
  capacity: number;
  mentorIds: string[];
}

/** A placement as far as scheduling is concerned: who, where, from when to when (inclusive). */
export interface Slot {
  /** The person placed. One person's placements never overlap, whichever enrolment each belongs to. */
  personId: string;
  enrolmentId: string;
  departmentId: string;
  start: string;
  end: string;
}

export type PlacementProblem =
  | { kind: "outsideCohort" }
  | { kind: "endBeforeStart" }
  | { kind: "overCapacity"; date: string }
  | { kind: "overlap"; with: Slot };

/** The first day on which a department would hold more trainees than its capacity with `slot` added. */
export function firstDayOverCapacity(slot: Slot, capacity: number, existing: Slot[]): string | null {
  const sameDepartment = existing.filter((s) => s.departmentId === slot.departmentId && rangesOverlap(s, slot));
  for (let d = slot.start; d <= slot.end; d = addDays(d, 1)) {
    const occupied = sameDepartment.filter((s) => s.start <= d && d <= s.end).length;
    if (occupied + 1 > capacity) return d;
  }
  return null;
}

/**
 * Why a placement cannot be made, if it cannot: capacity, the person's other placements (in any of
 * their enrolments), the cohort's dates. An overlap names the earliest placement it clashes with.
 */
export function placementProblems(
  slot: Slot,
  department: Pick<Department, "capacity">,
  existing: Slot[],
  cohort: { startDate: string; endDate: string },
): PlacementProblem[] {
  const problems: PlacementProblem[] = [];
  if (slot.end < slot.start) return [{ kind: "endBeforeStart" }];
  if (slot.start < cohort.startDate || slot.end > cohort.endDate) problems.push({ kind: "outsideCohort" });
  const own = existing
    .filter((s) => s.personId === slot.personId && rangesOverlap(s, slot))
    .sort((a, b) => a.start.localeCompare(b.start))[0];
  if (own) problems.push({ kind: "overlap", with: own });
  const full = firstDayOverCapacity(slot, department.capacity, existing);
  if (full) problems.push({ kind: "overCapacity", date: full });
  return problems;
}

/**
 * The first day, from `from` on, on which a department's placements exceed `capacity`, and how
 * many are booked that day. The count only rises on a placement's first day, so those are the days to look at.
 */
export function firstDayOverbooked(
  placements: Pick<Slot, "start" | "end">[],
  capacity: number,
  from: string,
): { date: string; booked: number } | null {
  const current = placements.filter((p) => p.end >= from);
  const days = [...new Set([from, ...current.map((p) => p.start).filter((d) => d > from)])].sort();
  for (const date of days) {
    const booked = current.filter((p) => p.start <= date && date <= p.end).length;
    if (booked > capacity) return { date, booked };
  }
  return null;
}

export interface DepartmentSettings {
  kind: DepartmentKind;
  capacity: number;
  active: boolean;
}

export type DepartmentChangeProblem =
  | { kind: "capacityBelowBookings"; date: string; booked: number }
  | { kind: "kindInUse" }
  | { kind: "closedWithPlacements"; placements: number; lastDay: string };

/**
 * Why a department edit would break what is already booked: fewer places than are taken on some day
 * from today on; another kind once anyone was placed there (completion counts placements by the
 * department's kind); closing it while placements are running or still to come.
 */
export function departmentChangeProblems(
  before: DepartmentSettings,
  after: DepartmentSettings,
  placements: Pick<Slot, "start" | "end">[],
  today: string,
): DepartmentChangeProblem[] {
  const problems: DepartmentChangeProblem[] = [];
  if (after.kind !== before.kind && placements.length > 0) problems.push({ kind: "kindInUse" });
  if (after.capacity < before.capacity) {
    const over = firstDayOverbooked(placements, after.capacity, today);
    if (over) problems.push({ kind: "capacityBelowBookings", ...over });
  }
  const running = placements.filter((p) => p.end >= today);
  if (before.active && !after.active && running.length > 0) {
    problems.push({
      kind: "closedWithPlacements",
      placements: running.length,
      lastDay: running
        .map((p) => p.end)
        .sort()
        .at(-1)!,
    });
  }
  return problems;
}

export interface Requirement {
  departmentKind: DepartmentKind;
  days: number;
}

export interface PlannedPlacement extends Slot {
  mentorId: string;
  requiredDays: number;
}

export type UnplacedReason = "noDepartment" | "noMentor" | "noRoom";

export interface AutoPlacement {
  placements: PlannedPlacement[];
  unplaced: { enrolmentId: string; departmentKind: DepartmentKind; days: number; reason: UnplacedReason }[];
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/**
 * Places every trainee of a cohort for each rotation their programme requires, inside the cohort's
 * dates: each rotation is a block of working days in one department of the right kind, at the
 * earliest start where the department has room and the trainee is free. For each trainee the
 * rotations are tried in every order and the order that places the most (then finishes earliest)
 * wins. Mentors are shared out by least load. Requirements a trainee already has a placement for
 * are skipped. A trainee is never placed on days they spend elsewhere, including placements made
 * for another of their enrolments (`existing` holds every placement in force).
 */
export function placeCohort(input: {
  departments: Department[];
  trainees: { enrolmentId: string; personId: string; alreadyPlacedKinds: DepartmentKind[] }[];
  requirements: Requirement[];
  window: { startDate: string; endDate: string };
  /** No placement starts before this day (today, when placing for real). */
  earliestStart?: string;
  existing: Slot[];
  mentorLoad?: Record<string, number>;
  /** Holidays and 调休: blocks start and count on working days only. */
  calendar?: WorkCalendar;
}): AutoPlacement {
  const cal = input.calendar ?? WEEKDAYS_ONLY;
  const booked: Slot[] = [...input.existing];
  const load: Record<string, number> = { ...(input.mentorLoad ?? {}) };
  const placements: PlannedPlacement[] = [];
  const unplaced: AutoPlacement["unplaced"] = [];
  const from = input.earliestStart && input.earliestStart > input.window.startDate ? input.earliestStart : input.window.startDate;
  const starts = workingDaysIn(nextWorkingDay(from, cal), input.window.endDate, cal);

  const tryPlace = (
    trainee: { enrolmentId: string; personId: string },
    req: Requirement,
    taken: Slot[],
    mentorLoad: Record<string, number>,
  ): PlannedPlacement | null => {
    const candidates = input.departments.filter((d) => d.kind === req.departmentKind && d.capacity > 0 && d.mentorIds.length > 0);
    for (const start of starts) {
      const end = endAfterWorkingDays(start, req.days, cal);
      if (end > input.window.endDate) return null;
      for (const dept of candidates) {
        const slot = { personId: trainee.personId, enrolmentId: trainee.enrolmentId, departmentId: dept.id, start, end };
        if (placementProblems(slot, dept, taken, input.window).length > 0) continue;
        const mentorId = [...dept.mentorIds].sort((a, b) => (mentorLoad[a] ?? 0) - (mentorLoad[b] ?? 0) || a.localeCompare(b))[0];
        return { ...slot, mentorId, requiredDays: req.days };
      }
    }
    return null;
  };

  for (const trainee of input.trainees) {
    const todo: Requirement[] = [];
    for (const req of input.requirements) {
      if (trainee.alreadyPlacedKinds.includes(req.departmentKind)) continue;
      const ofKind = input.departments.filter((d) => d.kind === req.departmentKind && d.capacity > 0);
      const reason: UnplacedReason | null =
        ofKind.length === 0 ? "noDepartment" : ofKind.every((d) => d.mentorIds.length === 0) ? "noMentor" : null;
      if (reason) unplaced.push({ enrolmentId: trainee.enrolmentId, departmentKind: req.departmentKind, days: req.days, reason });
      else todo.push(req);
    }

    let best: { placed: PlannedPlacement[]; missed: Requirement[]; finish: string } | null = null;
    for (const order of permutations(todo)) {
      const taken = [...booked];
      const mentorLoad = { ...load };
      const placed: PlannedPlacement[] = [];
      const missed: Requirement[] = [];
      for (const req of order) {
        const p = tryPlace(trainee, req, taken, mentorLoad);
        if (!p) missed.push(req);
        else {
          placed.push(p);
          taken.push(p);
          mentorLoad[p.mentorId] = (mentorLoad[p.mentorId] ?? 0) + 1;
        }
      }
      const finish = placed.reduce((m, p) => (p.end > m ? p.end : m), "");
      if (!best || placed.length > best.placed.length || (placed.length === best.placed.length && finish < best.finish))
        best = { placed, missed, finish };
    }

    for (const p of best?.placed ?? []) {
      placements.push(p);
      booked.push(p);
      load[p.mentorId] = (load[p.mentorId] ?? 0) + 1;
    }
    // Report misses in the programme's order, whatever order was tried.
    for (const req of input.requirements.filter((r) => best?.missed.includes(r))) {
      unplaced.push({ enrolmentId: trainee.enrolmentId, departmentKind: req.departmentKind, days: req.days, reason: "noRoom" });
    }
  }
  return { placements, unplaced };
}

/** What a mentor scores, 1–5 each, in the end-of-placement evaluation. */
export const EVALUATION_CRITERIA = ["attitude", "skills", "communication", "safety"] as const;

/** Mentors sign during the placement and for this many days after it ends; later needs approval. */
export const SIGN_OFF_GRACE_DAYS = 7;

export type SignOffTiming = "notStarted" | "onTime" | "late";

export function signOffTiming(placement: { start: string; end: string }, today: string): SignOffTiming {
  if (today < placement.start) return "notStarted";
  return today <= addDays(placement.end, SIGN_OFF_GRACE_DAYS) ? "onTime" : "late";
}

export interface PlacementRecord {
  requiredDays: number;
  attendedDays: number;
  evaluationPassed: boolean;
}

export function isPlacementComplete(p: PlacementRecord): boolean {
  return p.attendedDays >= p.requiredDays && p.evaluationPassed;
}

/** Attended days and the evaluation's verdict from a placement's sign-offs, counting approved entries only. */
export function placementRecord(
  requiredDays: number,
  signoffs: { id: number; kind: string; status: string; passed: boolean | null }[],
): PlacementRecord & { complete: boolean } {
  const approved = signoffs.filter((s) => s.status === "approved");
  const latestEvaluation = approved
    .filter((s) => s.kind === "evaluation")
    .sort((a, b) => a.id - b.id)
    .at(-1);
  const record = {
    requiredDays,
    attendedDays: approved.filter((s) => s.kind === "day").length,
    evaluationPassed: latestEvaluation?.passed === true,
  };
  return { ...record, complete: isPlacementComplete(record) };
}

/** The board shows this many weeks unless asked otherwise, and never more than `BOARD_MAX_WEEKS`. */
export const BOARD_WEEKS = 8;
export const BOARD_MAX_WEEKS = 26;

/**
 * The weeks the board shows, from its query: the week holding `from` (this week when `from` is
 * missing or not a real date, which `invalidFrom` reports) and a whole number of weeks, 1 to 26.
 */
export function boardWindow(
  fromParam: string | null,
  weeksParam: string | null,
  today: string,
): { from: string; to: string; weekCount: number; invalidFrom: boolean } {
  const given = fromParam?.trim() ?? "";
  const invalidFrom = given !== "" && !isCalendarDate(given);
  const from = weekStart(given && !invalidFrom ? given : today);
  const weeks = /^\s*\d+\s*$/.test(weeksParam ?? "") ? Number(weeksParam) : BOARD_WEEKS;
  const weekCount = Math.min(BOARD_MAX_WEEKS, Math.max(1, weeks));
  return { from, to: addDays(from, weekCount * 7 - 1), weekCount, invalidFrom };
}

export interface BoardCell {
  weekStart: string;
  occupants: string[];
  free: number;
}

/** Departments × weeks: who is in each department during each week, and how many places are left. */
export function rotationBoard(
  departments: Pick<Department, "id" | "capacity">[],
  placements: (Pick<Slot, "departmentId" | "start" | "end"> & { label: string })[],
  from: string,
  to: string,
  cal: WorkCalendar = WEEKDAYS_ONLY,
): { weeks: string[]; rows: Record<string, BoardCell[]> } {
  const weeks: string[] = [];
  for (let w = weekStart(from); w <= to; w = addDays(w, 7)) weeks.push(w);
  const rows: Record<string, BoardCell[]> = {};
  // Each department's placements once, so a busy hospital's board costs its placements, not departments × weeks × placements.
  const byDepartment = new Map<string, typeof placements>();
  for (const p of placements) {
    const list = byDepartment.get(p.departmentId);
    if (list) list.push(p);
    else byDepartment.set(p.departmentId, [p]);
  }
  for (const dept of departments) {
    const inDepartment = byDepartment.get(dept.id) ?? [];
    rows[dept.id] = weeks.map((w) => {
      const week = { start: w, end: addDays(w, 6) };
      const here = inDepartment.filter((p) => rangesOverlap(p, week));
      // Free places are the fewest left on any working day of the week.
      const days = workingDaysIn(w, addDays(w, 6), cal);
      const peak = Math.max(0, ...days.map((d) => here.filter((p) => p.start <= d && d <= p.end).length));
      return { weekStart: w, occupants: here.map((p) => p.label), free: Math.max(0, dept.capacity - peak) };
    });
  }
  return { weeks, rows };
}

/** The day a placement ends: its planned last day, or the day it was ended early. */
export const effectiveEnd = (p: { endDate: string; endedEarlyOn: string | null }) => p.endedEarlyOn ?? p.endDate;
