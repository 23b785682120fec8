import type { Completion, CompletionEvents, Missing } from "./completion";
import { classroomTheoryHours, splitsTheoryHours, type ProgramRules } from "./program";
import { creditedOnlineTenths } from "./study-time";

/**
 * 学时证明: one enrolment's study record as an inspector reads it — every lesson's study time, every
 * quiz and exam attempt, every classroom session attended, every practical — with totals that are
 * sums of the rows listed, checked against the enrolment's completion. Hours are counted in tenths
 * of an hour, as online study is credited, so every total is exact.
 */

/** What was recorded for one enrolment, as read from the database. */
export interface StudyRecordRows {
  /** Lesson views by lesson: how often it was opened, first when, and the seconds they earned between them. */
  views: { moduleCode: string; lessonCode: string; opened: number; firstOpenedAt: string; seconds: number }[];
  lessonsRead: { moduleCode: string; lessonCode: string; completedAt: string }[];
  attempts: {
    kind: "quiz" | "exam";
    moduleCode: string | null;
    startedAt: string;
    submittedAt: string | null;
    scorePercent: number | null;
    passed: boolean | null;
  }[];
  attendance: { sessionId: number; date: string; title: string; kind: "theory" | "practice"; sessionHours: number; hours: number }[];
  practicals: {
    id: number;
    skillCode: string;
    result: "pass" | "fail";
    examiner: string;
    examiner2: string | null;
    itemMarks: string | null;
    score: number | null;
    assessedOn: string;
  }[];
}

export interface LessonStudy {
  code: string;
  title: string;
  opened: number;
  firstOpenedAt: string | null;
  seconds: number;
  readAt: string | null;
  /** False for a lesson recorded under a code this version does not list (it still counts toward its module's time). */
  inVersion: boolean;
}

export interface ModuleStudy {
  code: string;
  title: string;
  theoryHours: number;
  /** The module's online share in tenths of an hour; null in versions that do not split theory hours. */
  shareTenths: number | null;
  lessons: LessonStudy[];
  /** Sum of the lessons' seconds. */
  seconds: number;
  lessonsRead: number;
  quizPassed: boolean;
  /** Every lesson read and the quiz passed. */
  finished: boolean;
  /**
   * Theory credited by this module, in tenths: its study time up to its share (versions that split
   * theory hours), or its whole theory hours once finished (earlier versions); zero for a module
   * this version does not have.
   */
  creditedTenths: number;
  inVersion: boolean;
}

export interface AttemptRow {
  kind: "quiz" | "exam";
  moduleCode: string | null;
  moduleTitle: string | null;
  startedAt: string;
  submittedAt: string | null;
  scorePercent: number | null;
  passed: boolean | null;
}

export interface AttendanceRow {
  date: string;
  title: string;
  kind: "theory" | "practice";
  hours: number;
  sessionHours: number;
}

export interface PracticalRow {
  skillCode: string;
  skillTitle: string;
  result: "pass" | "fail";
  examiners: string[];
  assessedOn: string;
  score: number | null;
  /** Checklist items met and marked, when the skill was scored item by item. */
  itemsMet: number | null;
  itemsMarked: number | null;
  /** The latest assessment of its skill: the one completion counts. */
  counts: boolean;
}

export interface StudyTotals {
  split: boolean;
  /** Theory credited by the modules (online study, or finished modules in earlier versions). */
  onlineTenths: number;
  /** Versions that split theory hours: the online hours required, the sum of the modules' shares. */
  onlineRequiredTenths: number | null;
  classroomHours: number;
  /** Versions that split theory hours: classroom theory required. */
  classroomRequiredTenths: number | null;
  theoryTenths: number;
  theoryRequired: number;
  practiceHours: number;
  practiceRequired: number;
  examAttempts: number;
  examPassed: boolean;
  skillsPassed: number;
  skillsTotal: number;
}

export interface StudyRecord {
  modules: ModuleStudy[];
  attempts: AttemptRow[];
  attendance: AttendanceRow[];
  practicals: PracticalRow[];
  totals: StudyTotals;
  status: Completion["status"];
  missing: Missing[];
  /** Where the sums of the rows differ from the completion given (each as "what: rows / completion"); empty when they agree. */
  disagreements: string[];
}

const tenths = (hours: number) => Math.round(hours * 10);

/** Hours from tenths, with one decimal only when there is one: 40 → "4", 5 → "0.5". */
export function formatTenths(t: number): string {
  return t % 10 === 0 ? String(t / 10) : (t / 10).toFixed(1);
}

/** Seconds as a Chinese duration, exact to the second: 0 → "0", 1930 → "32分10秒", 3725 → "1小时2分5秒". */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return "0";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}小时` : ""}${m ? `${m}分` : ""}${s ? `${s}秒` : ""}`;
}

/** The latest assessment of each skill (by date, then as recorded), as completion counts it. */
function latestPracticals(rows: StudyRecordRows["practicals"]): Set<number> {
  const latest = new Map<string, StudyRecordRows["practicals"][number]>();
  for (const p of rows) {
    const current = latest.get(p.skillCode);
    if (!current || p.assessedOn > current.assessedOn || (p.assessedOn === current.assessedOn && p.id > current.id))
      latest.set(p.skillCode, p);
  }
  return new Set([...latest.values()].map((p) => p.id));
}

function checklistCounts(itemMarks: string | null): { met: number; marked: number } | null {
  if (!itemMarks) return null;
  try {
    const marks = Object.values(JSON.parse(itemMarks) as Record<string, boolean>);
    return { met: marks.filter((v) => v === true).length, marked: marks.length };
  } catch {
    return null;
  }
}

function moduleStudies(rules: ProgramRules, rows: StudyRecordRows, quizzesPassed: Set<string>): ModuleStudy[] {
  const split = splitsTheoryHours(rules);
  const views = new Map<string, { opened: number; firstOpenedAt: string; seconds: number }>();
  for (const v of rows.views) {
    const key = `${v.moduleCode}/${v.lessonCode}`;
    const seen = views.get(key);
    if (!seen) views.set(key, { opened: v.opened, firstOpenedAt: v.firstOpenedAt, seconds: v.seconds });
    else
      views.set(key, {
        opened: seen.opened + v.opened,
        firstOpenedAt: v.firstOpenedAt < seen.firstOpenedAt ? v.firstOpenedAt : seen.firstOpenedAt,
        seconds: seen.seconds + v.seconds,
      });
  }
  const read = new Map(rows.lessonsRead.map((r) => [`${r.moduleCode}/${r.lessonCode}`, r.completedAt]));
  const lessonOf = (moduleCode: string, code: string, title: string, inVersion: boolean): LessonStudy => {
    const v = views.get(`${moduleCode}/${code}`);
    return {
      code,
      title,
      opened: v?.opened ?? 0,
      firstOpenedAt: v?.firstOpenedAt ?? null,
      seconds: v?.seconds ?? 0,
      readAt: read.get(`${moduleCode}/${code}`) ?? null,
      inVersion,
    };
  };
  /** Lessons recorded under the module that the version does not list, in code order. */
  const strays = (moduleCode: string, listed: Set<string>) =>
    [...new Set([...views.keys(), ...read.keys()])]
      .filter((k) => k.startsWith(`${moduleCode}/`) && !listed.has(k.slice(moduleCode.length + 1)))
      .map((k) => k.slice(moduleCode.length + 1))
      .sort()
      .map((code) => lessonOf(moduleCode, code, code, false));

  const modules: ModuleStudy[] = rules.modules.map((m) => {
    const listed = m.lessons.map((l) => lessonOf(m.code, l.code, l.title, true));
    const lessons = [...listed, ...strays(m.code, new Set(m.lessons.map((l) => l.code)))];
    const seconds = lessons.reduce((n, l) => n + l.seconds, 0);
    const lessonsRead = listed.filter((l) => l.readAt !== null).length;
    const quizPassed = quizzesPassed.has(m.code);
    const finished = lessonsRead === m.lessons.length && quizPassed;
    const shareTenths = split ? tenths(m.onlineHours!) : null;
    const creditedTenths = split ? creditedOnlineTenths(seconds, m.onlineHours!) : finished ? tenths(m.theoryHours) : 0;
    return {
      code: m.code,
      title: m.title,
      theoryHours: m.theoryHours,
      shareTenths,
      lessons,
      seconds,
      lessonsRead,
      quizPassed,
      finished,
      creditedTenths,
      inVersion: true,
    };
  });

  // Study recorded under a module this version does not have: listed, and counted toward nothing.
  const known = new Set(rules.modules.map((m) => m.code));
  const others = [...new Set([...views.keys(), ...read.keys()].map((k) => k.split("/")[0]))].filter((c) => !known.has(c)).sort();
  for (const code of others) {
    const lessons = strays(code, new Set());
    modules.push({
      code,
      title: code,
      theoryHours: 0,
      shareTenths: null,
      lessons,
      seconds: lessons.reduce((n, l) => n + l.seconds, 0),
      lessonsRead: 0,
      quizPassed: false,
      finished: false,
      creditedTenths: 0,
      inVersion: false,
    });
  }
  return modules;
}

/**
 * The record of one enrolment from its rows and its version's rules. Totals are the sums of the
 * rows; `completion` (what the rest of the system says of the enrolment) gives the status and what
 * is missing, and every total is compared with it.
 */
export function buildStudyRecord(rules: ProgramRules, rows: StudyRecordRows, completion: Completion): StudyRecord {
  const split = splitsTheoryHours(rules);
  const moduleTitles = new Map(rules.modules.map((m) => [m.code, m.title]));
  const skillTitles = new Map(rules.skills.map((s) => [s.code, s.title]));
  const quizzesPassed = new Set(rows.attempts.filter((a) => a.kind === "quiz" && a.passed && a.moduleCode).map((a) => a.moduleCode!));
  const modules = moduleStudies(rules, rows, quizzesPassed);

  const attempts: AttemptRow[] = [...rows.attempts]
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .map((a) => ({ ...a, moduleTitle: a.moduleCode ? (moduleTitles.get(a.moduleCode) ?? a.moduleCode) : null }));
  const attendance: AttendanceRow[] = [...rows.attendance]
    .sort((a, b) => a.date.localeCompare(b.date) || a.sessionId - b.sessionId)
    .map((a) => ({ date: a.date, title: a.title, kind: a.kind, hours: a.hours, sessionHours: a.sessionHours }));
  const counting = latestPracticals(rows.practicals);
  const practicals: PracticalRow[] = [...rows.practicals]
    .sort((a, b) => a.assessedOn.localeCompare(b.assessedOn) || a.id - b.id)
    .map((p) => {
      const marks = checklistCounts(p.itemMarks);
      return {
        skillCode: p.skillCode,
        skillTitle: skillTitles.get(p.skillCode) ?? p.skillCode,
        result: p.result,
        examiners: [p.examiner, ...(p.examiner2 ? [p.examiner2] : [])],
        assessedOn: p.assessedOn,
        score: p.score,
        itemsMet: marks?.met ?? null,
        itemsMarked: marks?.marked ?? null,
        counts: counting.has(p.id),
      };
    });

  const onlineTenths = modules.reduce((n, m) => n + m.creditedTenths, 0);
  const attended = (kind: "theory" | "practice") => attendance.filter((a) => a.kind === kind).reduce((n, a) => n + a.hours, 0);
  const classroomHours = attended("theory");
  const exams = attempts.filter((a) => a.kind === "exam");
  const totals: StudyTotals = {
    split,
    onlineTenths,
    onlineRequiredTenths: split ? modules.reduce((n, m) => n + (m.shareTenths ?? 0), 0) : null,
    classroomHours,
    classroomRequiredTenths: split ? tenths(classroomTheoryHours(rules)) : null,
    theoryTenths: onlineTenths + classroomHours * 10,
    theoryRequired: rules.hours.theory,
    practiceHours: attended("practice"),
    practiceRequired: rules.hours.practice,
    examAttempts: exams.length,
    examPassed: exams.some((a) => a.passed),
    skillsPassed: rules.skills.filter((s) => practicals.some((p) => p.counts && p.skillCode === s.code && p.result === "pass")).length,
    skillsTotal: rules.skills.length,
  };

  const p = completion.progress;
  const disagreements: string[] = [];
  const compare = (what: string, ours: number | boolean | undefined, theirs: number | boolean | undefined) => {
    if (ours !== theirs) disagreements.push(`${what}: ${ours} / ${theirs}`);
  };
  compare("theoryTenths", totals.theoryTenths, tenths(p.theoryHours));
  if (split) {
    compare("onlineTenths", totals.onlineTenths, p.onlineHours === undefined ? undefined : tenths(p.onlineHours));
    compare("classroomHours", totals.classroomHours, p.classroomHours);
  }
  compare("practiceHours", totals.practiceHours, p.practiceHours);
  compare("examAttempts", totals.examAttempts, p.examAttempts);
  compare("examPassed", totals.examPassed, p.examPassed);
  compare("skillsPassed", totals.skillsPassed, p.skillsPassed);
  compare("skillsTotal", totals.skillsTotal, p.skillsTotal);

  return { modules, attempts, attendance, practicals, totals, status: completion.status, missing: completion.missing, disagreements };
}

/**
 * The completion events the same rows amount to, for evaluating many enrolments from rows read for a
 * whole cohort at once (app/services/completion.server.ts reads them one enrolment at a time).
 * Rotations are not part of the record and are given as completion counts them.
 */
export function completionEventsOf(rows: StudyRecordRows, rotations: CompletionEvents["rotations"]): CompletionEvents {
  const studySeconds: Record<string, number> = {};
  for (const v of rows.views) studySeconds[v.moduleCode] = (studySeconds[v.moduleCode] ?? 0) + v.seconds;
  const exams = rows.attempts.filter((a) => a.kind === "exam");
  return {
    lessonsDone: rows.lessonsRead.map((r) => `${r.moduleCode}/${r.lessonCode}`),
    quizzesPassed: [...new Set(rows.attempts.filter((a) => a.kind === "quiz" && a.passed && a.moduleCode).map((a) => a.moduleCode!))],
    attendance: rows.attendance.map((a) => ({ kind: a.kind, hours: a.hours })),
    studySeconds,
    exam: { attempts: exams.length, passed: exams.some((a) => a.passed === true) },
    practicals: rows.practicals.map((p) => ({ skillCode: p.skillCode, result: p.result, assessedOn: p.assessedOn, order: p.id })),
    rotations,
  };
}
