import type { DepartmentKind } from "../../db/schema";
import type { StudyRules } from "./study-time";
import type { ChecklistItem } from "./practical";

/**
 * What a programme version requires and how it is organised: the part of the content that records
 * depend on. It is frozen per version in the database (see program_versions).
 */
export interface ProgramRules {
  code: string;
  version: number;
  title: string;
  titleEn: string;
  occupation: string;
  level: string;
  hours: { theory: number; practice: number };
  exam: {
    questionCount: number;
    timeLimitMinutes: number;
    passMark: number;
    maxAttempts: number;
    /**
     * Versions with exam-only banks: the exam draws only from them, by module as the blueprint
     * says, opens only once every lesson is read and every quiz passed, and a failed attempt is
     * followed by a wait. Older versions have none of these and keep their rules.
     */
    blueprint?: Record<string, number>;
    retryWaitHours?: number;
    gated?: boolean;
  };
  quiz: { questionCount: number; passMark: number };
  /** Versions that record study time: how long a lesson must be studied before it counts as read. */
  study?: StudyRules;
  rotations: { departmentKind: DepartmentKind; days: number }[];
  certificate: { title: string; validityMonths: number | null };
  /**
   * `onlineHours`: the part of a module's theory hours taken online, credited from recorded study
   * time; the rest of the programme's theory hours are classroom sessions. Absent in versions
   * published before the split, where a finished module counted its whole theory hours.
   */
  modules: { code: string; title: string; theoryHours: number; onlineHours?: number; lessons: { code: string; title: string }[] }[];
  skills: { code: string; title: string }[];
  /** How practicals are examined; absent in versions published before it existed, meaning one examiner. */
  practical?: { examiners: 1 | 2 };
  /** A refresher: the programmes whose certificate its completion renews, extending the expiry. */
  renews?: string[];
}

export type QuestionType = "single" | "multiple" | "truefalse";

export interface Question {
  id: string;
  moduleCode: string;
  type: QuestionType;
  stem: string;
  /** Empty for true/false questions. */
  options: string[];
  /** Indices of the right options; for true/false, [1] means true and [0] means false. */
  answer: number[];
  explanation: string;
  /** "exam": drawn only for the final exam, never shown in practice. Absent: a practice question. */
  pool?: "exam";
}

export interface Lesson {
  code: string;
  title: string;
  markdown: string;
}

/**
 * What trainees read and are examined on in a programme version: lessons, question banks with
 * keys and explanations, and the practical checklist. Frozen with the version, like its rules.
 */
export interface ProgramContent {
  summary: string;
  audience: string;
  source: string;
  /** Lessons by module code, in the module's order. */
  lessons: Record<string, Lesson[]>;
  questions: Question[];
  /** Checklist items and pass score are absent in versions published before checklists were scored. */
  skills: { code: string; title: string; criteria: string; passScore?: number; items?: ChecklistItem[] }[];
}

export interface Program extends ProgramContent {
  rules: ProgramRules;
}

/** The content part of a programme as loaded, always with the same shape and key order. */
export function contentOf(program: Program): ProgramContent {
  return {
    summary: program.summary,
    audience: program.audience,
    source: program.source,
    lessons: Object.fromEntries(
      Object.entries(program.lessons).map(([m, ls]) => [m, ls.map((l) => ({ code: l.code, title: l.title, markdown: l.markdown }))]),
    ),
    questions: program.questions.map((q) => ({
      id: q.id,
      moduleCode: q.moduleCode,
      type: q.type,
      stem: q.stem,
      options: q.options,
      answer: q.answer,
      explanation: q.explanation,
      ...(q.pool ? { pool: q.pool } : {}),
    })),
    skills: program.skills.map((s) => ({
      code: s.code,
      title: s.title,
      criteria: s.criteria,
      ...(s.items
        ? { passScore: s.passScore, items: s.items.map((i) => ({ code: i.code, text: i.text, points: i.points, key: i.key })) }
        : {}),
    })),
  };
}

/**
 * Where two versions of a programme's content differ, in words a content writer can act on
 * ("lesson home-safety/01-falls", "question fc-03", "skill transfer", "summary"); empty when equal.
 */
export function contentChanges(before: ProgramContent, after: ProgramContent): string[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const changes: string[] = [];
  for (const field of ["summary", "audience", "source"] as const) if (before[field] !== after[field]) changes.push(field);
  const keyed = <T>(label: string, a: T[], b: T[], key: (x: T) => string) => {
    const old = new Map(a.map((x) => [key(x), x]));
    const now = new Map(b.map((x) => [key(x), x]));
    for (const k of new Set([...old.keys(), ...now.keys()])) if (!same(old.get(k), now.get(k))) changes.push(`${label} ${k}`);
  };
  const lessons = (c: ProgramContent) => Object.entries(c.lessons).flatMap(([m, ls]) => ls.map((l) => ({ ...l, code: `${m}/${l.code}` })));
  keyed("lesson", lessons(before), lessons(after), (l) => l.code);
  keyed("question", before.questions, after.questions, (q) => q.id);
  keyed("skill", before.skills, after.skills, (s) => s.code);
  if (!changes.length && !same(before, after)) changes.push("order of lessons, questions or skills");
  return changes;
}

/** Whether a version splits theory hours into online study time and classroom attendance. */
export function splitsTheoryHours(rules: Pick<ProgramRules, "modules">): boolean {
  return rules.modules.length > 0 && rules.modules.every((m) => m.onlineHours !== undefined);
}

/** Classroom theory hours a version requires: its theory hours less every module's online share. */
export function classroomTheoryHours(rules: Pick<ProgramRules, "modules" | "hours">): number {
  const onlineTenths = rules.modules.reduce((n, m) => n + Math.round((m.onlineHours ?? 0) * 10), 0);
  return Math.max(0, rules.hours.theory * 10 - onlineTenths) / 10;
}

/** The options a question shows; true/false questions show the given words for false and true. */
export function questionOptions(q: Pick<Question, "type" | "options">, falseTrue: [string, string]): string[] {
  return q.type === "truefalse" ? falseTrue : q.options;
}
