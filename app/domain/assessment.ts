import type { ProgramRules, Question } from "./program";

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

function shuffle<T>(items: T[], random: () => number): T[] {
  const pool = [...items];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool;
}

/** The question with its options in a new order and the key following them (true/false keeps its two). */
function withShuffledOptions(q: Question, random: () => number): Question {
  if (q.type === "truefalse") return q;
  const order = shuffle(
    q.options.map((_, i) => i),
    random,
  );
  return { ...q, options: order.map((i) => q.options[i]), answer: order.flatMap((from, to) => (q.answer.includes(from) ? [to] : [])) };
}

function drawn({ id, type, stem, options, answer, explanation }: Question): DrawnQuestion {
  return { id, type, stem, options, answer, explanation };
}

export function drawQuestions(bank: Question[], count: number, seed: number, options: { shuffleOptions?: boolean } = {}): DrawnQuestion[] {
  const random = seededRandom(seed);
  return shuffle(bank, random)
    .slice(0, Math.min(count, bank.length))
    .map((q) => drawn(options.shuffleOptions ? withShuffledOptions(q, random) : q));
}

/**
 * The final exam's paper. With a blueprint: from the exam-only bank, as many questions from each
 * module as it says, in a random order, each with its options in a random order. Without one (older
 * versions): from every module's bank, as before.
 */
export function drawExam(rules: ProgramRules, questions: Question[], seed: number): DrawnQuestion[] {
  const inProgramme = questions.filter((q) => rules.modules.some((m) => m.code === q.moduleCode));
  const blueprint = rules.exam.blueprint;
  if (!blueprint)
    return drawQuestions(
      inProgramme.filter((q) => !q.pool),
      rules.exam.questionCount,
      seed,
    );
  const random = seededRandom(seed);
  const chosen = Object.entries(blueprint).flatMap(([moduleCode, count]) =>
    shuffle(
      inProgramme.filter((q) => q.pool === "exam" && q.moduleCode === moduleCode),
      random,
    ).slice(0, count),
  );
  return shuffle(chosen, random).map((q) => drawn(withShuffledOptions(q, random)));
}

/** A practice quiz: the module's practice questions only, never the exam's. */
export function practiceBank(questions: Question[], moduleCode: string): Question[] {
  return questions.filter((q) => q.moduleCode === moduleCode && !q.pool);
}

export type ExamGate =
  | { open: true }
  | { open: false; reason: "modulesIncomplete"; modules: string[] }
  | { open: false; reason: "waiting"; until: string }
  | { open: false; reason: "noAttemptsLeft" }
  | { open: false; reason: "passed" };

/**
 * Whether a new exam attempt may start now: not before every lesson is read and every quiz passed
 * (versions that say so), never beyond the attempts allowed, and after a failed attempt only once
 * the waiting time has passed.
 */
export function examGate(
  rules: ProgramRules,
  state: {
    lessonsDone: Set<string>;
    quizzesPassed: Set<string>;
    attempts: { submittedAt: string | null; startedAt: string; passed: boolean | null }[];
  },
  now: Date,
): ExamGate {
  if (state.attempts.some((a) => a.passed)) return { open: false, reason: "passed" };
  if (state.attempts.length >= rules.exam.maxAttempts) return { open: false, reason: "noAttemptsLeft" };
  if (rules.exam.gated) {
    const unfinished = rules.modules.filter(
      (m) => !state.quizzesPassed.has(m.code) || m.lessons.some((l) => !state.lessonsDone.has(`${m.code}/${l.code}`)),
    );
    if (unfinished.length) return { open: false, reason: "modulesIncomplete", modules: unfinished.map((m) => m.title) };
  }
  const wait = rules.exam.retryWaitHours ?? 0;
  const last = state.attempts
    .map((a) => a.submittedAt ?? a.startedAt)
    .sort()
    .at(-1);
  if (wait > 0 && last) {
    const until = new Date(Date.parse(last) + wait * 3_600_000);
    if (until > now) return { open: false, reason: "waiting", until: until.toISOString() };
  }
  return { open: true };
}

/** How many questions of a paper have no answer. */
export function unansweredCount(drawn: DrawnQuestion[], answers: Answers): number {
  return drawn.filter((q) => (answers[q.id] ?? []).length === 0).length;
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
