import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { forbidden, requireUser } from "../auth/guard.server";
import { Field, SelectField } from "../components/Field";
import { FormError } from "../components/FormError";
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

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const awards = reviewerAwards(user);
  const form = await request.formData();
  const text = (name: string, max: number) => String(form.get(name) ?? "").slice(0, max);
  const award = awards.find((a) => a.code === form.get("policy"));
  if (!award) throw forbidden();
  const input = {
    organisationId: text("organisationId", 100),
    designatedOn: text("designatedOn", 20),
    documentNumber: text("documentNumber", 100),
    reason: text("reason", 600),
  };
  // The reviewer is one of the issuing authority's, so the award names their bureau.
  const result = designateAward(user.id, issuingAuthority(award)!.id, award, input);
  if (!result.ok) return { policy: award.code, errors: result.errors, values: input };
  throw redirectWithNotice(context, "/review/awards", "award.designated");
}

export default function Awards() {
  const t = useT();
  const { awards, today } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/review">← {t("review.title")}</Link>
      </p>
      <h1>{t("award.title")}</h1>
      <Notice />
      {awards.map((a) => {
        const own = state?.policy === a.code ? state : undefined;
        return (
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
            {a.places.left > 0 ? (
              <Form method="post" className="stack" noValidate>
                <input type="hidden" name="policy" value={a.code} />
                <FormError state={own} />
                <SelectField
                  name="organisationId"
                  label={`${t("award.organisation")}（${a.designation}）`}
                  state={own}
                  placeholder=""
                  options={a.candidates.map((c) => ({ value: c.id, label: c.name }))}
                />
                <div className="row">
                  <Field name="designatedOn" type="date" label={t("award.designatedOn")} state={own} defaultValue={today} />
                  <Field name="documentNumber" label={t("award.documentNumber")} state={own} maxLength={60} />
                </div>
                <Field name="reason" label={t("award.reason")} state={own} maxLength={500} />
                <div>
                  <SubmitButton className="primary">{t("award.designate")}</SubmitButton>
                </div>
              </Form>
            ) : null}
          </section>
        );
      })}
    </>
  );
}
