import type { TitledHandle } from "../route-handle";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { idViewer } from "../auth/current-user.server";
import { examProgress } from "../domain/completion";
import { shanghaiDate } from "../domain/dates";
import { residentIdFor } from "../domain/resident-id";
import { missingLines } from "../i18n/missing-text";
import { useT } from "../i18n/use-t";
import { translator } from "../i18n/messages";
import { requireCohort } from "../auth/access.server";
import { cohortProgressPage } from "../services/cohorts.server";
import { pageFrom } from "../domain/paging";
import { Pager } from "../components/Pager";
import { rulesOfVersion } from "../services/program-versions.server";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "cohort.tab.progress" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, cohort } = requireCohort(context, request, params, "view:base");
  const rules = rulesOfVersion(cohort.programVersionId);
  const t = translator(context.locale);
  const { rows, info } = cohortProgressPage(cohort.id, pageFrom(new URL(request.url).searchParams.get("page")));
  return {
    info,
    rules: { hours: rules.hours, rotations: rules.rotations.length },
    // Only what the table shows, with what is missing already in words: a cohort of a hundred
    // trainees would otherwise send every trainee's whole evaluation to the browser twice.
    rows: rows.map((r) => ({
      enrolmentId: r.enrolmentId,
      name: r.name,
      employerName: r.employerName,
      completedAt: r.completedAt,
      idNumber: residentIdFor(idViewer(user), r.userId, r.idNumber),
      progress: r.completion.progress,
      missing: missingLines(r.completion.missing, t),
    })),
  };
}

export default function CohortProgress() {
  const t = useT();
  const { rows, rules, info } = useLoaderData<typeof loader>();
  return (
    <section className="card">
      <div className="actions" style={{ justifyContent: "space-between" }}>
        <h2>{t("cohort.progressTitle")}</h2>
        <div className="actions no-print">
          <Link className="button" to="progress.xlsx" reloadDocument>
            {t("cohort.exportXlsx")}
          </Link>
          <Link className="button secondary-button" to="study-record.xlsx" reloadDocument>
            {t("cohort.studyRecordXlsx")}
          </Link>
        </div>
      </div>
      {rows.length === 0 ? <p className="muted">{t("cohort.noTrainees")}</p> : null}
      <TableWrap>
        <table data-testid="progress-table" className="cards">
          <thead>
            <tr>
              <th>{t("user.name")}</th>
              <th>{t("user.idNumber")}</th>
              <th className="num">{t("progress.theory")}</th>
              <th className="num">{t("progress.practice")}</th>
              <th className="num">{t("progress.modules")}</th>
              <th>{t("progress.exam")}</th>
              <th className="num">{t("progress.practicals")}</th>
              {rules.rotations ? <th className="num">{t("progress.rotations")}</th> : null}
              <th>{t("progress.status")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const p = r.progress;
              return (
                <tr key={r.enrolmentId} data-trainee={r.name}>
                  <td data-label={t("user.name")}>
                    <div>
                      {r.name}
                      {r.employerName ? <div className="muted">{r.employerName}</div> : null}
                      <div className="no-print">
                        <Link
                          to={`study-record/${r.enrolmentId}.pdf`}
                          reloadDocument
                          aria-label={t("cohort.studyRecordOf", { name: r.name })}
                        >
                          {t("cohort.studyRecordPdf")}
                        </Link>
                      </div>
                    </div>
                  </td>
                  <td data-label={t("user.idNumber")}>{r.idNumber ?? "—"}</td>
                  <td className="num" data-label={t("progress.theory")}>
                    {p.theoryHours}/{rules.hours.theory}
                  </td>
                  <td className="num" data-label={t("progress.practice")}>
                    {p.practiceHours}/{rules.hours.practice}
                  </td>
                  <td className="num" data-label={t("progress.modules")}>
                    {p.modulesDone}/{p.modulesTotal}
                  </td>
                  <td data-label={t("progress.exam")}>{t(`progress.exam.${examProgress(p)}`, { n: p.examAttempts })}</td>
                  <td className="num" data-label={t("progress.practicals")}>
                    {p.skillsPassed}/{p.skillsTotal}
                  </td>
                  {rules.rotations ? (
                    <td className="num" data-label={t("progress.rotations")}>
                      {p.rotationsDone}/{p.rotationsTotal}
                    </td>
                  ) : null}
                  <td data-label={t("progress.status")}>
                    {r.completedAt ? (
                      <span className="status-completed">
                        {t("progress.completed")} {shanghaiDate(r.completedAt)}
                      </span>
                    ) : (
                      <details>
                        <summary>
                          {t("progress.inProgress")} {p.percent}%
                        </summary>
                        <ul className="missing">
                          {r.missing.map((line, i) => (
                            <li key={i}>{line}</li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      <Pager info={info} />
    </section>
  );
}
