import type { TitledHandle } from "../route-handle";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { DEPARTMENT_KINDS } from "../../db/schema";
import { requirePermission } from "../auth/guard.server";
import { ChoiceGroup, Field, FormMessages, SelectField } from "../components/form-controls";
import { Notice } from "../components/Notice";
import { parseSubmission, replyRefused, type FormReply } from "../forms/submission";
import { replyFor, useFormMessage, useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { hospitalDepartments, mentorsOf, saveDepartment } from "../services/rotations/departments.server";
import { departmentSchema } from "../validation/rotations";

export const handle: TitledHandle = { title: "rotation.departments" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "manage:rotation", { organisationId: params.orgId });
  return { departments: hospitalDepartments(params.orgId!), mentors: mentorsOf(params.orgId!) };
}

/** Each department's form, and the new one's, answers under its own name. */
const formOf = (departmentId: string | null) => departmentId ?? "new";

export async function action({ context, request, params }: ActionFunctionArgs): Promise<{ intent: string; reply: FormReply }> {
  const user = requirePermission(context, request, "manage:rotation", { organisationId: params.orgId });
  const formData = await request.formData();
  const departmentId = String(formData.get("departmentId") ?? "") || null;
  const intent = formOf(departmentId);
  const submission = parseSubmission(formData, departmentSchema);
  if (submission.status !== "success") return { intent, reply: submission.reply() };
  const result = saveDepartment(user.id, params.orgId!, departmentId, submission.value);
  // A refused edit names the day that would be over capacity, or the placements still running.
  if (!result.ok) return { intent, reply: replyRefused(submission, result) };
  throw redirectWithNotice(context, `/hospital/${params.orgId}/departments`, "common.saved");
}

function DepartmentForm({
  department,
  mentors,
  lastResult,
}: {
  department?: ReturnType<typeof hospitalDepartments>[number];
  mentors: { id: string; name: string }[];
  lastResult?: FormReply;
}) {
  const t = useT();
  const message = useFormMessage();
  const [form, fields] = useSchemaForm(departmentSchema, {
    id: `department-${formOf(department?.id ?? null)}`,
    lastResult,
    defaultValue: department
      ? {
          name: department.name,
          kind: department.kind,
          capacity: String(department.capacity),
          mentorIds: department.mentorIds,
          active: department.active ? undefined : "0",
        }
      : undefined,
  });
  const closedError = message(fields.active.errors?.[0]);
  return (
    <Form method="post" className="stack" aria-label={department?.name ?? t("rotation.newDepartment")} {...getFormProps(form)}>
      {department ? <input type="hidden" name="departmentId" value={department.id} /> : null}
      <FormMessages errors={form.errors} />
      <div className="row">
        <Field meta={fields.name} label={t("org.name")} />
        <SelectField
          meta={fields.kind}
          label={t("org.kind")}
          options={DEPARTMENT_KINDS.map((k) => ({ value: k, label: t(`dept.${k}`) }))}
        />
        <Field meta={fields.capacity} label={t("hospital.capacity")} inputMode="numeric" />
      </div>
      <ChoiceGroup
        meta={fields.mentorIds}
        legend={t("rotation.mentors")}
        type="checkbox"
        inline
        options={mentors.map((m) => ({ value: m.id, label: m.name }))}
      />
      {department ? (
        <div className="field">
          <label>
            <input
              key={fields.active.key}
              type="checkbox"
              name={fields.active.name}
              form={form.id}
              value="0"
              defaultChecked={fields.active.initialValue === "0"}
              aria-invalid={closedError ? true : undefined}
              aria-describedby={closedError ? fields.active.errorId : undefined}
            />{" "}
            {t("rotation.departmentClosed")}
          </label>
          {closedError ? (
            <span className="error" id={fields.active.errorId} role="alert">
              {closedError}
            </span>
          ) : null}
        </div>
      ) : null}
      <div>
        <SubmitButton className="primary">{t("common.save")}</SubmitButton>
      </div>
    </Form>
  );
}

export default function Departments() {
  const t = useT();
  const { departments, mentors } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <>
      <h1>{t("rotation.departments")}</h1>
      <Notice />
      {departments.map((d) => (
        <section className="card" key={d.id}>
          <h2>{d.name}</h2>
          <DepartmentForm department={d} mentors={mentors} lastResult={replyFor(data, formOf(d.id))} />
        </section>
      ))}
      <section className="card">
        <h2>{t("rotation.newDepartment")}</h2>
        <DepartmentForm mentors={mentors} lastResult={replyFor(data, formOf(null))} />
      </section>
    </>
  );
}
