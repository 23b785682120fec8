import type { TitledHandle } from "../route-handle";
import { nextStep, type NextStep } from "../domain/next-step";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ProgressBar } from "../components/ProgressBar";
import { missingLines } from "../i18n/missing-text";
import { useT } from "../i18n/use-t";
import { requireOwnEnrolment } from "../auth/access.server";
import { storedCompletion } from "../services/completion.server";
import { attemptsOf, lessonsDoneOf, studiedSecondsByLesson } from "../services/learning.server";
import { creditedOnlineHours } from "../domain/study-time";
import { classroomTheoryHours, splitsTheoryHours } from "../domain/program";
import { effectiveEnd } from "../domain/rotation";
import { placementList } from "../services/rotations/placements.server";
import { signoffsOf } from "../services/rotations/signoffs.server";
import { placementRecord } from "../domain/rotation";

export const handle: TitledHandle = { title: "nav.learning" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { enrolment } = requireOwnEnrolment(context, request, params.enrolmentId);
  const done = lessonsDoneOf(enrolment.id);
  const studied = studiedSecondsByLesson(enrolment.id);
  const quizzes = attemptsOf(enrolment.id, "quiz");
  const exams = attemptsOf(enrolment.id, "exam");
  const rules = enrolment.rules;
  const placements = placementList({ enrolmentIds: [enrolment.id] });
  const signoffs = signoffsOf(placements.map((p) => p.id));
  return {
    rotations: {
      required: rules.rotations,
      placements: placements.map((p) => {
        const own = signoffs.filter((s) => s.placementId === p.id);
        return {
          id: p.id,
          departmentName: p.departmentName,
          mentorName: p.mentorName,
          startDate: p.startDate,
          end: effectiveEnd(p),
          endedEarly: !!p.endedEarlyOn,
          record: placementRecord(p.requiredDays, own),
          signed: own
            .filter((s) => s.status === "approved")
            .map((s) => ({ id: s.id, kind: s.kind, date: s.date, skillCode: s.skillCode, passed: s.passed, comments: s.comments })),
        };
      }),
      skillTitles: Object.fromEntries(rules.skills.map((sk) => [sk.code, sk.title])),
    },
    title: rules.title,
    summary: enrolment.content?.summary ?? "",
    exam: {
      ...rules.exam,
      attempts: exams.length,
      passed: exams.some((a) => a.passed),
      best: Math.max(0, ...exams.map((a) => a.scorePercent ?? 0)),
    },
    // As stored when an event last changed it, like the cohort's progress table: the two never disagree.
    completion: storedCompletion(enrolment),
    // Completion is recorded once: a later failed retake does not undo it (certificates and claims rest on it).
    completed: enrolment.status === "completed",
    hours: {
      theory: rules.hours.theory,
      practice: rules.hours.practice,
      classroom: splitsTheoryHours(rules) ? classroomTheoryHours(rules) : null,
    },
    modules: rules.modules.map((m) => {
      const lessons = m.lessons.map((l) => ({
        ...l,
        done: done.has(`${m.code}/${l.code}`),
        minutes: Math.floor((studied.get(`${m.code}/${l.code}`) ?? 0) / 60),
      }));
      const seconds = m.lessons.reduce((n, l) => n + (studied.get(`${m.code}/${l.code}`) ?? 0), 0);
      return {
        code: m.code,
        title: m.title,
        lessons,
        minutes: Math.floor(seconds / 60),
        online: m.onlineHours === undefined ? null : { have: creditedOnlineHours(seconds, m.onlineHours), need: m.onlineHours },
        quizPassed: quizzes.some((q) => q.moduleCode === m.code && q.passed),
      };
    }),
  };
}

export default function ProgrammeOverview() {
  const t = useT();
  const { title, summary, modules, completion, completed, exam, rotations, hours } = useLoaderData<typeof loader>();
  const p = completion.progress;
  const examLeft = exam.maxAttempts - exam.attempts;
  const next = nextStep({ completed, modules, exam: { passed: exam.passed, attemptsLeft: examLeft } });
  return (
    <>
      <p>
        <Link to="/learn">← {t("learning.title")}</Link>
      </p>
      <h1>{title}</h1>
      <NextStepCard step={next} />
      <section className="card">
        <ProgressBar percent={completion.progress.percent} label={title} />
        <p>
          {completed ? (
            <span className="status-completed">{t("progress.completed")}</span>
          ) : (
            t("learning.percent", { n: completion.progress.percent })
          )}
        </p>
        <p data-testid="hours-summary">
          {hours.classroom !== null
            ? t("learning.theoryHoursSplit", {
                have: p.theoryHours,
                need: hours.theory,
                online: p.onlineHours ?? 0,
                classroom: p.classroomHours ?? 0,
                classroomNeed: hours.classroom,
              })
            : t("learning.theoryHours", { have: p.theoryHours, need: hours.theory })}
          {" · "}
          {t("learning.practiceHours", { have: p.practiceHours, need: hours.practice })}
        </p>
        <p className="no-print">
          <Link to="study-record.pdf" reloadDocument data-testid="study-record-link">
            {t("learning.studyRecord")}
          </Link>
        </p>
        {!completed && completion.missing.length ? (
          // The whole list on request: the page leads with the next step, not every gap at once.
          <details>
            <summary>{t("learning.missingCount", { n: completion.missing.length })}</summary>
            <ul className="missing" data-testid="missing-list">
              {missingLines(completion.missing, t).map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
          </details>
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
          <p className="muted" data-testid="module-study">
            {m.online
              ? t("learning.moduleOnline", { have: m.online.have, need: m.online.need, minutes: m.minutes })
              : t("learning.moduleStudied", { minutes: m.minutes })}
          </p>
          <ol className="lesson-list">
            {m.lessons.map((l) => (
              <li key={l.code}>
                <Link to={`lessons/${m.code}/${l.code}`}>{l.title}</Link>{" "}
                {l.done ? <span className="badge accredited">{t("learning.read")}</span> : null}
                {l.minutes > 0 ? <span className="muted"> {t("learning.lessonMinutes", { minutes: l.minutes })}</span> : null}
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
      {rotations.required.length || rotations.placements.length ? (
        <section className="card" data-testid="rotation-schedule">
          <h2>{t("rotation.schedule")}</h2>
          <p className="muted">
            {rotations.required
              .map((r) => t("rotation.requirement", { department: t(`dept.${r.departmentKind}`), days: r.days }))
              .join("；")}
          </p>
          {rotations.placements.length === 0 ? <p className="muted">{t("rotation.notScheduled")}</p> : null}
          {rotations.placements.map((p) => (
            <div key={p.id} className="placement">
              <h3>
                {p.departmentName} · {p.startDate} – {p.end}
              </h3>
              <p>
                {t("rotation.mentor")} {p.mentorName} ·{" "}
                {t("rotation.daysAttended", { n: p.record.attendedDays, need: p.record.requiredDays })} ·{" "}
                {p.record.complete ? (
                  <span className="status-completed">{t("rotation.complete")}</span>
                ) : p.record.evaluationPassed ? (
                  t("rotation.evaluationPassed")
                ) : (
                  t("rotation.evaluationPending")
                )}
              </p>
              {p.signed.length ? (
                <details>
                  <summary>{t("rotation.signedOff", { n: p.signed.length })}</summary>
                  <ul>
                    {p.signed.map((s) => (
                      <li key={s.id}>
                        {s.date} · {t(`rotation.kind.${s.kind}`)}
                        {s.kind === "skill" ? `：${rotations.skillTitles[s.skillCode ?? ""] ?? s.skillCode}` : ""}
                        {s.kind === "evaluation"
                          ? `：${s.passed ? t("rotation.verdictPass") : t("rotation.verdictFail")} · ${s.comments}`
                          : ""}
                      </li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </div>
          ))}
        </section>
      ) : null}
      <section className="card">
        <h2>{t("exam.title")}</h2>
        <p className="muted">
          {t("exam.rules", { count: exam.questionCount, minutes: exam.timeLimitMinutes, pass: exam.passMark, attempts: exam.maxAttempts })}
        </p>
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

/** The one thing to do now, first on the page. */
function NextStepCard({ step }: { step: NextStep }) {
  const t = useT();
  if (step.kind === "done") return null;
  return (
    <section className="card next-step" data-testid="next-step">
      <h2>{t("learning.next")}</h2>
      {step.kind === "lesson" ? (
        <Link className="button" to={`lessons/${step.moduleCode}/${step.lessonCode}`}>
          {t("learning.next.lesson", { module: step.moduleTitle, lesson: step.lessonTitle })}
        </Link>
      ) : step.kind === "quiz" ? (
        <Link className="button" to={`quiz/${step.moduleCode}`}>
          {t("learning.next.quiz", { module: step.moduleTitle })}
        </Link>
      ) : step.kind === "exam" ? (
        <Link className="button" to="exam">
          {t("exam.go")}
        </Link>
      ) : (
        <p className="muted">{t("learning.next.await")}</p>
      )}
    </section>
  );
}
