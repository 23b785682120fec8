import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { FormMessages } from "../components/form-controls";
import { noFields, parseSubmission, replyRefused } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { requireOwnEnrolment } from "../auth/access.server";
import { attemptsOf, examGateOf, startAssessment } from "../services/learning.server";
import { shanghaiDateTime } from "../domain/dates";

export const handle: TitledHandle = { title: "exam.title" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { enrolment } = requireOwnEnrolment(context, request, params.enrolmentId);
  const attempts = attemptsOf(enrolment.id, "exam");
  return {
    enrolmentId: enrolment.id,
    title: enrolment.rules.title,
    exam: enrolment.rules.exam,
    // Why the exam cannot be started now, said before the trainee tries.
    gate: examGateOf(enrolment, attempts),
    attempts: attempts.map((a) => ({
      id: a.id,
      startedAt: a.startedAt,
      submittedAt: a.submittedAt,
      scorePercent: a.scorePercent,
      passed: a.passed,
    })),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { enrolment } = requireOwnEnrolment(context, request, params.enrolmentId);
  const submission = parseSubmission(await request.formData(), noFields);
  const started = startAssessment(enrolment, "exam", null);
  if (!started.ok) return replyRefused(submission, started);
  throw redirect(`/learn/${enrolment.id}/attempts/${started.value}`);
}

export default function Exam() {
  const t = useT();
  const { title, exam, attempts, enrolmentId, gate } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form] = useSchemaForm(noFields, { lastResult });
  const left = exam.maxAttempts - attempts.length;
  return (
    <section className="card lesson">
      <p className="muted">
        <Link to={`/learn/${enrolmentId}`}>← {title}</Link>
      </p>
      <h1>{t("exam.title")}</h1>
      <p>
        {t("exam.rules", { count: exam.questionCount, minutes: exam.timeLimitMinutes, pass: exam.passMark, attempts: exam.maxAttempts })}
      </p>
      {exam.retryWaitHours ? <p>{t("exam.retryWait", { hours: exam.retryWaitHours })}</p> : null}
      <p className="muted">{t("exam.warning")}</p>
      <FormMessages errors={form.errors} />
      {!gate.open && gate.reason === "modulesIncomplete" && !lastResult ? (
        <p className="form-error" role="status" data-testid="exam-closed">
          {t("exam.modulesIncomplete", { modules: gate.modules.join("、") })}
        </p>
      ) : null}
      {!gate.open && gate.reason === "waiting" && !lastResult ? (
        <p className="form-error" role="status" data-testid="exam-closed">
          {t("exam.waiting", { until: shanghaiDateTime(gate.until) })}
        </p>
      ) : null}
      {left > 0 && !attempts.some((a) => a.passed) && (gate.open || attempts.some((a) => !a.submittedAt)) ? (
        <Form method="post" {...getFormProps(form)}>
          <SubmitButton className="primary">{t("exam.start", { n: left })}</SubmitButton>
        </Form>
      ) : null}
      {attempts.length ? (
        <>
          <h2>{t("exam.history")}</h2>
          <ul>
            {attempts.map((a) => (
              <li key={a.id}>
                <Link to={`/learn/${enrolmentId}/attempts/${a.id}`}>
                  {shanghaiDateTime(a.startedAt)} ·{" "}
                  {a.submittedAt ? `${a.scorePercent}% · ${a.passed ? t("quiz.passed") : t("quiz.failed")}` : t("quiz.unfinished")}
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
