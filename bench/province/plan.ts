import { addDays, weekStart } from "../../app/domain/dates";
import { cohortSchedule, expectedRows, stepsBy, type CohortSchedule, type Programme } from "./curriculum";
import { Draw } from "./seeded-random";
import { COHORTS_PER_BASE, type Shape } from "./shape";

/**
 * Who is enrolled where and how far each gets, decided for the whole province before anything is
 * written, so that the totals come out at the shape asked for: the share of trainees who complete
 * is set by the certificates wanted, and how far the others got by the learning events wanted.
 */

type ProgrammeCode = "medical-nursing-assistant" | "family-caregiver" | "caregiver-instructor" | "hospice-care";

/** Ten cohorts a base runs in turn; nursing assistants and family caregivers are the bulk of the work. */
const COHORT_SEQUENCE: ProgrammeCode[] = [
  "medical-nursing-assistant",
  "family-caregiver",
  "medical-nursing-assistant",
  "family-caregiver",
  "caregiver-instructor",
  "medical-nursing-assistant",
  "family-caregiver",
  "hospice-care",
  "medical-nursing-assistant",
  "family-caregiver",
];

/** Relative cohort sizes: instructor and hospice classes are small, as their rotations need ward places. */
const SIZE_WEIGHT: Record<ProgrammeCode, number> = {
  "medical-nursing-assistant": 1.2,
  "family-caregiver": 1.0,
  "caregiver-instructor": 1.0,
  "hospice-care": 0.95,
};

/** Length of a cohort in days, Monday to the Friday it ends on. */
const LENGTH_DAYS: Record<ProgrammeCode, number> = {
  "medical-nursing-assistant": 81,
  "family-caregiver": 39,
  "caregiver-instructor": 88,
  "hospice-care": 53,
};

/** Instructor classes recruit this share from the base's own certified nursing assistants. */
const INSTRUCTORS_FROM_OWN_ASSISTANTS = 0.2;

/** The first cohort starts this long before the dataset is made; each base's next one 70 days later. */
const HISTORY_DAYS = 520;
const COHORT_SPACING_DAYS = 70;

export type CohortState = "past" | "recent" | "current" | "future";

export interface EnrolmentPlan {
  /** The person's number (people.ts); a repeat enrolment reuses an earlier person's. */
  person: number;
  repeat: boolean;
  complete: boolean;
  /** For an enrolment that does not complete: how many of its learning steps it takes. */
  steps: number;
  seed: number;
}

export interface CohortPlan {
  base: number;
  ordinal: number;
  programme: Programme;
  startDate: string;
  endDate: string;
  state: CohortState;
  schedule: CohortSchedule;
  enrolments: EnrolmentPlan[];
}

export interface ProvincePlan {
  cohorts: CohortPlan[];
  people: number;
  completionRate: number;
  /** How far, as a share of its steps, a trainee who stopped got, scaled so the events add up. */
  stoppedScale: number;
  expectedLearningRows: number;
}

const counted = new WeakMap<CohortPlan, { all: number; byToday: number }>();
/** A trainee's learning steps in the whole programme, and those its timetable has reached by today. */
function stepCounts(c: CohortPlan, today: string) {
  let n = counted.get(c);
  if (!n)
    counted.set(
      c,
      (n = { all: stepsBy(c.programme.rules, c.schedule, "9999-12-31"), byToday: stepsBy(c.programme.rules, c.schedule, today) }),
    );
  return n;
}

function stateOf(startDate: string, endDate: string, today: string): CohortState {
  if (startDate > today) return "future";
  if (endDate >= today) return "current";
  return addDays(endDate, 7) <= today ? "past" : "recent";
}

export function planProvince(shape: Shape, programmes: Map<string, Programme>, today: string, seed = 1): ProvincePlan {
  const draw = new Draw(seed);
  const perBase = shape.trainees / shape.bases;
  const newcomerWeight = COHORT_SEQUENCE.reduce(
    (n, code) => n + SIZE_WEIGHT[code] * (code === "caregiver-instructor" ? 1 - INSTRUCTORS_FROM_OWN_ASSISTANTS : 1),
    0,
  );
  const unit = perBase / newcomerWeight;

  // Cohorts and their dates first: who completes depends on how many cohorts have ended.
  const cohorts: CohortPlan[] = [];
  let people = 0;
  const newcomers: number[][] = [];
  for (let b = 0; b < shape.bases; b++) {
    const wanted = Math.round(perBase * (b + 1)) - Math.round(perBase * b);
    const sizes = COHORT_SEQUENCE.map((_, k) => {
      const code = COHORT_SEQUENCE[(k + b) % COHORTS_PER_BASE];
      return Math.round(unit * SIZE_WEIGHT[code] * (code === "caregiver-instructor" ? 1 - INSTRUCTORS_FROM_OWN_ASSISTANTS : 1));
    });
    sizes[sizes.length - 1] += wanted - sizes.reduce((a, n) => a + n, 0);
    newcomers.push(sizes);
    for (let k = 0; k < COHORTS_PER_BASE; k++) {
      const code = COHORT_SEQUENCE[(k + b) % COHORTS_PER_BASE];
      const programme = programmes.get(code)!;
      const startDate = weekStart(addDays(today, -HISTORY_DAYS + COHORT_SPACING_DAYS * k + ((b * 7) % 63)));
      const endDate = addDays(startDate, LENGTH_DAYS[code]);
      cohorts.push({
        base: b,
        ordinal: k,
        programme,
        startDate,
        endDate,
        state: stateOf(startDate, endDate, today),
        schedule: cohortSchedule(programme.rules, startDate, endDate),
        enrolments: [],
      });
    }
  }
  const ended = cohorts.filter((c) => c.state === "past").reduce((n, c) => n + newcomers[c.base][c.ordinal], 0);
  // Certificates are issued a week after a cohort ends, for everyone who completed.
  const completionRate = Math.min(0.95, shape.certificates / Math.max(1, ended));

  // People, base by base in the order cohorts start, so instructor classes can take earlier nursing assistants.
  const fractions: { plan: EnrolmentPlan; cohort: CohortPlan; fraction: number }[] = [];
  for (let b = 0; b < shape.bases; b++) {
    const own = cohorts.filter((c) => c.base === b).sort((x, y) => x.startDate.localeCompare(y.startDate));
    const certifiedAssistants: { person: number; end: string }[] = [];
    for (const c of own) {
      const code = c.programme.rules.code as ProgrammeCode;
      const fresh = newcomers[b][c.ordinal];
      const plans: EnrolmentPlan[] = [];
      if (code === "caregiver-instructor") {
        const available = certifiedAssistants.filter((a) => a.end < c.startDate);
        const repeats = Math.min(
          available.length,
          Math.round((fresh * INSTRUCTORS_FROM_OWN_ASSISTANTS) / (1 - INSTRUCTORS_FROM_OWN_ASSISTANTS)),
        );
        for (const a of available.slice(0, repeats)) {
          certifiedAssistants.splice(certifiedAssistants.indexOf(a), 1);
          plans.push({ person: a.person, repeat: true, complete: false, steps: 0, seed: draw.between(1, 2 ** 31) });
        }
      }
      for (let i = 0; i < fresh; i++)
        plans.push({ person: people++, repeat: false, complete: false, steps: 0, seed: draw.between(1, 2 ** 31) });
      for (const p of plans) {
        if ((c.state === "past" || c.state === "recent") && draw.chance(completionRate)) {
          p.complete = true;
          if (code === "medical-nursing-assistant" && !p.repeat) certifiedAssistants.push({ person: p.person, end: c.endDate });
        } else if (c.state === "current") {
          // Trainees of a cohort under way have done most of what its timetable has reached.
          const { all, byToday } = stepCounts(c, today);
          p.steps = Math.min(all - 1, Math.round((0.6 + draw.next() * 0.4) * byToday));
        } else if (c.state !== "future") {
          fractions.push({ plan: p, cohort: c, fraction: 0.1 + draw.next() * 0.8 });
        }
      }
      c.enrolments = plans;
    }
  }

  // How far those who stopped got: scaled together so that all events add up to the shape.
  let knownRows = 0;
  for (const c of cohorts) {
    knownRows += c.enrolments.filter((e) => e.complete).length * expectedRows(c.programme.rules, c.schedule);
    if (c.state === "current") knownRows += c.enrolments.reduce((n, e) => n + e.steps, 0);
  }
  // Never every step: the last (the exam) is what a trainee who did not complete has not passed.
  const stepsOf = (f: (typeof fractions)[number], scale: number) =>
    Math.min(stepCounts(f.cohort, today).all - 1, Math.round(Math.min(0.95, f.fraction * scale) * stepCounts(f.cohort, today).all));
  const partialRows = (scale: number) => fractions.reduce((n, f) => n + stepsOf(f, scale), 0);
  const wantedPartial = Math.max(0, shape.learningEvents - knownRows);
  let low = 0;
  let high = 4;
  for (let i = 0; i < 40; i++) {
    const mid = (low + high) / 2;
    if (partialRows(mid) < wantedPartial) low = mid;
    else high = mid;
  }
  for (const f of fractions) f.plan.steps = stepsOf(f, low);
  return { cohorts, people, completionRate, stoppedScale: low, expectedLearningRows: knownRows + partialRows(low) };
}
