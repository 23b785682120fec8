import { randomUUID } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import { db, prepared } from "../../db/client.server";
import { baseAssessments, organisations, users } from "../../db/schema";
import {
  assessmentStanding,
  halfYearOf,
  halfYearRange,
  isHalfYear,
  readItemScores,
  scoreAssessment,
  type AssessmentFacts,
  type AssessmentStanding,
  type AssessmentTemplate,
  type HalfYear,
} from "../domain/base-assessment";
import { assessmentTemplates } from "../content/assessment-templates.server";
import { isCalendarDate } from "../domain/dates";
import { recordAudit } from "./audit.server";
import { notify, staffOf } from "./notifications.server";
import { today } from "./clock.server";
import { failure, success, type FieldErrors, type ServiceResult } from "./result";

/** The template bureaus assess with: the only one shipped. */
export const TEMPLATE_CODE = "base-half-year";

export function currentTemplate(): AssessmentTemplate {
  const t = assessmentTemplates().get(TEMPLATE_CODE);
  if (!t) throw new Error(`content/assessments/${TEMPLATE_CODE}.yaml is missing`);
  return t;
}

const row = (sql: string, ...args: unknown[]) =>
  prepared(sql)
    .raw()
    .get(...args) as (number | null)[];

/**
 * What a base's records say about a half year, in one read per kind of record, each over indexed
 * rows of that base: cohorts running in it and their trainees, exams sat and passed in it by those
 * trainees, classroom hours attended of those scheduled, completions of cohorts that ended in it,
 * certificates issued and revoked, and rotation days signed off. Exams count for the trainees of
 * cohorts running in the half year. Revocations and rotation days walk the base's certificates and
 * placements by index; the other reads start from the half year's cohorts or dates.
 */
export function assessmentFacts(organisationId: string, period: HalfYear): AssessmentFacts {
  const { from, to } = halfYearRange(period);
  const running = [organisationId, to, from] as const;
  const cohortsIn = "select id from cohorts where organisation_id = ? and start_date <= ? and end_date >= ?";
  const [cohortsRun, enrolled] = row(
    `select count(distinct k.id), count(e.id) from cohorts k left join enrolments e on e.cohort_id = k.id and e.status != 'withdrawn'
     where k.organisation_id = ? and k.start_date <= ? and k.end_date >= ?`,
    ...running,
  );
  const [examSat, examPassed] = row(
    `select count(distinct a.enrolment_id), count(distinct case when a.passed = 1 then a.enrolment_id end)
     from assessment_attempts a join enrolments e on e.id = a.enrolment_id
     where e.cohort_id in (${cohortsIn}) and a.kind = 'exam' and a.submitted_at is not null and substr(a.submitted_at, 1, 10) between ? and ?`,
    ...running,
    from,
    to,
  );
  const [scheduledHours, attendedHours] = row(
    `select coalesce(sum(s.hours * (select count(*) from enrolments e where e.cohort_id = s.cohort_id and e.status != 'withdrawn')), 0),
            coalesce(sum((select sum(t.hours) from attendance t where t.session_id = s.id)), 0)
     from class_sessions s where s.cohort_id in (${cohortsIn}) and s.date between ? and ?`,
    ...running,
    from,
    to,
  );
  const [endedEnrolments, completedOfEnded] = row(
    `select count(*), coalesce(sum(e.status = 'completed'), 0) from enrolments e join cohorts k on k.id = e.cohort_id
     where k.organisation_id = ? and k.end_date between ? and ? and e.status != 'withdrawn'`,
    organisationId,
    from,
    to,
  );
  const [certified, instructorsCertified] = row(
    `select count(*), coalesce(sum(program_code = 'caregiver-instructor'), 0) from certificates
     where organisation_id = ? and issue_date between ? and ? and revoked_at is null and superseded_by_id is null`,
    organisationId,
    from,
    to,
  );
  const [revocations] = row(
    `select count(*) from certificates where organisation_id = ? and revoked_at is not null and substr(revoked_at, 1, 10) between ? and ?`,
    organisationId,
    from,
    to,
  );
  const [rotationDaysSigned] = row(
    `select count(*) from rotation_signoffs r join placements p on p.id = r.placement_id join enrolments e on e.id = p.enrolment_id join cohorts k on k.id = e.cohort_id
     where k.organisation_id = ? and r.kind = 'day' and r.status = 'approved' and r.date between ? and ?`,
    organisationId,
    from,
    to,
  );
  const n = (v: number | null | undefined) => v ?? 0;
  return {
    cohortsRun: n(cohortsRun),
    enrolled: n(enrolled),
    endedEnrolments: n(endedEnrolments),
    completedOfEnded: n(completedOfEnded),
    certified: n(certified),
    instructorsCertified: n(instructorsCertified),
    examSat: n(examSat),
    examPassed: n(examPassed),
    attendedHours: n(attendedHours),
    scheduledHours: n(scheduledHours),
    rotationDaysSigned: n(rotationDaysSigned),
    revocations: n(revocations),
  };
}

export interface AssessmentInput {
  period: string;
  assessedOn: string;
  inspectors: string;
  notes: string;
  scores: Record<string, string>;
}

/**
 * Records the bureau's assessment of a base for a half year that has begun: the facts are read
 * from the records now and kept with it, the inspectors' scores are checked item by item, and the
 * score and verdict follow from the template. Audit-logged in the same transaction.
 */
export function recordAssessment(
  actorUserId: string,
  bureauId: string,
  organisationId: string,
  input: AssessmentInput,
): ServiceResult<string> {
  const template = currentTemplate();
  const errors: FieldErrors = {};
  const now = today();
  if (!isHalfYear(input.period) || input.period > halfYearOf(now)) errors.period = "assessment.periodInvalid";
  if (
    !isCalendarDate(input.assessedOn) ||
    input.assessedOn > now ||
    (isHalfYear(input.period) && input.assessedOn < halfYearRange(input.period).from)
  ) {
    errors.assessedOn = "assessment.assessedOnInvalid";
  }
  const inspectors = input.inspectors.trim();
  if (!inspectors || inspectors.length > 100) errors.inspectors = "assessment.inspectorsRequired";
  if (input.notes.length > 1000) errors.notes = "assessment.notesTooLong";
  const { scores, errors: scoreErrors } = readItemScores(template, input.scores);
  for (const [item, message] of Object.entries(scoreErrors)) errors[`score:${item}`] = message;
  if (Object.keys(errors).length) return failure(errors);

  const period = input.period as HalfYear;
  const facts = assessmentFacts(organisationId, period);
  const score = scoreAssessment(template, facts, scores);
  const id = randomUUID();
  db().transaction((tx) => {
    tx.insert(baseAssessments)
      .values({
        id,
        organisationId,
        period,
        templateCode: template.code,
        templateVersion: template.version,
        facts: JSON.stringify(facts),
        itemScores: JSON.stringify(scores),
        scoreTenths: Math.round(score.total * 10),
        passed: score.passed,
        inspectors,
        assessedOn: input.assessedOn,
        notes: input.notes.trim(),
        authorityId: bureauId,
        recordedBy: actorUserId,
      })
      .run();
    const base = tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, organisationId)).get()?.name ?? "";
    const params = { base, period, score: score.total, passed: score.passed ? 1 : 0 };
    notify(
      tx,
      staffOf(tx, organisationId, "registrar").map((userId) => ({
        userId,
        kind: "assessment_result",
        params,
        link: `/bases/${organisationId}`,
        dedupeKey: `assessment_result:${id}`,
      })),
    );
    recordAudit(tx, {
      actorUserId,
      action: "base.assess",
      entityType: "organisation",
      entityId: organisationId,
      organisationId,
      details: { period, score: score.total, passed: score.passed, inspectors },
    });
  });
  return success(id);
}

/** A base's assessments, latest half year first (and within one, the latest recorded first). */
export function assessmentsOf(organisationId: string) {
  return db()
    .select({
      id: baseAssessments.id,
      period: baseAssessments.period,
      templateCode: baseAssessments.templateCode,
      templateVersion: baseAssessments.templateVersion,
      facts: baseAssessments.facts,
      itemScores: baseAssessments.itemScores,
      scoreTenths: baseAssessments.scoreTenths,
      passed: baseAssessments.passed,
      inspectors: baseAssessments.inspectors,
      assessedOn: baseAssessments.assessedOn,
      notes: baseAssessments.notes,
      recordedByName: users.name,
    })
    .from(baseAssessments)
    .leftJoin(users, eq(users.id, baseAssessments.recordedBy))
    .where(eq(baseAssessments.organisationId, organisationId))
    .orderBy(desc(baseAssessments.period), desc(baseAssessments.recordedAt))
    .all()
    .map((r) => ({
      ...r,
      period: r.period as HalfYear,
      score: r.scoreTenths / 10,
      facts: JSON.parse(r.facts) as AssessmentFacts,
      itemScores: JSON.parse(r.itemScores) as Record<string, number>,
    }));
}

/** The latest assessment of every base that has one: its half year and verdict. */
function latestVerdicts(): Map<string, { period: HalfYear; passed: boolean }> {
  const rows = prepared(
    `select organisation_id, period, passed from base_assessments a
     where recorded_at = (select max(recorded_at) from base_assessments b where b.organisation_id = a.organisation_id and b.period = (select max(period) from base_assessments c where c.organisation_id = a.organisation_id))`,
  )
    .raw()
    .all() as [string, HalfYear, number][];
  return new Map(rows.map(([org, period, passed]) => [org, { period, passed: passed === 1 }]));
}

/** Where each base stands for money that needs a passed assessment, as of today. */
export function assessmentStandings(on = today()): (organisationId: string) => AssessmentStanding {
  const latest = latestVerdicts();
  return (organisationId) => assessmentStanding(latest.get(organisationId) ?? null, on);
}

export interface BoardRow {
  organisationId: string;
  latest: { period: HalfYear; score: number; passed: boolean; assessedOn: string } | null;
  /** The score each half year got (its latest assessment), oldest first. */
  series: { period: HalfYear; score: number; passed: boolean }[];
}

/** Every base's assessments side by side: the latest, and one score per half year for the trend. */
export function assessmentBoard(organisationIds: string[]): BoardRow[] {
  const rows = prepared(
    `select organisation_id, period, score_tenths, passed, assessed_on from base_assessments
     where organisation_id in (select value from json_each(?)) order by organisation_id, period, recorded_at`,
  )
    .raw()
    .all(JSON.stringify(organisationIds)) as [string, HalfYear, number, number, string][];
  const byBase = new Map<string, Map<HalfYear, { score: number; passed: boolean; assessedOn: string }>>();
  // Ordered by recording within a half year: the last one written stands.
  for (const [org, period, tenths, passed, assessedOn] of rows) {
    if (!byBase.has(org)) byBase.set(org, new Map());
    byBase.get(org)!.set(period, { score: tenths / 10, passed: passed === 1, assessedOn });
  }
  return organisationIds.map((organisationId) => {
    const periods = [...(byBase.get(organisationId) ?? new Map()).entries()].sort(([a], [b]) => a.localeCompare(b));
    const series = periods.map(([period, r]) => ({ period, score: r.score, passed: r.passed }));
    const last = periods.at(-1);
    return { organisationId, latest: last ? { period: last[0], ...last[1] } : null, series };
  });
}
