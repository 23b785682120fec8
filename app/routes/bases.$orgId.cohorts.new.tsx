import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { requirePermission } from "../auth/guard.server";
import { ChoiceGroup, Field, FormMessages, SelectField } from "../components/form-controls";
import { parseSubmission, replyRefused } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { createCohort, instructorsOf } from "../services/cohorts.server";
import { getOrganisation } from "../services/organisations.server";
import { currentVersions } from "../services/program-versions.server";
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
  const submission = parseSubmission(await request.formData(), cohortSchema);
  if (submission.status !== "success") return submission.reply();
  const result = createCohort(user.id, params.orgId!, submission.value);
  if (!result.ok) return replyRefused(submission, result);
  throw redirect(`/bases/${params.orgId}/cohorts/${result.value}/enrol`);
}

export default function NewCohort() {
  const t = useT();
  const { baseName, programs, instructors } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(cohortSchema, { lastResult });
  return (
    <section className="card">
      <h1>
        {t("cohort.new")} · {baseName}
      </h1>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormMessages errors={form.errors} />
        <SelectField
          meta={fields.programVersionId}
          label={t("cohort.program")}
          placeholder=""
          options={programs.map((p) => ({ value: p.id, label: p.label }))}
        />
        <Field meta={fields.name} label={t("cohort.name")} placeholder="2026年第1期" />
        <div className="row">
          <Field meta={fields.startDate} type="date" label={t("cohort.startDate")} />
          <Field meta={fields.endDate} type="date" label={t("cohort.endDate")} />
          <Field meta={fields.capacity} inputMode="numeric" label={t("cohort.capacity")} />
        </div>
        <ChoiceGroup
          meta={fields.instructorIds}
          legend={t("cohort.instructors")}
          type="checkbox"
          className="field"
          options={instructors.map((i) => ({ value: i.id, label: i.name }))}
        >
          {instructors.length === 0 ? <span className="muted">{t("common.none")}</span> : null}
        </ChoiceGroup>
        <div>
          <SubmitButton className="primary">{t("common.create")}</SubmitButton>
        </div>
      </Form>
    </section>
  );
}
