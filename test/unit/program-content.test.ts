import { describe, expect, it } from "vitest";
import { contentChanges, type ProgramContent } from "../../app/domain/program";

const base: ProgramContent = {
  summary: "家庭照护",
  audience: "家属",
  source: "方案",
  lessons: {
    "home-safety": [
      { code: "01-home", title: "居家环境", markdown: "正文" },
      { code: "02-falls", title: "防跌倒", markdown: "正文" },
    ],
  },
  questions: [
    { id: "q1", moduleCode: "home-safety", type: "single", stem: "床的高度", options: ["a", "b"], answer: [0], explanation: "" },
    { id: "q2", moduleCode: "home-safety", type: "truefalse", stem: "三个半分钟", options: [], answer: [1], explanation: "" },
  ],
  skills: [{ code: "fall-response", title: "跌倒处理", criteria: "不急于扶起" }],
};
const copy = (): ProgramContent => structuredClone(base);

describe("what changed between two versions of a programme's content", () => {
  it("is nothing for the same content", () => {
    expect(contentChanges(base, copy())).toEqual([]);
  });

  it("names each changed, added or removed lesson, question and skill", () => {
    const next = copy();
    next.lessons["home-safety"][1].markdown = "改过的正文";
    next.lessons["home-safety"].push({ code: "03-burns", title: "防烫伤", markdown: "正文" });
    next.questions[0].answer = [1];
    next.questions.pop();
    next.skills[0].criteria = "先检查意识";
    next.summary = "新的简介";
    expect(contentChanges(base, next)).toEqual([
      "summary",
      "lesson home-safety/02-falls",
      "lesson home-safety/03-burns",
      "question q1",
      "question q2",
      "skill fall-response",
    ]);
  });

  it("notices a new order even when every item is the same", () => {
    const next = copy();
    next.questions.reverse();
    expect(contentChanges(base, next)).toEqual(["order of lessons, questions or skills"]);
  });
});
