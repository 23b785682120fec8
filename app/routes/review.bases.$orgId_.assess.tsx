import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireHealthBureau } from "../auth/guard.server";
import { AssessmentFactsList } from "../components/AssessmentFacts";
import { AssessmentHistory } from "../components/AssessmentHistory";
import { Field } from "../components/Field";
import { HalfYearText } from "../components/HalfYearText";
import { halfYearOf, isHalfYear, previousHalfYear, scoreAssessment, type HalfYear } from "../domain/base-assessment";
import { useT } from "../i18n/use-t";
import { assessmentFacts, assessmentsOf, currentTemplate, recordAssessment } from "../services/base-assessments.server";
import { trainingBaseOr404 } from "../services/organisations.server";
import { today } from "../services/clock.server";

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
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? "").slice(0, 2000);
  const template = currentTemplate();
  const scores = Object.fromEntries(template.items.map((i) => [i.code, text(`score:${i.code}`)]));
  const input = { period: text("period"), assessedOn: text("assessedOn"), inspectors: text("inspectors"), notes: text("notes"), scores };
  const result = recordAssessment(user.id, bureauId, orgId, input);
  if (!result.ok) {
    const values: Record<string, string> = {
      period: input.period,
      assessedOn: input.assessedOn,
      inspectors: input.inspectors,
      notes: input.notes,
    };
    for (const [code, v] of Object.entries(scores)) values[`score:${code}`] = v;
    return { errors: result.errors, values };
  }
  throw redirectWithNotice(context, `/review/assessments`, "assessment.saved");
}

export default function AssessBase() {
  const t = useT();
  const { base, period, choices, today, template, facts, fromRecords, history } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
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
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="period" value={period} />
          {state?.errors?.period ? (
            <p className="error" role="alert">
              {t("assessment.periodInvalid")}
            </p>
          ) : null}
          {template.items.map((item) => (
            <Field
              key={item.code}
              name={`score:${item.code}`}
              type="number"
              inputMode="numeric"
              min={0}
              max={item.points}
              label={`${item.title}（${t("assessment.outOf", { points: item.points })}）`}
              hint={item.guidance}
              state={state}
            />
          ))}
          <div className="row">
            <Field name="assessedOn" type="date" label={t("assessment.assessedOn")} state={state} defaultValue={today} />
            <Field name="inspectors" label={t("assessment.inspectors")} state={state} maxLength={100} />
          </div>
          <Field name="notes" label={t("assessment.notes")} state={state} maxLength={1000} />
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
