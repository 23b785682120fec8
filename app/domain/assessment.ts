import type { Question } from "./program";

/** A question as drawn for one attempt: the key stays on the server. */
export interface DrawnQuestion {
  id: string;
  type: Question["type"];
  stem: string;
  options: string[];
  answer: number[];
  explanation: string;
}

/** The same question as the trainee's browser may see it before submitting. */
export type PublicQuestion = Omit<DrawnQuestion, "answer" | "explanation">;

/** Mulberry32: a small seeded generator, so a draw is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function drawQuestions(bank: Question[], count: number, seed: number): DrawnQuestion[] {
  const random = seededRandom(seed);
  const pool = [...bank];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, Math.min(count, pool.length)).map(({ id, type, stem, options, answer, explanation }) => ({ id, type, stem, options, answer, explanation }));
}

export function publicQuestions(drawn: DrawnQuestion[]): PublicQuestion[] {
  return drawn.map(({ id, type, stem, options }) => ({ id, type, stem, options }));
}

export type Answers = Record<string, number[]>;

/** Reads answers from a submitted form: field `q:<id>` once per chosen option index. */
export function answersFromForm(drawn: DrawnQuestion[], form: { getAll(name: string): unknown[] }): Answers {
  const answers: Answers = {};
  for (const q of drawn) {
    const chosen = form
      .getAll(`q:${q.id}`)
      .map((v) => Number(v))
      .filter((n) => Number.isInteger(n) && n >= 0);
    answers[q.id] = [...new Set(chosen)].sort((a, b) => a - b);
  }
  return answers;
}

export interface Grade {
  correct: number;
  total: number;
  percent: number;
  passed: boolean;
  perQuestion: { id: string; correct: boolean }[];
}

/** A question scores only when the chosen options are exactly the right ones. */
export function grade(drawn: DrawnQuestion[], answers: Answers, passMark: number): Grade {
  const perQuestion = drawn.map((q) => {
    const given = answers[q.id] ?? [];
    const right = given.length === q.answer.length && given.every((a, i) => a === q.answer[i]);
    return { id: q.id, correct: right };
  });
  const correct = perQuestion.filter((p) => p.correct).length;
  const percent = drawn.length === 0 ? 0 : Math.floor((correct * 100) / drawn.length);
  return { correct, total: drawn.length, percent, passed: percent >= passMark, perQuestion };
}

/** Submissions are accepted up to a short grace after the deadline, for the network, not for answering. */
export const SUBMIT_GRACE_MS = 15_000;

export function isLate(deadlineAt: string, submittedAt: string): boolean {
  return Date.parse(submittedAt) > Date.parse(deadlineAt) + SUBMIT_GRACE_MS;
}
