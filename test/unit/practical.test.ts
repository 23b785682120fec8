import { describe, expect, it } from "vitest";
import { checklistProblems, isScored, sameExaminer, scoreChecklist, type ScoredSkill } from "../../app/domain/practical";

/** A bed-to-wheelchair transfer: the brake and not pulling the weak arm are key items. */
const transfer: ScoredSkill = {
  passScore: 80,
  items: [
    { code: "position", text: "轮椅置于健侧", points: 10, key: false },
    { code: "brake", text: "刹车并翻起脚踏板", points: 5, key: true },
    { code: "dizziness", text: "询问头晕", points: 15, key: false },
    { code: "knee-block", text: "抵住患侧膝", points: 20, key: false },
    { code: "no-pull-arm", text: "不牵拉患侧上肢", points: 20, key: true },
    { code: "pivot-sit", text: "转身坐下", points: 20, key: false },
    { code: "back", text: "腰背挺直", points: 10, key: false },
  ],
};
const all = (met: boolean) => Object.fromEntries(transfer.items.map((i) => [i.code, met]));

describe("scoring a practical skill by its checklist", () => {
  it("passes with every item met", () => {
    expect(scoreChecklist(transfer, all(true))).toEqual({ score: 100, keyItemsFailed: [], passed: true });
  });

  it("fails at 95 points when the one missed item is a key item", () => {
    expect(scoreChecklist(transfer, { ...all(true), brake: false })).toEqual({ score: 95, keyItemsFailed: ["brake"], passed: false });
  });

  it("passes at exactly the pass score with every key item met", () => {
    expect(scoreChecklist(transfer, { ...all(true), "knee-block": false })).toEqual({ score: 80, keyItemsFailed: [], passed: true });
  });

  it("fails one point below the pass score", () => {
    const skill = { ...transfer, passScore: 81 };
    expect(scoreChecklist(skill, { ...all(true), "knee-block": false })).toMatchObject({ score: 80, passed: false, keyItemsFailed: [] });
  });

  it("counts unmarked items as not met, and lists every failed key item in checklist order", () => {
    expect(scoreChecklist(transfer, { position: true })).toEqual({ score: 10, keyItemsFailed: ["brake", "no-pull-arm"], passed: false });
  });

  it("ignores marks for items the checklist does not have", () => {
    expect(scoreChecklist(transfer, { ...all(true), forged: true, brake: false }).score).toBe(95);
  });
});

describe("a checklist as written", () => {
  it("is usable when codes are unique and points add up to 100", () => {
    expect(checklistProblems(transfer)).toEqual([]);
  });

  it("names a code used twice, points that do not add up, and a pass score above them", () => {
    const broken = { passScore: 120, items: [...transfer.items.slice(0, 6), { ...transfer.items[0], points: 5 }] };
    expect(checklistProblems(broken)).toEqual([
      ["items.6.code", '"position" is listed twice in this skill'],
      ["items", "points add up to 95; they must add up to 100"],
      ["pass_score", "120 is more than the 95 points the items give"],
    ]);
  });

  it("tells a scored skill from one of a version published before checklists", () => {
    expect(isScored({ code: "x", ...transfer })).toBe(true);
    expect(isScored({ code: "x", title: "旧", criteria: "……" })).toBe(false);
  });
});

describe("two examiners", () => {
  it("are the same person whatever the spaces", () => {
    expect(sameExaminer("王丽华", " 王 丽华 ")).toBe(true);
    expect(sameExaminer("王丽华", "李明")).toBe(false);
  });
});
