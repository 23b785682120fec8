import { describe, expect, it } from "vitest";
import { answersFromForm, drawQuestions, grade, isLate, publicQuestions } from "../../app/domain/assessment";
import type { Question } from "../../app/domain/program";

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
    const answers = answersFromForm([q], form([[`q:${q.id}`, "2"], [`q:${q.id}`, "0"], [`q:${q.id}`, "x"], ["q:other", "1"]]));
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
