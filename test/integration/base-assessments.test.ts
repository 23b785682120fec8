import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { auditLog, baseAssessments, organisations } from "../../db/schema";
import { halfYearOf, previousHalfYear, type AssessmentFacts } from "../../app/domain/base-assessment";
import {
  assessmentFacts,
  assessmentsOf,
  assessmentStandings,
  currentTemplate,
  recordAssessment,
} from "../../app/services/base-assessments.server";
import { issueCertificate } from "../../app/services/certificates.server";
import { today } from "../../app/services/clock.server";
import { claimableHeads, policyByCode } from "../../app/services/subsidy/eligibility.server";
import { checkCharacter } from "../../app/domain/resident-id";
import { seedDemoActivity } from "../../app/demo/demo-activity.server";
import { cohortWithTrainees, completeEnrolment, orgId, userId, withDemoData } from "./fixtures";

const bureau = () =>
  db()
    .select()
    .from(organisations)
    .all()
    .find((o) => o.kind === "health_bureau" && o.regionCode === "330111")!.id;
const fullMarks = () => Object.fromEntries(currentTemplate().items.map((i) => [i.code, String(i.points)]));
const noMarks = () => Object.fromEntries(currentTemplate().items.map((i) => [i.code, "0"]));
const input = (period: string, scores: Record<string, string>) => ({
  period,
  assessedOn: today(),
  inspectors: "张检查、李督导",
  notes: "",
  scores,
});

beforeAll(async () => {
  await withDemoData();
  // 富阳's instructor cohorts and their certificates: heads the instructor subsidy can pay.
  await seedDemoActivity();
}, 60_000);

describe("the demo", () => {
  it("has 富阳's base passed last half year and failed this one, its waiting heads blocked with that reason", () => {
    const history = assessmentsOf(orgId("BASE-FY"));
    expect(history.map((a) => [a.period, a.passed])).toEqual([
      [halfYearOf(today()), false],
      [previousHalfYear(halfYearOf(today())), true],
    ]);
    expect(assessmentStandings()(orgId("BASE-FY"))).toBe("failed");
    const { eligible, ineligible } = claimableHeads(policyByCode("instructor-training-subsidy")!, orgId("BASE-FY"), {
      from: "2025-01-01",
      to: "2027-12-31",
    });
    expect(eligible).toEqual([]);
    expect(ineligible.length).toBeGreaterThan(0);
    expect(ineligible.every((h) => h.reasons.includes("baseAssessmentFailed"))).toBe(true);
    expect(assessmentStandings()(orgId("BASE-GERI"))).toBe("passed");
  });
});

describe("the facts behind an assessment", () => {
  it("count what the base's records hold for the half year", async () => {
    // The fixture's cohorts run 2026-09-01 to 2026-11-30.
    const before = assessmentFacts(orgId("BASE-GERI"), "2026H2");
    const people = [0, 1, 2].map((i) => {
      const first17 = `330105199203014${i}${i}`;
      return { name: `考核学员${i}`, mobile: `1361111000${i}`, idNumber: first17 + checkCharacter(first17) };
    });
    const { cohort, enrolmentIds } = await cohortWithTrainees("BASE-GERI", people);
    await completeEnrolment(cohort, enrolmentIds[0]);
    await completeEnrolment(cohort, enrolmentIds[1]);
    const issued = await issueCertificate(userId("registrar"), enrolmentIds[0], "2026-12-01");
    expect(issued.ok).toBe(true);
    const after = assessmentFacts(orgId("BASE-GERI"), "2026H2");
    const delta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof AssessmentFacts]]));
    expect(delta).toMatchObject({
      cohortsRun: 1,
      enrolled: 3,
      endedEnrolments: 3,
      completedOfEnded: 2,
      certified: 1,
      examSat: 2,
      examPassed: 2,
    });
    // Each completed trainee attended every session in full; the third attended none.
    expect(delta.scheduledHours).toBe(3 * (delta.attendedHours / 2));
    expect(assessmentFacts(orgId("BASE-GERI"), "2020H1")).toMatchObject({ cohortsRun: 0, enrolled: 0, certified: 0 });
  });
});

describe("recording an assessment", () => {
  it("refuses a half year not yet begun and scores out of range, item by item, saving nothing", () => {
    const before = db().select().from(baseAssessments).all().length;
    const scores = { ...fullMarks(), facilities: "99", records: "x" };
    const result = recordAssessment(userId("reviewer.fy"), bureau(), orgId("BASE-FY"), { ...input("2099H1", scores), inspectors: " " });
    expect(result).toEqual({
      ok: false,
      errors: {
        period: "assessment.periodInvalid",
        assessedOn: "assessment.assessedOnInvalid",
        inspectors: "assessment.inspectorsRequired",
        "score:facilities": "assessment.scoreRange",
        "score:records": "assessment.scoreRange",
      },
    });
    expect(db().select().from(baseAssessments).all()).toHaveLength(before);
  });

  it("keeps the facts, the scores and the verdict, and logs who assessed", () => {
    const period = halfYearOf(today());
    const result = recordAssessment(userId("reviewer.fy"), bureau(), orgId("BASE-FY"), input(period, fullMarks()));
    expect(result.ok).toBe(true);
    const [row] = assessmentsOf(orgId("BASE-FY"));
    expect(row).toMatchObject({ period, passed: true, inspectors: "张检查、李督导", facts: assessmentFacts(orgId("BASE-FY"), period) });
    expect(row.score).toBeGreaterThanOrEqual(60);
    const logged = db().select().from(auditLog).where(eq(auditLog.action, "base.assess")).all();
    expect(logged.map((l) => JSON.parse(l.details))).toContainEqual(expect.objectContaining({ period, passed: true }));
  });
});

describe("money that needs a passed assessment", () => {
  const policy = () => policyByCode("instructor-training-subsidy")!;
  const heads = () => claimableHeads(policy(), orgId("BASE-FY"), { from: "2025-01-01", to: "2027-12-31" });

  it("follows the base's latest assessment: passed, then failed on reassessment", () => {
    expect(assessmentStandings()(orgId("BASE-FY"))).toBe("passed");
    expect(heads().eligible.length).toBeGreaterThan(0);
    const reassessed = recordAssessment(userId("reviewer.fy"), bureau(), orgId("BASE-FY"), input(halfYearOf(today()), noMarks()));
    expect(reassessed.ok).toBe(true);
    expect(assessmentStandings()(orgId("BASE-FY"))).toBe("failed");
    const { eligible, ineligible } = heads();
    expect(eligible).toEqual([]);
    expect(ineligible.length).toBeGreaterThan(0);
    expect(ineligible.every((h) => h.reasons.includes("baseAssessmentFailed"))).toBe(true);
  });

  it("blocks a base with no assessment of the last half year, saying so", () => {
    expect(assessmentStandings()(orgId("BASE-REHAB"))).toBe("missing");
    const old = previousHalfYear(previousHalfYear(halfYearOf(today())));
    expect(assessmentStandings("2099-01-01")(orgId("BASE-FY"))).toBe("missing");
    expect(old < previousHalfYear(halfYearOf(today()))).toBe(true);
  });

  it("leaves policies without the condition as they were", () => {
    const p = policy();
    expect(p.conditions).toContain("latest_assessment_passed");
    const without = { ...p, conditions: p.conditions.filter((c) => c !== "latest_assessment_passed") };
    expect(claimableHeads(without, orgId("BASE-FY"), { from: "2025-01-01", to: "2027-12-31" }).eligible.length).toBeGreaterThan(0);
  });
});
