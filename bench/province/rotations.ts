import { workingDaysIn } from "../../app/domain/dates";
import type { ProgramRules } from "../../app/domain/program";
import { EVALUATION_CRITERIA, placeCohort, type PlannedPlacement, type Slot } from "../../app/domain/rotation";
import type { Hospital } from "./organisations";
import { Draw } from "./seeded-random";

/**
 * Rotations through a lead hospital, placed by the app's own auto-placement (capacity per ward and
 * day, no two placements of one person at once, inside the cohort's dates), cohort after cohort in
 * the order they start, as the coordinator would have placed them.
 */
export class HospitalRota {
  private slots: Slot[] = [];
  private load: Record<string, number> = {};

  constructor(readonly hospital: Hospital) {}

  place(input: {
    trainees: { enrolmentId: string; personId: string }[];
    rules: ProgramRules;
    window: { startDate: string; endDate: string };
    /** Trainees go to the hospital after their first fortnight of classes. */
    earliestStart: string;
  }): { placements: PlannedPlacement[]; unplaced: number } {
    // Only placements that could share a day with this cohort's matter to the rules.
    const existing = this.slots.filter((s) => s.end >= input.window.startDate && s.start <= input.window.endDate);
    const plan = placeCohort({
      departments: this.hospital.departments,
      trainees: input.trainees.map((t) => ({ ...t, alreadyPlacedKinds: [] })),
      requirements: input.rules.rotations,
      window: input.window,
      earliestStart: input.earliestStart,
      existing,
      mentorLoad: this.load,
    });
    for (const p of plan.placements) {
      this.slots.push(p);
      this.load[p.mentorId] = (this.load[p.mentorId] ?? 0) + 1;
    }
    return { placements: plan.placements, unplaced: plan.unplaced.length };
  }
}

export type SignoffStep =
  | { kind: "day"; date: string }
  | { kind: "skill"; date: string; skillCode: string }
  | { kind: "evaluation"; date: string; scores: Record<(typeof EVALUATION_CRITERIA)[number], number>; passed: true };

/** Share of placements in which the mentor also signs one skill seen on the ward. */
const SKILL_SIGNED = 0.1;

/** What the mentor signs over a whole placement: each working day, perhaps a skill, the evaluation on the last day. */
export function signoffSteps(p: PlannedPlacement, rules: ProgramRules, draw: Draw): SignoffStep[] {
  const days = workingDaysIn(p.start, p.end);
  const steps: SignoffStep[] = days.map((date) => ({ kind: "day", date }));
  if (rules.skills.length && draw.chance(SKILL_SIGNED)) {
    steps.push({ kind: "skill", date: days[Math.floor(days.length / 2)], skillCode: draw.pick(rules.skills).code });
  }
  const score = () => draw.between(3, 5);
  steps.push({
    kind: "evaluation",
    date: p.end,
    scores: { attitude: score(), skills: score(), communication: score(), safety: score() },
    passed: true,
  });
  return steps.sort((a, b) => a.date.localeCompare(b.date));
}
