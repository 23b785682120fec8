import { describe, expect, it } from "vitest";
import { occupationRecognised } from "../../app/domain/occupations";

describe("which programmes train a recognised occupation", () => {
  it("医疗护理员, trained to the national syllabus", () => {
    expect(occupationRecognised({ occupation: "医疗护理员", level: "初级" })).toEqual({ recognised: true });
  });

  it("养老护理员 at a level of its national standard, and not without one", () => {
    expect(occupationRecognised({ occupation: "养老护理员", level: "四级/中级工" })).toEqual({ recognised: true });
    expect(occupationRecognised({ occupation: "养老护理员", level: "基础" })).toEqual({ recognised: false, reason: "levelMissing" });
  });

  it("not family caregivers, hospice training or instructor training, which are courses, not occupations", () => {
    for (const occupation of ["家庭照护者", "安宁疗护从业人员", "养老护理员师资"]) {
      expect(occupationRecognised({ occupation, level: "基础" }), occupation).toEqual({ recognised: false, reason: "notAnOccupation" });
    }
  });
});
