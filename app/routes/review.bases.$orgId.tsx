import type { TitledHandle } from "../route-handle";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { ACCREDITATION_STATUSES, HOST_KINDS } from "../../db/schema";
import { requireHealthBureau } from "../auth/guard.server";
import { AccreditationBadge } from "../components/AccreditationBadge";
import { DesignationHistory } from "../components/DesignationHistory";
import { Field, FormMessages, SelectField } from "../components/form-controls";
import { Notice } from "../components/Notice";
import { regions } from "../content/regions.server";
import { statusOn } from "../domain/accreditation";
import { BASE_HOST_RULE } from "../domain/designation";
import { regionLabel } from "../domain/regions";
import { useT } from "../i18n/use-t";
import { accreditationHistory, designateBase, trainingBaseOr404 } from "../services/organisations.server";
import { today } from "../services/clock.server";
import { parseSubmission } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
import { accreditationSchema } from "../validation/organisations";

export const handle: TitledHandle = { title: "designation.title" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId!;
  requireHealthBureau(context, request, orgId, "designate:base");
  const base = trainingBaseOr404(orgId);
  const history = accreditationHistory(orgId);
  return {
    base: { id: base.id, name: base.name, region: regionLabel(regions(), base.regionCode) },
    status: statusOn(history, today()),
    history: [...history].reverse(),
    today: today(),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const orgId = params.orgId!;
  const { user, bureauId } = requireHealthBureau(context, request, orgId, "designate:base");
  trainingBaseOr404(orgId);
  const submission = parseSubmission(await request.formData(), accreditationSchema);
  if (submission.status !== "success") return submission.reply();
  designateBase(user.id, bureauId, orgId, submission.value);
  throw redirectWithNotice(context, `/review/bases/${orgId}`, "common.saved");
}

export default function Designation() {
  const t = useT();
  const { base, status, history, today } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const last = history[0];
  // A new record starts from the one in force: usually only the status, the dates or the note change.
  const [form, fields] = useSchemaForm(accreditationSchema, {
    lastResult,
    defaultValue: {
      number: last?.number,
      hostName: last?.hostName,
      hostKind: last?.hostKind,
      validFrom: last?.validFrom,
      validTo: last?.validTo,
      effectiveFrom: today,
    },
  });
  return (
    <>
      <p>
        <Link to="/review">← {t("review.title")}</Link>
      </p>
      <h1>
        {t("designation.title")} · {base.name} <AccreditationBadge status={status} />
      </h1>
      <p className="muted">
        {t("org.region")}：{base.region || t("common.none")}
      </p>
      <Notice />
      <section className="card">
        <h2>{t("org.accreditationHistory")}</h2>
        <DesignationHistory history={history} />
      </section>
      <section className="card">
        <h2>{t("designation.add")}</h2>
        <p className="muted" data-testid="host-rule">
          《{BASE_HOST_RULE.title}》{BASE_HOST_RULE.section}：「{BASE_HOST_RULE.quote}」
        </p>
        <Form method="post" className="stack" {...getFormProps(form)}>
          <FormMessages errors={form.errors} />
          <Field meta={fields.number} label={t("org.accrNumber")} />
          <SelectField
            meta={fields.status}
            label={t("org.accrStatus")}
            placeholder=""
            options={ACCREDITATION_STATUSES.map((s) => ({ value: s, label: t(`accr.${s}`) }))}
          />
          <Field meta={fields.hostName} label={t("org.host")} />
          <SelectField
            meta={fields.hostKind}
            label={t("org.hostKind")}
            placeholder=""
            options={HOST_KINDS.map((k) => ({ value: k, label: t(`hostKind.${k}`) }))}
          />
          <div className="row">
            <Field meta={fields.validFrom} type="date" label={t("org.validFrom")} />
            <Field meta={fields.validTo} type="date" label={t("org.validTo")} />
            <Field meta={fields.effectiveFrom} type="date" label={t("org.effectiveFrom")} />
          </div>
          <Field meta={fields.note} label={t("org.note")} />
          <div>
            <SubmitButton className="primary">{t("common.save")}</SubmitButton>
          </div>
        </Form>
      </section>
    </>
  );
}
