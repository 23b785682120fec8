import { describe, expect, it } from "vitest";
import { nextStep, type CourseState } from "../../app/domain/next-step";

const course = (over: Partial<CourseState> = {}): CourseState => ({
  completed: false,
  modules: [
    {
      code: "m1",
      title: "基础照护",
      quizPassed: false,
      lessons: [
        { code: "l1", title: "概述", done: true },
        { code: "l2", title: "体位", done: false },
      ],
    },
    { code: "m2", title: "安全", quizPassed: false, lessons: [{ code: "l1", title: "防跌倒", done: false }] },
  ],
  exam: { passed: false, attemptsLeft: 3 },
  ...over,
});

const allRead = (c: CourseState) => ({
  ...c,
  modules: c.modules.map((m) => ({ ...m, lessons: m.lessons.map((l) => ({ ...l, done: true })) })),
});

describe("a trainee's next step", () => {
  it("is the first lesson not yet read, in course order", () => {
    expect(nextStep(course())).toEqual({
      kind: "lesson",
      moduleCode: "m1",
      lessonCode: "l2",
      moduleTitle: "基础照护",
      lessonTitle: "体位",
    });
  });

  it("is the first quiz not passed once every lesson is read", () => {
    const read = allRead(course());
    expect(nextStep({ ...read, modules: [{ ...read.modules[0], quizPassed: true }, read.modules[1]] })).toEqual({
      kind: "quiz",
      moduleCode: "m2",
      moduleTitle: "安全",
    });
  });

  it("is the final exam once every quiz is passed, while attempts remain", () => {
    const ready = { ...allRead(course()), modules: allRead(course()).modules.map((m) => ({ ...m, quizPassed: true })) };
    expect(nextStep(ready)).toEqual({ kind: "exam" });
    expect(nextStep({ ...ready, exam: { passed: true, attemptsLeft: 2 } })).toEqual({ kind: "await-records" });
    expect(nextStep({ ...ready, exam: { passed: false, attemptsLeft: 0 } })).toEqual({ kind: "await-records" });
  });

  it("is nothing once the programme is completed", () => {
    expect(nextStep(course({ completed: true }))).toEqual({ kind: "done" });
  });
});
