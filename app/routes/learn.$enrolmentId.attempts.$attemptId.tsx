import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { notFound } from "../auth/guard.server";
import { getFormProps } from "@conform-to/react";
import * as z from "zod";
import { FormMessages } from "../components/form-controls";
import { decodeMessage } from "../forms/messages";
import { parseSubmission, replyRefused } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
import { SUBMIT_GRACE_MS } from "../domain/assessment";
import { questionOptions } from "../domain/program";
import { useT } from "../i18n/use-t";
import { requireOwnEnrolment } from "../auth/access.server";
import { getAttempt, submitAttempt } from "../services/learning.server";

export const handle: TitledHandle = { title: "nav.learning" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { enrolment } = requireOwnEnrolment(context, request, params.enrolmentId);
  const attempt = getAttempt(enrolment, params.attemptId!);
  if (!attempt) throw notFound();
  const now = Date.now();
  const expired = !attempt.submittedAt && !!attempt.deadlineAt && now > Date.parse(attempt.deadlineAt) + SUBMIT_GRACE_MS;
  return {
    enrolmentId: enrolment.id,
    attempt,
    expired,
    msLeft: attempt.deadlineAt ? Date.parse(attempt.deadlineAt) - now : null,
    moduleTitle: enrolment.rules.modules.find((m) => m.code === attempt.moduleCode)?.title ?? null,
    passMark: attempt.kind === "exam" ? enrolment.rules.exam.passMark : enrolment.rules.quiz.passMark,
  };
}

/** The answers (`q:<id>`) are read by the grading rules; the schema names the two flags the form sends. */
const attemptSchema = z.object({ timedOut: z.string().optional(), confirmUnanswered: z.string().optional() });

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { enrolment } = requireOwnEnrolment(context, request, params.enrolmentId);
  const formData = await request.formData();
  const submission = parseSubmission(formData, attemptSchema);
  const result = submitAttempt(enrolment, params.attemptId!, formData);
  // The reply carries the answers given, so the page shows them ticked again.
  if (!result.ok) return replyRefused(submission, result);
  throw redirect(`/learn/${enrolment.id}/attempts/${params.attemptId}`);
}

function Countdown({ msLeft }: { msLeft: number }) {
  const t = useT();
  const [left, setLeft] = useState(msLeft);
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const end = Date.now() + msLeft;
    const timer = setInterval(() => {
      const remaining = end - Date.now();
      setLeft(remaining);
      // Hand in what is answered when time runs out, as it stands, rather than losing it.
      if (remaining <= 0) {
        clearInterval(timer);
        const form = ref.current?.closest("form");
        const timedOut = form?.querySelector<HTMLInputElement>("input[name=timedOut]");
        if (timedOut) timedOut.value = "1";
        form?.requestSubmit();
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [msLeft]);
  const s = Math.max(0, Math.floor(left / 1000));
  return (
    <span ref={ref} className={`countdown${s < 60 ? " urgent" : ""}`} role="timer">
      {t("exam.timeLeft", { time: `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}` })}
    </span>
  );
}

export default function Attempt() {
  const t = useT();
  const { attempt, expired, msLeft, moduleTitle, passMark, enrolmentId } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  // The server alone knows what a paper lacks; its message stands while the trainee answers.
  const [form] = useSchemaForm(attemptSchema, { lastResult, checkWhen: "server" });
  const given = (form.initialValue ?? {}) as Record<string, string | string[] | undefined>;
  const askedToConfirm = decodeMessage(form.errors?.[0] ?? "").key === "exam.confirmUnanswered";
  const falseTrue: [string, string] = [t("quiz.false"), t("quiz.true")];
  const heading = attempt.kind === "exam" ? t("exam.title") : `${t("quiz.title")} · ${moduleTitle}`;
  const home = `/learn/${enrolmentId}`;
  const back = attempt.kind === "exam" ? `${home}/exam` : `${home}/quiz/${attempt.moduleCode}`;

  if (attempt.submittedAt) {
    const answers = attempt.answers ?? {};
    return (
      <section className="lesson">
        <p className="muted">
          <Link to={home}>← {t("common.back")}</Link>
        </p>
        <h1>{heading}</h1>
        <p className={`card result ${attempt.passed ? "status-completed" : "error-text"}`} data-testid="attempt-result">
          {t(attempt.passed ? "quiz.resultPassed" : "quiz.resultFailed", { score: attempt.scorePercent ?? 0, pass: passMark })}
        </p>
        {!attempt.passed ? (
          <p>
            <Link to={back} className="button">
              {t("quiz.tryAgain")}
            </Link>
          </p>
        ) : null}
        <ol className="questions">
          {attempt.questions.map((q) => {
            const key = ("answer" in q ? q.answer : []) as number[];
            const explanation = ("explanation" in q ? q.explanation : "") as string;
            const given = answers[q.id] ?? [];
            const right = given.length === key.length && given.every((a, i) => a === key[i]);
            return (
              <li key={q.id} className={`card question ${right ? "right" : "wrong"}`}>
                <p className="stem">{q.stem}</p>
                <ul>
                  {questionOptions(q, falseTrue).map((o, i) => (
                    <li key={i} className={key.includes(i) ? "key" : given.includes(i) ? "chosen-wrong" : undefined}>
                      {o} {key.includes(i) ? "✓" : given.includes(i) ? "✗" : ""}
                    </li>
                  ))}
                </ul>
                {explanation ? <p className="muted">{explanation}</p> : null}
              </li>
            );
          })}
        </ol>
      </section>
    );
  }

  if (expired) {
    return (
      <section className="card lesson">
        <h1>{heading}</h1>
        <p className="error-text">{t("exam.late")}</p>
        <Link to={back}>{t("common.back")}</Link>
      </section>
    );
  }

  return (
    <section className="lesson">
      <h1>{heading}</h1>
      <Form method="post" className="questions-form" {...getFormProps(form)}>
        {msLeft !== null ? <Countdown msLeft={msLeft} /> : null}
        <input type="hidden" name="timedOut" value="0" />
        <FormMessages errors={form.errors} />
        <ol className="questions">
          {attempt.questions.map((q, n) => (
            <li key={q.id} className="card question">
              <fieldset>
                <legend className="stem">
                  {q.stem} <span className="muted">（{t(`quiz.type.${q.type}`)}）</span>
                </legend>
                {questionOptions(q, falseTrue).map((o, i) => (
                  <label key={i} className="option">
                    <input
                      type={q.type === "multiple" ? "checkbox" : "radio"}
                      name={`q:${q.id}`}
                      value={i}
                      data-question={n}
                      defaultChecked={[given[`q:${q.id}`] ?? []].flat().includes(String(i))}
                    />
                    <span>{o}</span>
                  </label>
                ))}
              </fieldset>
            </li>
          ))}
        </ol>
        {askedToConfirm ? (
          // The trainee was told how many are blank (above); handing in now is their choice.
          <SubmitButton name="confirmUnanswered" value="1" className="primary submit-answers" data-testid="confirm-unanswered">
            {t("exam.confirmSubmit")}
          </SubmitButton>
        ) : null}
        <SubmitButton className={askedToConfirm ? "submit-answers" : "primary submit-answers"}>{t("quiz.submit")}</SubmitButton>
      </Form>
    </section>
  );
}
