import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { notFound } from "../auth/guard.server";
import { FormMessages } from "../components/form-controls";
import { noFields, parseSubmission, replyRefused } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { requireOwnEnrolment } from "../auth/access.server";
import { attemptsOf, startAssessment } from "../services/learning.server";
import { shanghaiDateTime } from "../domain/dates";

export const handle: TitledHandle = { title: "quiz.title" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { enrolment } = requireOwnEnrolment(context, request, params.enrolmentId);
  const mod = enrolment.rules.modules.find((m) => m.code === params.moduleCode);
  if (!mod) throw notFound();
  return {
    enrolmentId: enrolment.id,
    moduleTitle: mod.title,
    quiz: enrolment.rules.quiz,
    attempts: attemptsOf(enrolment.id, "quiz", mod.code).map((a) => ({
      id: a.id,
      submittedAt: a.submittedAt,
      scorePercent: a.scorePercent,
      passed: a.passed,
    })),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { enrolment } = requireOwnEnrolment(context, request, params.enrolmentId);
  if (!enrolment.rules.modules.some((m) => m.code === params.moduleCode)) throw notFound();
  const submission = parseSubmission(await request.formData(), noFields);
  const started = startAssessment(enrolment, "quiz", params.moduleCode!);
  if (!started.ok) return replyRefused(submission, started);
  throw redirect(`/learn/${enrolment.id}/attempts/${started.value}`);
}

export default function Quiz() {
  const t = useT();
  const { moduleTitle, quiz, attempts, enrolmentId } = useLoaderData<typeof loader>();
  const [form] = useSchemaForm(noFields, { lastResult: useActionData<typeof action>() });
  return (
    <section className="card lesson">
      <p className="muted">
        <Link to={`/learn/${enrolmentId}`}>← {t("common.back")}</Link>
      </p>
      <h1>
        {t("quiz.title")} · {moduleTitle}
      </h1>
      <p>{t("quiz.rules", { count: quiz.questionCount, pass: quiz.passMark })}</p>
      <FormMessages errors={form.errors} />
      <Form method="post" {...getFormProps(form)}>
        <SubmitButton className="primary">{t("quiz.start")}</SubmitButton>
      </Form>
      {attempts.length ? (
        <>
          <h2>{t("quiz.history")}</h2>
          <ul>
            {attempts.map((a) => (
              <li key={a.id}>
                <Link to={`/learn/${enrolmentId}/attempts/${a.id}`}>
                  {a.submittedAt
                    ? `${shanghaiDateTime(a.submittedAt)} · ${a.scorePercent}% · ${a.passed ? t("quiz.passed") : t("quiz.failed")}`
                    : t("quiz.unfinished")}
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
