/**
 * The health bureau's half-yearly assessment (考核) of a training base: indicators computed from the
 * base's records, plus inspectors' scores on the items of an assessment template
 * (content/assessments/*.yaml), against the template's pass mark. Pure rules; the records are
 * read in app/services/base-assessments.server.ts.
 */

/** A half year as "2026H1" (January–June) or "2026H2" (July–December), in China time. */
export type HalfYear = `${number}H${1 | 2}`;

export const HALF_YEAR = /^(\d{4})H([12])$/;

export function halfYearOf(date: string): HalfYear {
  return `${Number(date.slice(0, 4))}H${Number(date.slice(5, 7)) <= 6 ? 1 : 2}` as HalfYear;
}

export function halfYearRange(period: HalfYear): { from: string; to: string } {
  const [, year, half] = HALF_YEAR.exec(period)!;
  return half === "1" ? { from: `${year}-01-01`, to: `${year}-06-30` } : { from: `${year}-07-01`, to: `${year}-12-31` };
}

export function previousHalfYear(period: HalfYear): HalfYear {
  const [, year, half] = HALF_YEAR.exec(period)!;
  return (half === "2" ? `${year}H1` : `${Number(year) - 1}H2`) as HalfYear;
}

/** Half years compare as their text: "2025H2" < "2026H1". */
export const isHalfYear = (text: string): text is HalfYear => HALF_YEAR.test(text);

/** What the records say about a base over a half year. */
export interface AssessmentFacts {
  cohortsRun: number;
  enrolled: number;
  /** Enrolments of cohorts that ended in the half year, and how many of them completed. */
  endedEnrolments: number;
  completedOfEnded: number;
  certified: number;
  instructorsCertified: number;
  examSat: number;
  examPassed: number;
  attendedHours: number;
  scheduledHours: number;
  rotationDaysSigned: number;
  revocations: number;
}

/** The rates an assessment scores, each 0–1, or null when there was nothing to measure. */
export type RateCode = "completionRate" | "examPassRate" | "attendanceRate";
export const RATE_CODES: readonly RateCode[] = ["completionRate", "examPassRate", "attendanceRate"];

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export function rates(f: AssessmentFacts): Record<RateCode, number | null> {
  return {
    completionRate: rate(f.completedOfEnded, f.endedEnrolments),
    examPassRate: rate(f.examPassed, f.examSat),
    attendanceRate: rate(f.attendedHours, f.scheduledHours),
  };
}

export interface AssessmentTemplate {
  code: string;
  version: number;
  title: string;
  source: { document: string; section: string; quote: string };
  /** Points out of 100 needed to pass. */
  passMark: number;
  /** Rates scored from the records: full points at or above the target, in proportion below it. */
  indicators: { code: RateCode; title: string; points: number; target: number }[];
  /** What the inspectors score on site, each from 0 to its points. */
  items: { code: string; title: string; points: number; guidance: string }[];
  /** Revoked certificates in the half year take this many points each off the total. */
  revocationPenalty: number;
}

export interface AssessmentScore {
  indicatorPoints: Record<string, number>;
  itemPoints: Record<string, number>;
  penalty: number;
  /** Out of 100, to one decimal. */
  total: number;
  passed: boolean;
}

const tenth = (n: number) => Math.round(n * 10) / 10;

/**
 * An assessment's score. A rate with nothing to measure (no cohort ended, no exam sat) earns its
 * full points: a base is not marked down for what it had no chance to do. Inspector scores must
 * be whole points within each item's range (checked where they are entered).
 */
export function scoreAssessment(template: AssessmentTemplate, facts: AssessmentFacts, itemScores: Record<string, number>): AssessmentScore {
  const measured = rates(facts);
  const indicatorPoints: Record<string, number> = {};
  for (const i of template.indicators) {
    const value = measured[i.code];
    indicatorPoints[i.code] = tenth(value === null ? i.points : i.points * Math.min(1, value / i.target));
  }
  const itemPoints: Record<string, number> = {};
  for (const item of template.items) itemPoints[item.code] = itemScores[item.code] ?? 0;
  const penalty = facts.revocations * template.revocationPenalty;
  const sum = Object.values(indicatorPoints).reduce((a, b) => a + b, 0) + Object.values(itemPoints).reduce((a, b) => a + b, 0);
  const total = Math.max(0, tenth(sum - penalty));
  return { indicatorPoints, itemPoints, penalty, total, passed: total >= template.passMark };
}

/** Item scores as typed, each checked against its range: the errors are keyed by item code. */
export function readItemScores(
  template: AssessmentTemplate,
  typed: Record<string, string>,
): { scores: Record<string, number>; errors: Record<string, "assessment.scoreRange"> } {
  const scores: Record<string, number> = {};
  const errors: Record<string, "assessment.scoreRange"> = {};
  for (const item of template.items) {
    const text = (typed[item.code] ?? "").trim();
    const n = Number(text);
    if (!/^\d{1,3}$/.test(text) || n > item.points) errors[item.code] = "assessment.scoreRange";
    else scores[item.code] = n;
  }
  return { scores, errors };
}

/**
 * Where a base stands for money that requires a passed assessment: its latest assessment must have
 * passed and cover the last finished half year or a later one.
 */
export type AssessmentStanding = "passed" | "failed" | "missing";

export function assessmentStanding(latest: { period: HalfYear; passed: boolean } | null, today: string): AssessmentStanding {
  if (!latest || latest.period < previousHalfYear(halfYearOf(today))) return "missing";
  return latest.passed ? "passed" : "failed";
}
