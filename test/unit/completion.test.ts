import { describe, expect, it } from "vitest";
import { evaluateCompletion, examProgress, type CompletionEvents } from "../../app/domain/completion";
import { missingLines } from "../../app/i18n/missing-text";
import { translator } from "../../app/i18n/messages";
import { sampleRules } from "../support/rules";

const rules = sampleRules();

/** Everything the sample programme asks for, met exactly. */
function allMet(): CompletionEvents {
  return {
    lessonsDone: ["m1/l1", "m1/l2", "m2/l1"],
    quizzesPassed: ["m1", "m2"],
    attendance: [
      { kind: "theory", hours: 4 }, // plus 6 from the two online modules = 10
      { kind: "practice", hours: 3 },
      { kind: "practice", hours: 3 },
    ],
    exam: { attempts: 1, passed: true },
    practicals: [
      { skillCode: "hand-hygiene", result: "pass", assessedOn: "2026-11-01", order: 1 },
      { skillCode: "turning", result: "pass", assessedOn: "2026-11-01", order: 2 },
    ],
    rotations: [{ departmentKind: "geriatrics", days: 5 }],
  };
}

describe("evaluateCompletion", () => {
  it("is completed when every requirement is met", () => {
    const result = evaluateCompletion(rules, allMet());
    expect(result.status).toBe("completed");
    expect(result.missing).toEqual([]);
    expect(result.progress.percent).toBe(100);
  });

  it("names missing theory hours, counting finished online modules", () => {
    const events = { ...allMet(), attendance: allMet().attendance.filter((a) => a.kind === "practice") };
    expect(evaluateCompletion(rules, events).missing).toEqual([{ kind: "theoryHours", have: 6, need: 10 }]);
  });

  it("names missing practice hours", () => {
    const events = { ...allMet(), attendance: allMet().attendance.slice(0, 2) };
    expect(evaluateCompletion(rules, events).missing).toEqual([{ kind: "practiceHours", have: 3, need: 6 }]);
  });

  it("names a module with unread lessons, and its hours stop counting", () => {
    const events = { ...allMet(), lessonsDone: ["m1/l1", "m2/l1"] };
    const result = evaluateCompletion(rules, events);
    expect(result.missing).toEqual([
      { kind: "theoryHours", have: 6, need: 10 },
      { kind: "module", module: "模块一", lessonsLeft: 1, quizPassed: true },
    ]);
  });

  it("names a module whose quiz is not passed", () => {
    const events = { ...allMet(), quizzesPassed: ["m1"], attendance: [...allMet().attendance, { kind: "theory" as const, hours: 2 }] };
    expect(evaluateCompletion(rules, events).missing).toEqual([{ kind: "module", module: "模块二", lessonsLeft: 0, quizPassed: false }]);
  });

  it("says whether the exam was not taken, failed, or has no attempts left", () => {
    const exam = (attempts: number) => evaluateCompletion(rules, { ...allMet(), exam: { attempts, passed: false } }).missing;
    expect(exam(0)).toEqual([{ kind: "exam", state: "notTaken", attemptsLeft: 2 }]);
    expect(exam(1)).toEqual([{ kind: "exam", state: "notPassed", attemptsLeft: 1 }]);
    expect(exam(2)).toEqual([{ kind: "exam", state: "noAttemptsLeft", attemptsLeft: 0 }]);
  });

  it("tells a progress table whether the exam was passed, never sat, or sat and failed", () => {
    const column = (attempts: number, passed: boolean) =>
      examProgress(evaluateCompletion(rules, { ...allMet(), exam: { attempts, passed } }).progress);
    expect(column(0, false)).toBe("notTaken");
    expect(column(1, false)).toBe("failed");
    expect(column(2, true)).toBe("passed");
  });

  it("counts the latest practical assessment of each skill", () => {
    const practicals = [
      { skillCode: "hand-hygiene", result: "pass" as const, assessedOn: "2026-11-01", order: 1 },
      { skillCode: "turning", result: "pass" as const, assessedOn: "2026-11-01", order: 2 },
      { skillCode: "turning", result: "fail" as const, assessedOn: "2026-11-05", order: 3 },
    ];
    expect(evaluateCompletion(rules, { ...allMet(), practicals }).missing).toEqual([{ kind: "skill", skill: "协助翻身", state: "failed" }]);
    const retaken = [...practicals, { skillCode: "turning", result: "pass" as const, assessedOn: "2026-11-05", order: 4 }];
    expect(evaluateCompletion(rules, { ...allMet(), practicals: retaken }).status).toBe("completed");
  });

  it("names a skill never assessed", () => {
    const practicals = allMet().practicals.slice(0, 1);
    expect(evaluateCompletion(rules, { ...allMet(), practicals }).missing).toEqual([
      { kind: "skill", skill: "协助翻身", state: "notAssessed" },
    ]);
  });

  it("names a rotation not yet long enough, in the right kind of department", () => {
    const rotations = [
      { departmentKind: "geriatrics" as const, days: 3 },
      { departmentKind: "neurology" as const, days: 10 },
    ];
    expect(evaluateCompletion(rules, { ...allMet(), rotations }).missing).toEqual([
      { kind: "rotation", departmentKind: "geriatrics", have: 3, need: 5 },
    ]);
  });

  it("judges each enrolment by the version it started on", () => {
    const v2 = sampleRules({ version: 2, hours: { theory: 16, practice: 6 } });
    expect(evaluateCompletion(rules, allMet()).status).toBe("completed");
    expect(evaluateCompletion(v2, allMet()).missing).toEqual([{ kind: "theoryHours", have: 10, need: 16 }]);
  });

  it("reports progress for a trainee who has just started", () => {
    const none: CompletionEvents = {
      lessonsDone: [],
      quizzesPassed: [],
      attendance: [],
      exam: { attempts: 0, passed: false },
      practicals: [],
      rotations: [],
    };
    const result = evaluateCompletion(rules, none);
    expect(result.status).toBe("in_progress");
    expect(result.progress.percent).toBe(0);
    expect(result.missing.map((m) => m.kind)).toEqual([
      "theoryHours",
      "practiceHours",
      "module",
      "module",
      "exam",
      "skill",
      "skill",
      "rotation",
    ]);
  });

  it("says what is missing in words", () => {
    const events = { ...allMet(), attendance: [], practicals: [], exam: { attempts: 1, passed: false } };
    const lines = missingLines(evaluateCompletion(rules, events).missing, translator("zh-CN"));
    expect(lines).toEqual([
      "理论学时 6/10，还差 4 学时",
      "实践学时 0/6，还差 6 学时",
      "结业考试未通过（还有 1 次机会）",
      "2 项技能未考核：七步洗手法、协助翻身",
    ]);
  });
});

describe("theory hours split between online study and the classroom", () => {
  // m1 takes 1.5 of its hours online, m2 0.5: of the 10 theory hours, 8 are classroom sessions.
  const split = sampleRules({
    version: 3,
    modules: [
      { ...rules.modules[0], onlineHours: 1.5 },
      { ...rules.modules[1], onlineHours: 0.5 },
    ],
  });
  const met = (): CompletionEvents => ({
    ...allMet(),
    attendance: [{ kind: "theory", hours: 8 }, ...allMet().attendance.slice(1)],
    studySeconds: { m1: 5_400, m2: 1_800 },
  });

  it("is completed with each module's online share studied and the classroom part attended", () => {
    const result = evaluateCompletion(split, met());
    expect(result.missing).toEqual([]);
    expect(result.progress).toMatchObject({ theoryHours: 10, onlineHours: 2, classroomHours: 8 });
  });

  it("counts study time, not ticks: every lesson read still leaves the module's online hours to study", () => {
    const result = evaluateCompletion(split, { ...met(), studySeconds: { m1: 1_260, m2: 1_800 } });
    expect(result.status).toBe("in_progress");
    expect(result.missing).toEqual([
      { kind: "theoryHours", have: 8.8, need: 10 },
      { kind: "onlineHours", module: "模块一", have: 0.3, need: 1.5 },
    ]);
  });

  it("caps online study at each module's share, so studying one module longer does not make up for another", () => {
    const result = evaluateCompletion(split, { ...met(), studySeconds: { m1: 36_000 } });
    expect(result.progress.onlineHours).toBe(1.5);
    expect(result.missing).toEqual([
      { kind: "theoryHours", have: 9.5, need: 10 },
      { kind: "onlineHours", module: "模块二", have: 0, need: 0.5 },
    ]);
  });

  it("names the classroom theory hours missing, and online study does not stand in for them", () => {
    const result = evaluateCompletion(split, { ...met(), attendance: allMet().attendance.slice(1) });
    expect(result.missing).toEqual([
      { kind: "theoryHours", have: 2, need: 10 },
      { kind: "classroomHours", have: 0, need: 8 },
    ]);
  });

  it("keeps the hours exact in tenths, and says in words which hours are missing", () => {
    const result = evaluateCompletion(split, { ...met(), attendance: allMet().attendance.slice(1), studySeconds: { m1: 1_080, m2: 720 } });
    expect(result.progress.theoryHours).toBe(0.5);
    expect(missingLines(result.missing, translator("zh-CN"))).toEqual([
      "理论学时 0.5/10，还差 9.5 学时",
      "课堂理论 0/8 学时，还差 8 学时",
      "2 个模块线上学习未满（学时）：模块一 0.3/1.5、模块二 0.2/0.5",
    ]);
  });

  it("leaves versions without the split counting a finished module's whole theory hours", () => {
    expect(evaluateCompletion(rules, { ...allMet(), studySeconds: {} }).status).toBe("completed");
    expect(evaluateCompletion(rules, allMet()).progress.onlineHours).toBeUndefined();
  });
});
