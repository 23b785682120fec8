import { Fragment } from "react";
import { rates, type AssessmentFacts as Facts } from "../domain/base-assessment";
import { useT } from "../i18n/use-t";

const COUNTS = [
  "cohortsRun",
  "enrolled",
  "endedEnrolments",
  "completedOfEnded",
  "certified",
  "instructorsCertified",
  "examSat",
  "examPassed",
  "rotationDaysSigned",
  "revocations",
] as const;

const percent = (r: number | null) => (r === null ? "—" : `${Math.round(r * 1000) / 10}%`);

/** The records behind an assessment: the counts, and the rates the template scores, each with what it was computed from. */
export function AssessmentFactsList({ facts }: { facts: Facts }) {
  const t = useT();
  const r = rates(facts);
  return (
    <dl className="facts" data-testid="assessment-facts">
      {COUNTS.map((k) => (
        <Fragment key={k}>
          <dt>{t(`assessment.fact.${k}`)}</dt>
          <dd className="num">{facts[k]}</dd>
        </Fragment>
      ))}
      <dt>{t("assessment.fact.completionRate")}</dt>
      <dd>
        {percent(r.completionRate)}{" "}
        <span className="muted">
          （{facts.completedOfEnded}/{facts.endedEnrolments}）
        </span>
      </dd>
      <dt>{t("assessment.fact.examPassRate")}</dt>
      <dd>
        {percent(r.examPassRate)}{" "}
        <span className="muted">
          （{facts.examPassed}/{facts.examSat}）
        </span>
      </dd>
      <dt>{t("assessment.fact.attendanceRate")}</dt>
      <dd>
        {percent(r.attendanceRate)}{" "}
        <span className="muted">（{t("assessment.hoursOf", { have: facts.attendedHours, need: facts.scheduledHours })}）</span>
      </dd>
    </dl>
  );
}
