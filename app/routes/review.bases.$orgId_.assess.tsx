import type { TitledHandle } from "../route-handle";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { useMemo } from "react";
import { requireHealthBureau } from "../auth/guard.server";
import { AssessmentFactsList } from "../components/AssessmentFacts";
import { AssessmentHistory } from "../components/AssessmentHistory";
import { Field, FormMessages } from "../components/form-controls";
import { parseSubmission, replyRefused } from "../forms/submission";
import { useFormMessage, useSchemaForm } from "../forms/use-schema-form";
import { HalfYearText } from "../components/HalfYearText";
import { halfYearOf, isHalfYear, previousHalfYear, scoreAssessment, type HalfYear } from "../domain/base-assessment";
import { useT } from "../i18n/use-t";
import { assessmentFacts, assessmentsOf, currentTemplate, recordAssessment } from "../services/base-assessments.server";
import { trainingBaseOr404 } from "../services/organisations.server";
import { today } from "../services/clock.server";
import { assessmentSchema, scoreField, typedScores } from "../validation/base-assessments";

export const handle: TitledHandle = { title: "assessment.board" };

/** The half years a bureau may assess: the one under way and the two before it. */
function periodChoices(on: string): HalfYear[] {
  const current = halfYearOf(on);
  return [current, previousHalfYear(current), previousHalfYear(previousHalfYear(current))];
}

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId!;
  requireHealthBureau(context, request, orgId, "assess:base");
  const base = trainingBaseOr404(orgId);
  const on = today();
  const choices = periodChoices(on);
  const asked = new URL(request.url).searchParams.get("period") ?? "";
  const period = isHalfYear(asked) && choices.includes(asked) ? asked : choices[1];
  const template = currentTemplate();
  const facts = assessmentFacts(orgId, period);
  // What the records alone earn, before the inspectors' items: shown so the form's total is no surprise.
  const fromRecords = scoreAssessment(template, facts, {});
  return {
    base: { id: base.id, name: base.name },
    period,
    choices,
    today: on,
    template,
    facts,
    fromRecords,
    history: assessmentsOf(orgId),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const orgId = params.orgId!;
  const { user, bureauId } = requireHealthBureau(context, request, orgId, "assess:base");
  trainingBaseOr404(orgId);
  const template = currentTemplate();
  const submission = parseSubmission(await request.formData(), assessmentSchema(template));
  if (submission.status !== "success") return submission.reply();
  const { period, assessedOn, inspectors, notes } = submission.value;
  const result = recordAssessment(user.id, bureauId, orgId, {
    period,
    assessedOn,
    inspectors,
    notes,
    scores: typedScores(template, submission.value),
  });
  if (!result.ok) return replyRefused(submission, result);
  throw redirectWithNotice(context, `/review/assessments`, "assessment.saved");
}

export default function AssessBase() {
  const t = useT();
  const { base, period, choices, today, template, facts, fromRecords, history } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const message = useFormMessage();
  const schema = useMemo(() => assessmentSchema(template), [template]);
  const [form, fields] = useSchemaForm(schema, { lastResult, defaultValue: { assessedOn: today } });
  const periodError = message(fields.period.errors?.[0]);
  // The items come from the template, so the schema's type does not name their fields.
  const scores = fields as typeof fields & Record<`score:${string}`, typeof fields.inspectors>;
  return (
    <>
      <p>
        <Link to="/review/assessments">← {t("assessment.board")}</Link>
      </p>
      <h1>
        {template.title} · {base.name}
      </h1>
      <p className="muted" data-testid="assessment-source">
        {template.source.section}：「{template.source.quote}」
      </p>
      <Form method="get" className="actions">
        <label htmlFor="period-choice">{t("assessment.period")}</label>
        <select id="period-choice" name="period" defaultValue={period}>
          {choices.map((c) => (
            <option key={c} value={c}>
              <HalfYearText period={c} />
            </option>
          ))}
        </select>
        <SubmitButton className="secondary-button">{t("assessment.showFacts")}</SubmitButton>
      </Form>
      <section className="card">
        <h2>
          {t("assessment.factsOf")} <HalfYearText period={period} />
        </h2>
        <AssessmentFactsList facts={facts} />
        <p className="muted">
          {t("assessment.fromRecords", {
            points: Object.values(fromRecords.indicatorPoints).reduce((a, b) => a + b, 0),
            penalty: fromRecords.penalty,
          })}
        </p>
      </section>
      <section className="card">
        <h2>{t("assessment.inspection")}</h2>
        <Form method="post" className="stack" {...getFormProps(form)}>
          <input type="hidden" name={fields.period.name} value={period} />
          <FormMessages errors={form.errors} />
          {periodError ? (
            <p className="error" role="alert">
              {periodError}
            </p>
          ) : null}
          {template.items.map((item) => (
            <Field
              key={item.code}
              meta={scores[scoreField(item.code)]}
              type="number"
              inputMode="numeric"
              min={0}
              max={item.points}
              label={`${item.title}（${t("assessment.outOf", { points: item.points })}）`}
              hint={item.guidance}
            />
          ))}
          <div className="row">
            <Field meta={fields.assessedOn} type="date" label={t("assessment.assessedOn")} />
            <Field meta={fields.inspectors} label={t("assessment.inspectors")} maxLength={100} />
          </div>
          <Field meta={fields.notes} label={t("assessment.notes")} maxLength={1000} />
          <div>
            <SubmitButton className="primary">{t("assessment.save")}</SubmitButton>
          </div>
        </Form>
      </section>
      <section className="card">
        <h2>{t("assessment.history")}</h2>
        <AssessmentHistory history={history} template={template} />
      </section>
    </>
  );
}
