import { describe, expect, it } from "vitest";
import {
  answersFromForm,
  drawExam,
  drawQuestions,
  examGate,
  grade,
  isLate,
  practiceBank,
  publicQuestions,
  unansweredCount,
} from "../../app/domain/assessment";
import type { ProgramRules, Question } from "../../app/domain/program";

const bank: Question[] = Array.from({ length: 12 }, (_, i) => ({
  id: `q${i}`,
  moduleCode: "m",
  type: i % 3 === 0 ? "multiple" : i % 3 === 1 ? "single" : "truefalse",
  stem: `题目${i}`,
  options: i % 3 === 2 ? [] : ["甲", "乙", "丙", "丁"],
  answer: i % 3 === 0 ? [0, 2] : [1],
  explanation: "解析",
}));

function form(values: [string, string][]) {
  return { getAll: (name: string) => values.filter(([k]) => k === name).map(([, v]) => v) };
}

describe("drawing questions", () => {
  it("draws the requested number without repeats, the same way for the same seed", () => {
    const a = drawQuestions(bank, 5, 42);
    expect(a).toHaveLength(5);
    expect(new Set(a.map((q) => q.id)).size).toBe(5);
    expect(drawQuestions(bank, 5, 42)).toEqual(a);
    expect(drawQuestions(bank, 5, 43).map((q) => q.id)).not.toEqual(a.map((q) => q.id));
  });

  it("never asks for more than the bank holds", () => {
    expect(drawQuestions(bank, 50, 1)).toHaveLength(12);
  });

  it("keeps keys and explanations out of what the browser sees", () => {
    const shown = publicQuestions(drawQuestions(bank, 3, 7));
    for (const q of shown) {
      expect(q).not.toHaveProperty("answer");
      expect(q).not.toHaveProperty("explanation");
    }
  });
});

describe("grading", () => {
  const drawn = drawQuestions(bank, 12, 3);

  it("scores exact answers only, including every option of a multiple choice", () => {
    const all = Object.fromEntries(drawn.map((q) => [q.id, q.answer]));
    expect(grade(drawn, all, 80)).toMatchObject({ correct: 12, percent: 100, passed: true });
    const multiple = drawn.find((q) => q.type === "multiple")!;
    const partial = { ...all, [multiple.id]: [0] };
    expect(grade(drawn, partial, 80)).toMatchObject({ correct: 11, percent: 91, passed: true });
  });

  it("fails below the pass mark and counts blank answers as wrong", () => {
    const some = Object.fromEntries(drawn.slice(0, 9).map((q) => [q.id, q.answer]));
    expect(grade(drawn, some, 80)).toMatchObject({ correct: 9, percent: 75, passed: false });
  });

  it("reads answers from the submitted form, ignoring junk", () => {
    const q = drawn[0];
    const answers = answersFromForm(
      [q],
      form([
        [`q:${q.id}`, "2"],
        [`q:${q.id}`, "0"],
        [`q:${q.id}`, "x"],
        ["q:other", "1"],
      ]),
    );
    expect(answers).toEqual({ [q.id]: [0, 2] });
  });
});

describe("time limit", () => {
  it("accepts a submission within 15 seconds of the deadline and refuses one after", () => {
    const deadline = "2026-11-23T10:00:00.000Z";
    expect(isLate(deadline, "2026-11-23T10:00:14.000Z")).toBe(false);
    expect(isLate(deadline, "2026-11-23T10:00:16.000Z")).toBe(true);
  });
});

describe("the final exam's own bank", () => {
  const module = (code: string, lessons: string[]) => ({
    code,
    title: `模块${code}`,
    theoryHours: 2,
    lessons: lessons.map((l) => ({ code: l, title: l })),
  });
  const rules = {
    modules: [module("a", ["1", "2"]), module("b", ["1"])],
    exam: {
      questionCount: 5,
      timeLimitMinutes: 30,
      passMark: 80,
      maxAttempts: 3,
      blueprint: { a: 3, b: 2 },
      retryWaitHours: 24,
      gated: true,
    },
  } as unknown as ProgramRules;
  const question = (id: string, moduleCode: string, pool?: "exam"): Question => ({
    id,
    moduleCode,
    type: "single",
    stem: `题干${id}`,
    options: ["甲", "乙", "丙", "丁"],
    answer: [Number(id.replace(/\D/g, "")) % 4],
    explanation: "解析",
    ...(pool ? { pool } : {}),
  });
  const questions = [
    ...Array.from({ length: 10 }, (_, i) => question(`pa${i}`, "a")),
    ...Array.from({ length: 10 }, (_, i) => question(`pb${i}`, "b")),
    ...Array.from({ length: 6 }, (_, i) => question(`xa${i}`, "a", "exam")),
    ...Array.from({ length: 4 }, (_, i) => question(`xb${i}`, "b", "exam")),
  ];

  it("draws only exam questions, as many from each module as the blueprint says, never a practice one", () => {
    for (let seed = 1; seed < 50; seed++) {
      const paper = drawExam(rules, questions, seed);
      expect(paper.map((q) => q.id).every((id) => id.startsWith("x"))).toBe(true);
      expect(paper.filter((q) => q.id.startsWith("xa"))).toHaveLength(3);
      expect(paper.filter((q) => q.id.startsWith("xb"))).toHaveLength(2);
    }
    expect(practiceBank(questions, "a").every((q) => q.id.startsWith("pa"))).toBe(true);
  });

  it("orders questions and options at random, and the key follows its option", () => {
    const orders = new Set<string>();
    const optionOrders = new Set<string>();
    for (let seed = 1; seed < 40; seed++) {
      const paper = drawExam(rules, questions, seed);
      orders.add(paper.map((q) => q.id).join());
      for (const q of paper) {
        const original = questions.find((o) => o.id === q.id)!;
        optionOrders.add(q.options.join());
        expect(q.answer.map((i) => q.options[i])).toEqual(original.answer.map((i) => original.options[i]));
      }
    }
    expect(orders.size).toBeGreaterThan(30);
    expect(optionOrders.size).toBeGreaterThan(10);
  });

  it("stays closed until every lesson is read and every quiz passed, then waits after a failure, and stops at the limit", () => {
    const now = new Date("2026-12-02T08:00:00Z");
    const all = { lessonsDone: new Set(["a/1", "a/2", "b/1"]), quizzesPassed: new Set(["a", "b"]) };
    expect(examGate(rules, { lessonsDone: new Set(["a/1"]), quizzesPassed: new Set(["a"]), attempts: [] }, now)).toEqual({
      open: false,
      reason: "modulesIncomplete",
      modules: ["模块a", "模块b"],
    });
    expect(examGate(rules, { ...all, quizzesPassed: new Set(["a"]), attempts: [] }, now)).toEqual({
      open: false,
      reason: "modulesIncomplete",
      modules: ["模块b"],
    });
    expect(examGate(rules, { ...all, attempts: [] }, now)).toEqual({ open: true });
    const failed = { startedAt: "2026-12-01T09:00:00Z", submittedAt: "2026-12-01T09:30:00Z", passed: false };
    expect(examGate(rules, { ...all, attempts: [failed] }, now)).toEqual({
      open: false,
      reason: "waiting",
      until: "2026-12-02T09:30:00.000Z",
    });
    expect(examGate(rules, { ...all, attempts: [failed] }, new Date("2026-12-02T09:30:01Z"))).toEqual({ open: true });
    expect(examGate(rules, { ...all, attempts: [failed, failed, failed] }, new Date("2026-12-09T00:00:00Z"))).toEqual({
      open: false,
      reason: "noAttemptsLeft",
    });
    // A version without these rules keeps its old behaviour: no gate, no wait.
    const old = { ...rules, exam: { questionCount: 5, timeLimitMinutes: 30, passMark: 80, maxAttempts: 3 } } as ProgramRules;
    expect(examGate(old, { lessonsDone: new Set(), quizzesPassed: new Set(), attempts: [failed] }, now)).toEqual({ open: true });
    expect(drawExam(old, questions, 3).every((q) => q.id.startsWith("p"))).toBe(true);
  });

  it("counts the questions left blank", () => {
    const paper = drawExam(rules, questions, 9);
    expect(unansweredCount(paper, {})).toBe(5);
    expect(unansweredCount(paper, { [paper[0].id]: [1], [paper[1].id]: [] })).toBe(4);
  });
});
