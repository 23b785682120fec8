import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { QUALIFICATION_KINDS } from "../../db/schema";
import { requireUser } from "../auth/guard.server";
import { Field, SelectField } from "../components/Field";
import { Notice } from "../components/Notice";
import { QualificationSummary } from "../components/QualificationSummary";
import { useT } from "../i18n/use-t";
import { addQualification, qualificationsOf } from "../services/qualifications.server";

export const handle: TitledHandle = { title: "qualification.title" };

const FIELDS = ["kind", "number", "issuer", "issuedOn", "validUntil"] as const;

/** A person's own qualifications from elsewhere: recorded here, checked by their base. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return {
    qualifications: qualificationsOf(user.id).map(({ id, kind, number, issuer, issuedOn, validUntil, status, rejectionReason }) => ({
      id,
      kind,
      number,
      issuer,
      issuedOn,
      validUntil,
      status,
      rejectionReason,
    })),
  };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = await request.formData();
  const values = Object.fromEntries(FIELDS.map((f) => [f, String(form.get(f) ?? "").slice(0, 200)])) as Record<
    (typeof FIELDS)[number],
    string
  >;
  const result = addQualification(user.id, values);
  if (!result.ok) return { errors: result.errors, values };
  throw redirectWithNotice(context, "/learn/qualifications", "qualification.added");
}

export default function MyQualifications() {
  const t = useT();
  const { qualifications } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/learn">← {t("learning.title")}</Link>
      </p>
      <h1>{t("qualification.title")}</h1>
      <Notice />
      <p className="muted">{t("qualification.hint")}</p>
      <section className="card">
        {qualifications.length === 0 ? <p className="muted">{t("qualification.none")}</p> : null}
        <ul className="plain-list" data-testid="my-qualifications">
          {qualifications.map((q) => (
            <li key={q.id}>
              <QualificationSummary q={q} />
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <Form method="post" className="stack" noValidate>
          <SelectField
            name="kind"
            label={t("qualification.kind")}
            state={state}
            placeholder=""
            options={QUALIFICATION_KINDS.map((k) => ({ value: k, label: t(`qualification.kind.${k}`) }))}
          />
          <Field name="number" label={t("qualification.number")} state={state} maxLength={30} autoComplete="off" />
          <Field name="issuer" label={t("qualification.issuer")} state={state} maxLength={60} />
          <div className="row">
            <Field name="issuedOn" type="date" label={t("qualification.issuedOn")} state={state} />
            <Field name="validUntil" type="date" label={t("qualification.validUntil")} state={state} />
          </div>
          <div>
            <SubmitButton className="primary">{t("qualification.add")}</SubmitButton>
          </div>
        </Form>
      </section>
    </>
  );
}
