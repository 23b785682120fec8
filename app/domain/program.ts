import type { DepartmentKind } from "../../db/schema";

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
  exam: { questionCount: number; timeLimitMinutes: number; passMark: number; maxAttempts: number };
  quiz: { questionCount: number; passMark: number };
  rotations: { departmentKind: DepartmentKind; days: number }[];
  certificate: { title: string; validityMonths: number | null };
  modules: { code: string; title: string; theoryHours: number; lessons: { code: string; title: string }[] }[];
  skills: { code: string; title: string }[];
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
}

export interface Lesson {
  code: string;
  title: string;
  markdown: string;
}

export interface Program {
  rules: ProgramRules;
  summary: string;
  audience: string;
  source: string;
  lessons: Record<string, Lesson[]>;
  questions: Question[];
  skills: { code: string; title: string; criteria: string }[];
}

/** The options a question shows; true/false questions show the given words for false and true. */
export function questionOptions(q: Pick<Question, "type" | "options">, falseTrue: [string, string]): string[] {
  return q.type === "truefalse" ? falseTrue : q.options;
}
