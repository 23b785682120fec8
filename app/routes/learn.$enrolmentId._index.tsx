import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ProgressBar } from "../components/ProgressBar";
import { missingLines } from "../i18n/missing-text";
import { useT } from "../i18n/use-t";
import { requireOwnEnrolment } from "../services/access.server";
import { enrolmentCompletion } from "../services/completion.server";
import { attemptsOf, lessonsDoneOf } from "../services/learning.server";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { enrolment } = requireOwnEnrolment(context, request, params.enrolmentId);
  const done = lessonsDoneOf(enrolment.id);
  const quizzes = attemptsOf(enrolment.id, "quiz");
  const exams = attemptsOf(enrolment.id, "exam");
  const rules = enrolment.rules;
  return {
    title: rules.title,
    summary: enrolment.program?.summary ?? "",
    exam: { ...rules.exam, attempts: exams.length, passed: exams.some((a) => a.passed), best: Math.max(0, ...exams.map((a) => a.scorePercent ?? 0)) },
    completion: enrolmentCompletion(enrolment.id),
    modules: rules.modules.map((m) => ({
      code: m.code,
      title: m.title,
      lessons: m.lessons.map((l) => ({ ...l, done: done.has(`${m.code}/${l.code}`) })),
      quizPassed: quizzes.some((q) => q.moduleCode === m.code && q.passed),
    })),
  };
}

export default function ProgrammeOverview() {
  const t = useT();
  const { title, summary, modules, completion, exam } = useLoaderData<typeof loader>();
  const examLeft = exam.maxAttempts - exam.attempts;
  return (
    <>
      <p>
        <Link to="/learn">← {t("learning.title")}</Link>
      </p>
      <h1>{title}</h1>
      <section className="card">
        <ProgressBar percent={completion.progress.percent} label={title} />
        <p>
          {completion.status === "completed" ? (
            <span className="status-completed">{t("progress.completed")}</span>
          ) : (
            t("learning.percent", { n: completion.progress.percent })
          )}
        </p>
        {completion.missing.length ? (
          <ul className="missing" data-testid="missing-list">
            {missingLines(completion.missing, t).map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        ) : null}
        <details>
          <summary className="muted">{t("learning.about")}</summary>
          <p>{summary}</p>
        </details>
      </section>
      {modules.map((m, i) => (
        <section className="card" key={m.code} data-module={m.code}>
          <h2>
            {i + 1}. {m.title}
          </h2>
          <ol className="lesson-list">
            {m.lessons.map((l) => (
              <li key={l.code}>
                <Link to={`lessons/${m.code}/${l.code}`}>{l.title}</Link> {l.done ? <span className="badge accredited">{t("learning.read")}</span> : null}
              </li>
            ))}
          </ol>
          <p className="actions">
            <Link to={`quiz/${m.code}`} className="button secondary-button">
              {t("quiz.take")}
            </Link>
            {m.quizPassed ? <span className="badge accredited">{t("quiz.passed")}</span> : null}
          </p>
        </section>
      ))}
      <section className="card">
        <h2>{t("exam.title")}</h2>
        <p className="muted">{t("exam.rules", { count: exam.questionCount, minutes: exam.timeLimitMinutes, pass: exam.passMark, attempts: exam.maxAttempts })}</p>
        {exam.passed ? (
          <p className="status-completed">{t("exam.passedWith", { score: exam.best })}</p>
        ) : examLeft > 0 ? (
          <Link to="exam" className="button">
            {t("exam.go")}
          </Link>
        ) : (
          <p className="error-text">{t("missing.exam.noAttemptsLeft")}</p>
        )}
      </section>
    </>
  );
}
