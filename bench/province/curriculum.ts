import { drawQuestions, grade, type DrawnQuestion } from "../../app/domain/assessment";
import { addDays, isWorkingDay, toDay } from "../../app/domain/dates";
import { classroomTheoryHours, splitsTheoryHours, type ProgramContent, type ProgramRules } from "../../app/domain/program";
import { Draw } from "./seeded-random";

/**
 * What a trainee of a programme version does, in order: lessons read, module quizzes, classroom
 * sessions attended, practical assessments, the final exam. The schedule is the cohort's; each
 * enrolment follows it, all of it (and then the app's rule finds it complete) or a first part.
 */

export interface Programme {
  versionId: number;
  rules: ProgramRules;
  /** Question sets as the app draws them, each with a passing and a failing answer sheet graded by the app. */
  quizSheets: Map<string, AnswerSheets[]>;
  examSheets: AnswerSheets[];
}

export interface AnswerSheets {
  questions: string;
  pass: { answers: string; percent: number };
  fail: { answers: string; percent: number };
}

/** Distinct draws kept per quiz and exam: enough that attempts do not all look alike, few enough to make quickly. */
const DRAWS = 24;

function wrongAnswer(q: DrawnQuestion): number[] {
  if (q.type === "truefalse") return [1 - q.answer[0]];
  if (q.type === "multiple" && q.answer.length > 1) return q.answer.slice(0, -1);
  return [(q.answer[0] + 1) % Math.max(2, q.options.length)];
}

/** A draw from the bank with two answer sheets: one just passing or better, one failing. */
function sheetsFor(bank: ProgramContent["questions"], count: number, passMark: number, draw: Draw): AnswerSheets {
  const drawn = drawQuestions(bank, count, draw.between(0, 2 ** 31 - 1));
  const answered = (wrong: number) => {
    const wrongIds = new Set(drawn.slice(0, wrong).map((q) => q.id));
    const answers = Object.fromEntries(drawn.map((q) => [q.id, wrongIds.has(q.id) ? wrongAnswer(q) : q.answer]));
    return { answers, graded: grade(drawn, answers, passMark) };
  };
  const allowed = Math.floor((drawn.length * (100 - passMark)) / 100);
  const pass = answered(draw.between(0, allowed));
  const fail = answered(Math.min(drawn.length, allowed + 1 + draw.between(0, 2)));
  if (!pass.graded.passed || fail.graded.passed) throw new Error("answer sheets graded unlike intended");
  return {
    questions: JSON.stringify(drawn),
    pass: { answers: JSON.stringify(pass.answers), percent: pass.graded.percent },
    fail: { answers: JSON.stringify(fail.answers), percent: fail.graded.percent },
  };
}

export function loadProgramme(versionId: number, rules: ProgramRules, content: ProgramContent, seed: number): Programme {
  const draw = new Draw(seed);
  const quizSheets = new Map<string, AnswerSheets[]>();
  for (const m of rules.modules) {
    const bank = content.questions.filter((q) => q.moduleCode === m.code);
    quizSheets.set(
      m.code,
      Array.from({ length: DRAWS }, () => sheetsFor(bank, rules.quiz.questionCount, rules.quiz.passMark, draw)),
    );
  }
  const examBank = content.questions.filter((q) => rules.modules.some((m) => m.code === q.moduleCode));
  const examSheets = Array.from({ length: DRAWS }, () => sheetsFor(examBank, rules.exam.questionCount, rules.exam.passMark, draw));
  return { versionId, rules, quizSheets, examSheets };
}

export interface SessionPlan {
  date: string;
  title: string;
  kind: "theory" | "practice";
  hours: number;
}

export interface CohortSchedule {
  sessions: SessionPlan[];
  /** Per module, the day each lesson is read. */
  lessonDates: string[][];
  quizDates: string[];
  practicalDate: string;
  examDate: string;
  /** Where a first attempt or assessment that failed falls, before the one that passed. */
  retakeGap: number;
}

/** The working day on or before `iso`. */
function workingDayBefore(iso: string): string {
  let d = iso;
  while (!isWorkingDay(d)) d = addDays(d, -1);
  return d;
}

function spread(from: string, to: string, n: number, i: number): string {
  const span = toDay(to) - toDay(from);
  return workingDayBefore(addDays(from, Math.round(((i + 1) * span) / (n + 1))));
}

/**
 * A cohort's timetable: online modules over its first three fifths, classroom sessions spread over
 * its whole length (practice in days of eight hours, four for short courses), practical
 * assessments in its last fortnight, the exam in its last week.
 */
export function cohortSchedule(rules: ProgramRules, startDate: string, endDate: string): CohortSchedule {
  const sessions: SessionPlan[] = [];
  const blocks = (kind: "theory" | "practice", hours: number) => {
    const size = hours <= 16 ? 4 : 8;
    const count = Math.ceil(hours / size);
    return Array.from({ length: count }, (_, i) => ({ kind, hours: i < count - 1 ? size : hours - size * (count - 1) }));
  };
  // Classroom theory: what the modules' online shares leave, or in versions before the split, what finished modules leave.
  const classroom = splitsTheoryHours(rules)
    ? Math.ceil(classroomTheoryHours(rules))
    : Math.max(0, rules.hours.theory - rules.modules.reduce((n, m) => n + m.theoryHours, 0));
  const planned = [...blocks("theory", classroom), ...blocks("practice", rules.hours.practice)];
  const sessionFrom = addDays(startDate, 3);
  const sessionTo = addDays(endDate, -4);
  planned.forEach((b, i) => {
    const topic = b.kind === "practice" ? rules.skills[i % rules.skills.length].title : rules.modules[i % rules.modules.length].title;
    sessions.push({
      date: spread(sessionFrom, sessionTo, planned.length, i),
      title: `${topic}${b.kind === "practice" ? "实训" : "授课"}`,
      kind: b.kind,
      hours: b.hours,
    });
  });
  const onlineTo = addDays(startDate, Math.round((toDay(endDate) - toDay(startDate)) * 0.6));
  const lessonsTotal = rules.modules.reduce((n, m) => n + m.lessons.length, 0);
  let nth = 0;
  const lessonDates = rules.modules.map((m) => m.lessons.map(() => spread(startDate, onlineTo, lessonsTotal, nth++)));
  const quizDates = lessonDates.map((dates) => addDays(dates[dates.length - 1], 1));
  return {
    sessions,
    lessonDates,
    quizDates,
    practicalDate: workingDayBefore(addDays(endDate, -6)),
    examDate: workingDayBefore(addDays(endDate, -2)),
    retakeGap: 7,
  };
}

export type LearningStep =
  | { kind: "lesson"; date: string; module: number; lesson: number }
  | { kind: "quiz"; date: string; module: number; failedFirst: boolean }
  | { kind: "session"; date: string; session: number }
  | { kind: "practical"; date: string; skill: number; failedFirst: boolean }
  | { kind: "exam"; date: string; failedFirst: boolean };

/** How often a first try fails and is taken again. */
export const FIRST_TRY_FAILS = { quiz: 0.1, practical: 0.05, exam: 0.12 } as const;

/** Rows a step writes: a failed first try is a row of its own. */
export function rowsOf(step: LearningStep): number {
  return "failedFirst" in step && step.failedFirst ? 2 : 1;
}

const ORDER = { lesson: 0, quiz: 1, session: 2, practical: 3, exam: 4 } as const;

/** Every step of the whole programme for one trainee, in the order they happen. */
export function learningSteps(rules: ProgramRules, schedule: CohortSchedule, draw: Draw): LearningStep[] {
  const steps: LearningStep[] = [];
  rules.modules.forEach((m, mi) => {
    m.lessons.forEach((_, li) => steps.push({ kind: "lesson", date: schedule.lessonDates[mi][li], module: mi, lesson: li }));
    steps.push({ kind: "quiz", date: schedule.quizDates[mi], module: mi, failedFirst: draw.chance(FIRST_TRY_FAILS.quiz) });
  });
  schedule.sessions.forEach((s, si) => steps.push({ kind: "session", date: s.date, session: si }));
  rules.skills.forEach((_, ki) =>
    steps.push({ kind: "practical", date: schedule.practicalDate, skill: ki, failedFirst: draw.chance(FIRST_TRY_FAILS.practical) }),
  );
  steps.push({ kind: "exam", date: schedule.examDate, failedFirst: draw.chance(FIRST_TRY_FAILS.exam) });
  return steps.sort((a, b) => a.date.localeCompare(b.date) || ORDER[a.kind] - ORDER[b.kind]);
}

/** Rows the whole programme writes for one trainee, on average (failed first tries included). */
export function expectedRows(rules: ProgramRules, schedule: CohortSchedule): number {
  const lessons = rules.modules.reduce((n, m) => n + m.lessons.length, 0);
  return (
    lessons +
    rules.modules.length * (1 + FIRST_TRY_FAILS.quiz) +
    schedule.sessions.length +
    rules.skills.length * (1 + FIRST_TRY_FAILS.practical) +
    1 +
    FIRST_TRY_FAILS.exam
  );
}

/** How many of a trainee's steps fall on or before `today`, for a cohort's schedule (failed tries not counted). */
export function stepsBy(rules: ProgramRules, schedule: CohortSchedule, today: string): number {
  let n = 0;
  schedule.lessonDates.forEach((dates, mi) => {
    n += dates.filter((d) => d <= today).length;
    if (schedule.quizDates[mi] <= today) n++;
  });
  n += schedule.sessions.filter((s) => s.date <= today).length;
  if (schedule.practicalDate <= today) n += rules.skills.length;
  if (schedule.examDate <= today) n++;
  return n;
}
