import type { AssessmentFacts, AssessmentTemplate } from "../domain/base-assessment";
import { useT } from "../i18n/use-t";
import { AssessmentFactsList } from "./AssessmentFacts";
import { HalfYearText } from "./HalfYearText";

export interface HistoryRow {
  id: string;
  period: string;
  assessedOn: string;
  score: number;
  passed: boolean;
  inspectors: string;
  notes: string;
  facts: AssessmentFacts;
  itemScores: Record<string, number>;
}

/** A base's assessments, latest first, each opening to the records and item scores behind it. */
export function AssessmentHistory({ history, template }: { history: HistoryRow[]; template: Pick<AssessmentTemplate, "items"> }) {
  const t = useT();
  if (history.length === 0) return <p className="muted">{t("assessment.none")}</p>;
  return (
    <ul className="plain-list" data-testid="assessment-history">
      {history.map((a) => (
        <li key={a.id}>
          <details>
            <summary>
              <HalfYearText period={a.period} /> · {a.assessedOn} · {t("assessment.scoreIs", { score: a.score })}{" "}
              <span className={`badge ${a.passed ? "accredited" : "suspended"}`}>
                {a.passed ? t("assessment.passed") : t("assessment.failed")}
              </span>
            </summary>
            <p className="muted">
              {t("assessment.inspectors")}：{a.inspectors}
              {a.notes ? ` · ${a.notes}` : ""}
            </p>
            <ul>
              {template.items.map((i) => (
                <li key={i.code}>
                  {i.title}：{a.itemScores[i.code] ?? "—"}/{i.points}
                </li>
              ))}
            </ul>
            <AssessmentFactsList facts={a.facts} />
          </details>
        </li>
      ))}
    </ul>
  );
}
