import type { DepartmentKind } from "../../db/schema";
import { classroomTheoryHours, splitsTheoryHours, type ProgramRules } from "./program";
import { creditedOnlineTenths } from "./study-time";

/** Everything recorded for one enrolment that counts toward completion. */
export interface CompletionEvents {
  /** "moduleCode/lessonCode" of each lesson the trainee finished. */
  lessonsDone: string[];
  /** Module codes whose quiz the trainee passed. */
  quizzesPassed: string[];
  attendance: { kind: "theory" | "practice"; hours: number }[];
  /** Seconds of recorded study time by module code (versions that split theory hours count them). */
  studySeconds?: Record<string, number>;
  exam: { attempts: number; passed: boolean };
  /** Every practical assessment; for each skill the latest one counts. */
  practicals: { skillCode: string; result: "pass" | "fail"; assessedOn: string; order: number }[];
  /** Completed rotation placements. */
  rotations: { departmentKind: DepartmentKind; days: number }[];
}

export type Missing =
  | { kind: "theoryHours"; have: number; need: number }
  | { kind: "onlineHours"; module: string; have: number; need: number }
  | { kind: "classroomHours"; have: number; need: number }
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
    /** Versions that split theory hours: the online study credited and the classroom theory attended. */
    onlineHours?: number;
    classroomHours?: number;
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
 * missing. Versions that split theory hours credit each module's recorded study time up to its
 * online share and add classroom theory attended, and need both parts; older versions counted a
 * module's whole theory hours once it was finished (all lessons read, quiz passed), plus classroom.
 */
export function evaluateCompletion(rules: ProgramRules, events: CompletionEvents): Completion {
  const moduleMissing: Missing[] = [];
  const lessonsDone = new Set(events.lessonsDone);
  const quizzes = new Set(events.quizzesPassed);
  const split = splitsTheoryHours(rules);

  let modulesDone = 0;
  // Tenths of an hour, so sums of online study to one decimal stay exact.
  let onlineTenths = 0;
  let lessonsDoneCount = 0;
  let lessonsTotal = 0;
  for (const m of rules.modules) {
    const left = m.lessons.filter((l) => !lessonsDone.has(`${m.code}/${l.code}`)).length;
    lessonsTotal += m.lessons.length;
    lessonsDoneCount += m.lessons.length - left;
    const quizPassed = quizzes.has(m.code);
    const done = left === 0 && quizPassed;
    if (done) modulesDone++;
    else moduleMissing.push({ kind: "module", module: m.title, lessonsLeft: left, quizPassed });
    if (split) {
      const credited = creditedOnlineTenths(events.studySeconds?.[m.code] ?? 0, m.onlineHours!);
      onlineTenths += credited;
      const need = Math.round(m.onlineHours! * 10);
      if (credited < need) moduleMissing.push({ kind: "onlineHours", module: m.title, have: credited / 10, need: need / 10 });
    } else if (done) {
      onlineTenths += m.theoryHours * 10;
    }
  }

  const attended = (kind: "theory" | "practice") => events.attendance.filter((a) => a.kind === kind).reduce((n, a) => n + a.hours, 0);
  const classroom = attended("theory");
  const theoryHours = (onlineTenths + classroom * 10) / 10;
  const practiceHours = attended("practice");
  const missing: Missing[] = [];
  if (theoryHours < rules.hours.theory) missing.push({ kind: "theoryHours", have: theoryHours, need: rules.hours.theory });
  const classroomNeed = split ? classroomTheoryHours(rules) : 0;
  if (split && classroom < classroomNeed) missing.push({ kind: "classroomHours", have: classroom, need: classroomNeed });
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
      ...(split ? { onlineHours: onlineTenths / 10, classroomHours: classroom } : {}),
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
