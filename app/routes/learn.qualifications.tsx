import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { useMemo } from "react";
import { QUALIFICATION_KINDS } from "../../db/schema";
import { requireUser } from "../auth/guard.server";
import { Field, FormMessages, SelectField } from "../components/form-controls";
import { Notice } from "../components/Notice";
import { QualificationSummary } from "../components/QualificationSummary";
import { parseSubmission, replyRefused } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { today } from "../services/clock.server";
import { addQualification, qualificationsOf } from "../services/qualifications.server";
import { qualificationSchema } from "../validation/qualifications";

export const handle: TitledHandle = { title: "qualification.title" };

/** A person's own qualifications from elsewhere: recorded here, checked by their base. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return {
    today: today(),
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
  const submission = parseSubmission(await request.formData(), qualificationSchema(today()));
  if (submission.status !== "success") return submission.reply();
  const result = addQualification(user.id, submission.value);
  if (!result.ok) return replyRefused(submission, result);
  throw redirectWithNotice(context, "/learn/qualifications", "qualification.added");
}

export default function MyQualifications() {
  const t = useT();
  const { qualifications, today: day } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const schema = useMemo(() => qualificationSchema(day), [day]);
  const [form, fields] = useSchemaForm(schema, { lastResult });
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
        <Form method="post" className="stack" {...getFormProps(form)}>
          <FormMessages errors={form.errors} />
          <SelectField
            meta={fields.kind}
            label={t("qualification.kind")}
            placeholder=""
            options={QUALIFICATION_KINDS.map((k) => ({ value: k, label: t(`qualification.kind.${k}`) }))}
          />
          <Field meta={fields.number} label={t("qualification.number")} maxLength={30} autoComplete="off" />
          <Field meta={fields.issuer} label={t("qualification.issuer")} maxLength={60} />
          <div className="row">
            <Field meta={fields.issuedOn} type="date" label={t("qualification.issuedOn")} />
            <Field meta={fields.validUntil} type="date" label={t("qualification.validUntil")} />
          </div>
          <div>
            <SubmitButton className="primary">{t("qualification.add")}</SubmitButton>
          </div>
        </Form>
      </section>
    </>
  );
}
