import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/guard.server";
import { Field, SelectField } from "../components/Field";
import { FormError } from "../components/FormError";
import { useT } from "../i18n/use-t";
import { createCohort, instructorsOf } from "../services/cohorts.server";
import { getOrganisation } from "../services/organisations.server";
import { currentVersions } from "../services/program-versions.server";
import { formValues, parseForm } from "../validation/form";
import { cohortSchema } from "../validation/cohorts";

export const handle: TitledHandle = { title: "cohort.new" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "manage:cohort", { organisationId: params.orgId });
  const base = getOrganisation(params.orgId!);
  return {
    baseName: base?.name ?? "",
    programs: currentVersions().map((v) => ({ id: String(v.id), label: `${v.title}（v${v.version}）` })),
    instructors: instructorsOf(params.orgId!),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requirePermission(context, request, "manage:cohort", { organisationId: params.orgId });
  const formData = await request.formData();
  const parsed = parseForm(cohortSchema, formData, ["instructorIds"]);
  if (!parsed.ok) return { errors: parsed.errors, values: parsed.values };
  const result = createCohort(user.id, params.orgId!, parsed.data);
  if (!result.ok) return { errors: result.errors, values: formValues(formData) };
  throw redirect(`/bases/${params.orgId}/cohorts/${result.value}/enrol`);
}

export default function NewCohort() {
  const t = useT();
  const { baseName, programs, instructors } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <section className="card">
      <h1>
        {t("cohort.new")} · {baseName}
      </h1>
      <Form method="post" className="stack" noValidate>
        <FormError state={state} />
        <SelectField
          name="programVersionId"
          label={t("cohort.program")}
          state={state}
          placeholder=""
          options={programs.map((p) => ({ value: p.id, label: p.label }))}
        />
        <Field name="name" label={t("cohort.name")} state={state} placeholder="2026年第1期" />
        <div className="row">
          <Field name="startDate" type="date" label={t("cohort.startDate")} state={state} />
          <Field name="endDate" type="date" label={t("cohort.endDate")} state={state} />
          <Field name="capacity" inputMode="numeric" label={t("cohort.capacity")} state={state} />
        </div>
        <fieldset className="field">
          <legend>{t("cohort.instructors")}</legend>
          {instructors.length === 0 ? <span className="muted">{t("common.none")}</span> : null}
          {instructors.map((i) => (
            <label key={i.id}>
              <input type="checkbox" name="instructorIds" value={i.id} /> {i.name}
            </label>
          ))}
        </fieldset>
        <div>
          <SubmitButton className="primary">{t("common.create")}</SubmitButton>
        </div>
      </Form>
    </section>
  );
}
