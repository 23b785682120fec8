import type { DepartmentKind } from "../../db/schema";
import type { ProgramRules } from "./program";

/** Everything recorded for one enrolment that counts toward completion. */
export interface CompletionEvents {
  /** "moduleCode/lessonCode" of each lesson the trainee finished. */
  lessonsDone: string[];
  /** Module codes whose quiz the trainee passed. */
  quizzesPassed: string[];
  attendance: { kind: "theory" | "practice"; hours: number }[];
  exam: { attempts: number; passed: boolean };
  /** Every practical assessment; for each skill the latest one counts. */
  practicals: { skillCode: string; result: "pass" | "fail"; assessedOn: string; order: number }[];
  /** Completed rotation placements. */
  rotations: { departmentKind: DepartmentKind; days: number }[];
}

export type Missing =
  | { kind: "theoryHours"; have: number; need: number }
  | { kind: "practiceHours"; have: number; need: number }
  | { kind: "module"; module: string; lessonsLeft: number; quizPassed: boolean }
  | { kind: "exam"; state: "notTaken" | "notPassed" | "noAttemptsLeft"; attemptsLeft: number }
  | { kind: "skill"; skill: string; state: "notAssessed" | "failed" }
  | { kind: "rotation"; departmentKind: DepartmentKind; have: number; need: number };

export interface Completion {
  status: "completed" | "in_progress";
  missing: Missing[];
  progress: {
    theoryHours: number;
    practiceHours: number;
    modulesDone: number;
    modulesTotal: number;
    lessonsDone: number;
    lessonsTotal: number;
    examPassed: boolean;
    examAttempts: number;
    skillsPassed: number;
    skillsTotal: number;
    rotationsDone: number;
    rotationsTotal: number;
    /** 0–100, the mean of each requirement's share met, for a progress bar. */
    percent: number;
  };
}

/** The exam column of a progress table: passed, never sat, or sat and not (yet) passed. */
export function examProgress(progress: Completion["progress"]): "passed" | "notTaken" | "failed" {
  if (progress.examPassed) return "passed";
  return progress.examAttempts === 0 ? "notTaken" : "failed";
}

function latestBySkill(practicals: CompletionEvents["practicals"]) {
  const latest = new Map<string, CompletionEvents["practicals"][number]>();
  for (const p of practicals) {
    const current = latest.get(p.skillCode);
    if (!current || p.assessedOn > current.assessedOn || (p.assessedOn === current.assessedOn && p.order > current.order)) {
      latest.set(p.skillCode, p);
    }
  }
  return latest;
}

const share = (have: number, need: number) => (need <= 0 ? 1 : Math.min(1, have / need));

/**
 * Whether an enrolment has met every requirement of its programme version, and if not, what is
 * missing. Online modules count their theory hours once finished (all lessons read, quiz passed);
 * classroom sessions count the hours attended.
 */
export function evaluateCompletion(rules: ProgramRules, events: CompletionEvents): Completion {
  const moduleMissing: Missing[] = [];
  const lessonsDone = new Set(events.lessonsDone);
  const quizzes = new Set(events.quizzesPassed);

  let modulesDone = 0;
  let onlineTheory = 0;
  let lessonsDoneCount = 0;
  let lessonsTotal = 0;
  for (const m of rules.modules) {
    const left = m.lessons.filter((l) => !lessonsDone.has(`${m.code}/${l.code}`)).length;
    lessonsTotal += m.lessons.length;
    lessonsDoneCount += m.lessons.length - left;
    const quizPassed = quizzes.has(m.code);
    if (left === 0 && quizPassed) {
      modulesDone++;
      onlineTheory += m.theoryHours;
    } else {
      moduleMissing.push({ kind: "module", module: m.title, lessonsLeft: left, quizPassed });
    }
  }

  const attended = (kind: "theory" | "practice") => events.attendance.filter((a) => a.kind === kind).reduce((n, a) => n + a.hours, 0);
  const theoryHours = onlineTheory + attended("theory");
  const practiceHours = attended("practice");
  const missing: Missing[] = [];
  if (theoryHours < rules.hours.theory) missing.push({ kind: "theoryHours", have: theoryHours, need: rules.hours.theory });
  if (practiceHours < rules.hours.practice) missing.push({ kind: "practiceHours", have: practiceHours, need: rules.hours.practice });
  missing.push(...moduleMissing);

  const attemptsLeft = Math.max(0, rules.exam.maxAttempts - events.exam.attempts);
  if (!events.exam.passed) {
    const state = events.exam.attempts === 0 ? "notTaken" : attemptsLeft > 0 ? "notPassed" : "noAttemptsLeft";
    missing.push({ kind: "exam", state, attemptsLeft });
  }

  const latest = latestBySkill(events.practicals);
  let skillsPassed = 0;
  for (const s of rules.skills) {
    const result = latest.get(s.code)?.result;
    if (result === "pass") skillsPassed++;
    else missing.push({ kind: "skill", skill: s.title, state: result === "fail" ? "failed" : "notAssessed" });
  }

  let rotationsDone = 0;
  const rotationShares: number[] = [];
  for (const r of rules.rotations) {
    const have = events.rotations.filter((x) => x.departmentKind === r.departmentKind).reduce((n, x) => n + x.days, 0);
    rotationShares.push(share(have, r.days));
    if (have >= r.days) rotationsDone++;
    else missing.push({ kind: "rotation", departmentKind: r.departmentKind, have, need: r.days });
  }

  const shares = [
    share(theoryHours, rules.hours.theory),
    share(practiceHours, rules.hours.practice),
    share(modulesDone, rules.modules.length),
    events.exam.passed ? 1 : 0,
    share(skillsPassed, rules.skills.length),
    ...rotationShares,
  ];
  const percent = Math.floor((shares.reduce((a, b) => a + b, 0) / shares.length) * 100);

  return {
    status: missing.length === 0 ? "completed" : "in_progress",
    missing,
    progress: {
      theoryHours,
      practiceHours,
      modulesDone,
      modulesTotal: rules.modules.length,
      lessonsDone: lessonsDoneCount,
      lessonsTotal,
      examPassed: events.exam.passed,
      examAttempts: events.exam.attempts,
      skillsPassed,
      skillsTotal: rules.skills.length,
      rotationsDone,
      rotationsTotal: rules.rotations.length,
      percent: missing.length === 0 ? 100 : Math.min(99, percent),
    },
  };
}
