import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ACCREDITATION_STATUSES, HOST_KINDS } from "../../db/schema";
import { requireHealthBureau } from "../auth/guard.server";
import { AccreditationBadge } from "../components/AccreditationBadge";
import { DesignationHistory } from "../components/DesignationHistory";
import { Field, SelectField } from "../components/Field";
import { Notice } from "../components/Notice";
import { regions } from "../content/regions.server";
import { statusOn } from "../domain/accreditation";
import { BASE_HOST_RULE } from "../domain/designation";
import { regionLabel } from "../domain/regions";
import { useT } from "../i18n/use-t";
import { accreditationHistory, designateBase, trainingBaseOr404 } from "../services/organisations.server";
import { today } from "../services/clock.server";
import { parseForm } from "../validation/form";
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
  const parsed = parseForm(accreditationSchema, await request.formData());
  if (!parsed.ok) return { errors: parsed.errors, values: parsed.values };
  designateBase(user.id, bureauId, orgId, parsed.data);
  throw redirectWithNotice(context, `/review/bases/${orgId}`, "common.saved");
}

export default function Designation() {
  const t = useT();
  const { base, status, history, today } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const last = history[0];
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
        <Form method="post" className="stack" noValidate>
          <Field name="number" label={t("org.accrNumber")} state={state} defaultValue={last?.number} />
          <SelectField
            name="status"
            label={t("org.accrStatus")}
            state={state}
            placeholder=""
            options={ACCREDITATION_STATUSES.map((s) => ({ value: s, label: t(`accr.${s}`) }))}
          />
          <Field name="hostName" label={t("org.host")} state={state} defaultValue={last?.hostName} />
          <SelectField
            name="hostKind"
            label={t("org.hostKind")}
            state={state}
            defaultValue={last?.hostKind}
            placeholder=""
            options={HOST_KINDS.map((k) => ({ value: k, label: t(`hostKind.${k}`) }))}
          />
          <div className="row">
            <Field name="validFrom" type="date" label={t("org.validFrom")} state={state} defaultValue={last?.validFrom} />
            <Field name="validTo" type="date" label={t("org.validTo")} state={state} defaultValue={last?.validTo} />
            <Field name="effectiveFrom" type="date" label={t("org.effectiveFrom")} state={state} defaultValue={today} />
          </div>
          <Field name="note" label={t("org.note")} state={state} />
          <div>
            <SubmitButton className="primary">{t("common.save")}</SubmitButton>
          </div>
        </Form>
      </section>
    </>
  );
}
