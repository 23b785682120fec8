import { describe, expect, it } from "vitest";
import {
  assessmentStanding,
  halfYearOf,
  halfYearRange,
  previousHalfYear,
  rates,
  readItemScores,
  scoreAssessment,
  type AssessmentFacts,
  type AssessmentTemplate,
} from "../../app/domain/base-assessment";

const template: AssessmentTemplate = {
  code: "t",
  version: 1,
  title: "半年考核",
  source: { document: "d", section: "s", quote: "q" },
  passMark: 60,
  indicators: [
    { code: "completionRate", title: "结业率", points: 20, target: 0.8 },
    { code: "examPassRate", title: "考试通过率", points: 10, target: 0.9 },
    { code: "attendanceRate", title: "出勤率", points: 10, target: 0.9 },
  ],
  items: [
    { code: "facilities", title: "场地设施", points: 30, guidance: "…" },
    { code: "records", title: "档案管理", points: 30, guidance: "…" },
  ],
  revocationPenalty: 5,
};

const facts = (over: Partial<AssessmentFacts> = {}): AssessmentFacts => ({
  cohortsRun: 2,
  enrolled: 40,
  endedEnrolments: 20,
  completedOfEnded: 16,
  certified: 16,
  instructorsCertified: 0,
  examSat: 18,
  examPassed: 9,
  attendedHours: 450,
  scheduledHours: 500,
  rotationDaysSigned: 0,
  revocations: 0,
  ...over,
});

describe("half years", () => {
  it("run January–June and July–December, and step back across the new year", () => {
    expect(halfYearOf("2026-06-30")).toBe("2026H1");
    expect(halfYearOf("2026-07-01")).toBe("2026H2");
    expect(halfYearRange("2026H2")).toEqual({ from: "2026-07-01", to: "2026-12-31" });
    expect(previousHalfYear("2026H1")).toBe("2025H2");
    expect(previousHalfYear("2026H2")).toBe("2026H1");
  });
});

describe("indicators", () => {
  it("are rates of what the records hold, or nothing when there was nothing to measure", () => {
    expect(rates(facts())).toEqual({ completionRate: 0.8, examPassRate: 0.5, attendanceRate: 0.9 });
    expect(rates(facts({ endedEnrolments: 0, completedOfEnded: 0, examSat: 0, examPassed: 0 }))).toMatchObject({
      completionRate: null,
      examPassRate: null,
    });
  });
});

describe("scoring", () => {
  it("gives a rate's full points at its target and a share below it, and adds the inspectors' scores", () => {
    const s = scoreAssessment(template, facts(), { facilities: 25, records: 20 });
    expect(s.indicatorPoints).toEqual({ completionRate: 20, examPassRate: 5.6, attendanceRate: 10 });
    expect(s.total).toBe(80.6);
    expect(s.passed).toBe(true);
  });

  it("fails below the pass mark, and takes points off for each revoked certificate", () => {
    const s = scoreAssessment(template, facts({ revocations: 5 }), { facilities: 15, records: 10 });
    expect(s.penalty).toBe(25);
    expect(s.total).toBe(35.6);
    expect(s.passed).toBe(false);
  });

  it("does not mark a base down for a rate it had no chance to earn", () => {
    const s = scoreAssessment(template, facts({ examSat: 0, examPassed: 0 }), { facilities: 0, records: 0 });
    expect(s.indicatorPoints.examPassRate).toBe(10);
  });

  it("passes exactly at the pass mark", () => {
    expect(scoreAssessment(template, facts({ examSat: 0, examPassed: 0 }), { facilities: 20, records: 0 }).passed).toBe(true);
    expect(scoreAssessment(template, facts({ examSat: 0, examPassed: 0 }), { facilities: 19, records: 0 }).passed).toBe(false);
  });

  it("refuses item scores out of range or not whole, by item", () => {
    expect(readItemScores(template, { facilities: "31", records: "2.5" }).errors).toEqual({
      facilities: "assessment.scoreRange",
      records: "assessment.scoreRange",
    });
    expect(readItemScores(template, { facilities: "30", records: "0" })).toEqual({ scores: { facilities: 30, records: 0 }, errors: {} });
  });
});

describe("standing", () => {
  it("needs a passed assessment of the last finished half year or later", () => {
    expect(assessmentStanding(null, "2026-12-02")).toBe("missing");
    expect(assessmentStanding({ period: "2025H2", passed: true }, "2026-12-02")).toBe("missing");
    expect(assessmentStanding({ period: "2026H1", passed: true }, "2026-12-02")).toBe("passed");
    expect(assessmentStanding({ period: "2026H2", passed: false }, "2026-12-02")).toBe("failed");
    expect(assessmentStanding({ period: "2025H2", passed: true }, "2026-03-01")).toBe("passed");
  });
});
