import type { TitledHandle } from "../route-handle";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { forbidden, requireUser, userCan } from "../auth/guard.server";
import { actorOf } from "../auth/current-user.server";
import { reachOf } from "../domain/permissions";
import { ScoreTrend } from "../components/ScoreTrend";
import { Notice } from "../components/Notice";
import { assessmentStanding } from "../domain/base-assessment";
import { useT } from "../i18n/use-t";
import { HalfYearText } from "../components/HalfYearText";
import { assessmentBoard, currentTemplate } from "../services/base-assessments.server";
import { trainingBasesWithStatus } from "../services/organisations.server";
import { today } from "../services/clock.server";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "assessment.board" };

const SORTS = ["name", "score", "period"] as const;
type Sort = (typeof SORTS)[number];

/** The bureau's bases side by side: latest assessment, standing for money, and the trend of scores. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const bases = trainingBasesWithStatus(reachOf(actorOf(user), ["assess:base"])).filter((b) =>
    userCan(user, "assess:base", { organisationId: b.id, regionPath: b.regionPath }),
  );
  if (bases.length === 0) throw forbidden();
  const params = new URL(request.url).searchParams;
  const sort: Sort = SORTS.find((s) => s === params.get("sort")) ?? "score";
  const descending = params.get("dir") !== "asc";
  const on = today();
  const board = assessmentBoard(bases.map((b) => b.id));
  const rows = bases.map((b, i) => ({ id: b.id, name: b.name, ...board[i], standing: assessmentStanding(board[i].latest, on) }));
  const key = (r: (typeof rows)[number]) =>
    sort === "name" ? r.name : sort === "period" ? (r.latest?.period ?? "") : (r.latest?.score ?? -1);
  rows.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
    return (descending ? -order : order) || a.name.localeCompare(b.name, "zh-CN");
  });
  return { rows, sort, descending, passMark: currentTemplate().passMark, title: currentTemplate().title };
}

export default function AssessmentBoard() {
  const t = useT();
  const { rows, sort, descending, passMark, title } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const sortLink = (s: Sort) => {
    const next = new URLSearchParams(params);
    next.set("sort", s);
    next.set("dir", s === sort && descending ? "asc" : "desc");
    return `?${next}`;
  };
  const header = (s: Sort, label: string) => (
    <th aria-sort={s === sort ? (descending ? "descending" : "ascending") : undefined}>
      <Link to={sortLink(s)}>
        {label}
        {s === sort ? (descending ? " ▼" : " ▲") : ""}
      </Link>
    </th>
  );
  return (
    <>
      <p>
        <Link to="/review">← {t("review.title")}</Link>
      </p>
      <h1>{title}</h1>
      <Notice />
      <p className="muted">{t("assessment.boardHint", { pass: passMark })}</p>
      <TableWrap className="card">
        <table data-testid="assessment-board">
          <thead>
            <tr>
              {header("name", t("org.name"))}
              {header("period", t("assessment.latestPeriod"))}
              {header("score", t("assessment.score"))}
              <th>{t("assessment.standing")}</th>
              <th>{t("assessment.trend")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-base={r.name}>
                <td data-label={t("org.name")}>
                  <a href={`/bases/${r.id}`}>{r.name}</a>
                </td>
                <td data-label={t("assessment.latestPeriod")}>
                  {r.latest ? <HalfYearText period={r.latest.period} /> : t("assessment.none")}
                </td>
                <td className="num" data-label={t("assessment.score")}>
                  {r.latest ? r.latest.score : "—"}
                </td>
                <td data-label={t("assessment.standing")}>
                  <span className={`badge ${r.standing === "passed" ? "accredited" : "suspended"}`}>
                    {t(`assessment.standing.${r.standing}`)}
                  </span>
                </td>
                <td data-label={t("assessment.trend")}>
                  <ScoreTrend series={r.series} passMark={passMark} />
                </td>
                <td>
                  <Link to={`/review/bases/${r.id}/assess`} className="button secondary-button">
                    {t("assessment.record")}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}
