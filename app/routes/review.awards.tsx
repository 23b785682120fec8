import type { TitledHandle } from "../route-handle";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { forbidden, requireUser } from "../auth/guard.server";
import { Field, FormMessages, SelectField } from "../components/form-controls";
import { parseSubmission, replyRefused, type FormReply } from "../forms/submission";
import { replyFor, useSchemaForm } from "../forms/use-schema-form";
import { awardDesignationSchema } from "../validation/awards";
import { Notice } from "../components/Notice";
import { formatFen } from "../domain/money";
import { useT } from "../i18n/use-t";
import { awardCandidates, awardPlaces, designateAward, designationsUnder } from "../services/awards.server";
import { awardsIssuedBy, issuingAuthority } from "../services/jurisdictions.server";
import { organisationsFor } from "../domain/permissions";
import { actorOf, type CurrentUser } from "../auth/current-user.server";
import { today } from "../services/clock.server";

export const handle: TitledHandle = { title: "award.title" };

/** The awards issued by the authorities the reviewer decides for; none is 403. */
function reviewerAwards(user: CurrentUser) {
  const awards = awardsIssuedBy(organisationsFor(actorOf(user), "approve:claim"));
  if (awards.length === 0) throw forbidden();
  return awards;
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const awards = reviewerAwards(user);
  return {
    today: today(),
    awards: awards.map((a) => ({
      code: a.code,
      title: a.title,
      designation: a.designation,
      source: a.source,
      amount: formatFen(a.fen),
      window: a.window,
      places: awardPlaces(a),
      designations: designationsUnder(a.code).map(({ id, organisationName, designatedOn, documentNumber, reason }) => ({
        id,
        organisationName,
        designatedOn,
        documentNumber,
        reason,
      })),
      candidates: awardCandidates(a).map(({ id, name }) => ({ id, name })),
    })),
  };
}

export async function action({ context, request }: ActionFunctionArgs): Promise<{ intent: string; reply: FormReply }> {
  const user = requireUser(context, request);
  const awards = reviewerAwards(user);
  const formData = await request.formData();
  // Each award has its own form, told apart by the award it designates under.
  const award = awards.find((a) => a.code === formData.get("policy"));
  if (!award) throw forbidden();
  const submission = parseSubmission(formData, awardDesignationSchema);
  if (submission.status !== "success") return { intent: award.code, reply: submission.reply() };
  // The reviewer is one of the issuing authority's, so the award names their bureau.
  const result = designateAward(user.id, issuingAuthority(award)!.id, award, submission.value);
  if (!result.ok) return { intent: award.code, reply: replyRefused(submission, result) };
  throw redirectWithNotice(context, "/review/awards", "award.designated");
}

type AwardView = ReturnType<typeof useLoaderData<typeof loader>>["awards"][number];

function DesignationForm({ award, today, lastResult }: { award: AwardView; today: string; lastResult?: FormReply }) {
  const t = useT();
  const [form, fields] = useSchemaForm(awardDesignationSchema, {
    id: `designate-${award.code}`,
    lastResult,
    defaultValue: { designatedOn: today },
  });
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <input type="hidden" name="policy" value={award.code} />
      <FormMessages errors={form.errors} />
      <SelectField
        meta={fields.organisationId}
        label={`${t("award.organisation")}（${award.designation}）`}
        placeholder=""
        options={award.candidates.map((c) => ({ value: c.id, label: c.name }))}
      />
      <div className="row">
        <Field meta={fields.designatedOn} type="date" label={t("award.designatedOn")} />
        <Field meta={fields.documentNumber} label={t("award.documentNumber")} maxLength={60} />
      </div>
      <Field meta={fields.reason} label={t("award.reason")} maxLength={500} />
      <div>
        <SubmitButton className="primary">{t("award.designate")}</SubmitButton>
      </div>
    </Form>
  );
}

export default function Awards() {
  const t = useT();
  const { awards, today } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/review">← {t("review.title")}</Link>
      </p>
      <h1>{t("award.title")}</h1>
      <Notice />
      {awards.map((a) => (
        <section className="card" key={a.code} data-testid={`award-${a.code}`}>
          <h2>{a.title}</h2>
          <p className="muted">
            {a.source.section}：「{a.source.quote}」 · {a.window.from} – {a.window.to}
          </p>
          <p data-testid="award-places">
            <strong>{t("award.places", { taken: a.places.taken, places: a.places.places, amount: a.amount })}</strong> ·{" "}
            {t("award.placesLeft", { n: a.places.left })}
          </p>
          {a.designations.length === 0 ? <p className="muted">{t("award.none")}</p> : null}
          <ul className="plain-list">
            {a.designations.map((d) => (
              <li key={d.id}>
                <strong>{d.organisationName}</strong> · {d.designatedOn} · {d.documentNumber}
                <div className="muted">{d.reason}</div>
              </li>
            ))}
          </ul>
          {a.places.left > 0 ? <DesignationForm award={a} today={today} lastResult={replyFor(data, a.code)} /> : null}
        </section>
      ))}
    </>
  );
}
