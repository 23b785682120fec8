import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { DEPARTMENT_KINDS } from "../../db/schema";
import { requirePermission } from "../auth/guard.server";
import { Field, SelectField, type FormState } from "../components/Field";
import { Notice } from "../components/Notice";
import { fillMessages } from "../i18n/messages";
import { useT } from "../i18n/use-t";
import { hospitalDepartments, mentorsOf, saveDepartment } from "../services/rotations/departments.server";
import { formValues, parseForm } from "../validation/form";
import { departmentSchema } from "../validation/rotations";

export const handle: TitledHandle = { title: "rotation.departments" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "manage:rotation", { organisationId: params.orgId });
  return { departments: hospitalDepartments(params.orgId!), mentors: mentorsOf(params.orgId!) };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requirePermission(context, request, "manage:rotation", { organisationId: params.orgId });
  const formData = await request.formData();
  const departmentId = String(formData.get("departmentId") ?? "") || null;
  const parsed = parseForm(departmentSchema, formData, ["mentorIds"]);
  if (!parsed.ok) return { departmentId, errors: parsed.errors, values: parsed.values };
  const result = saveDepartment(user.id, params.orgId!, departmentId, { ...parsed.data, active: formData.get("active") !== "0" });
  if (!result.ok)
    return { departmentId, errors: result.errors, values: formValues(formData), params: "params" in result ? result.params : undefined };
  throw redirectWithNotice(context, `/hospital/${params.orgId}/departments`, "common.saved");
}

function DepartmentForm({
  department,
  mentors,
  state,
}: {
  department?: ReturnType<typeof hospitalDepartments>[number];
  mentors: { id: string; name: string }[];
  state?: FormState;
}) {
  const t = useT();
  const suffix = department?.id ?? "new";
  return (
    <Form
      method="post"
      className="stack"
      noValidate
      aria-label={department?.name ?? t("rotation.newDepartment")}
      id={`department-${suffix}`}
    >
      {department ? <input type="hidden" name="departmentId" value={department.id} /> : null}
      <div className="row">
        <Field name="name" label={t("org.name")} state={state} defaultValue={department?.name} />
        <SelectField
          name="kind"
          label={t("org.kind")}
          state={state}
          defaultValue={department?.kind}
          options={DEPARTMENT_KINDS.map((k) => ({ value: k, label: t(`dept.${k}`) }))}
        />
        <Field
          name="capacity"
          label={t("hospital.capacity")}
          inputMode="numeric"
          state={state}
          defaultValue={department ? String(department.capacity) : ""}
        />
      </div>
      <fieldset className="field">
        <legend>{t("rotation.mentors")}</legend>
        <div className="actions">
          {mentors.map((m) => (
            <label key={m.id}>
              <input type="checkbox" name="mentorIds" value={m.id} defaultChecked={department?.mentorIds.includes(m.id)} /> {m.name}
            </label>
          ))}
        </div>
      </fieldset>
      {department ? (
        <div className="field">
          <label>
            <input
              type="checkbox"
              name="active"
              value="0"
              defaultChecked={state?.values ? state.values.active === "0" : !department.active}
              aria-invalid={state?.errors?.active ? true : undefined}
            />{" "}
            {t("rotation.departmentClosed")}
          </label>
          {state?.errors?.active ? (
            <span className="error" role="alert">
              {state.errors.active}
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
  const submitted = useActionData<typeof action>();
  // A refused edit names the day that would be over capacity, or the placements still running.
  const result = submitted
    ? { ...submitted, errors: fillMessages(submitted.errors, "params" in submitted ? submitted.params : undefined, t) }
    : undefined;
  return (
    <>
      <h1>{t("rotation.departments")}</h1>
      <Notice />
      {departments.map((d) => (
        <section className="card" key={d.id}>
          <h2>{d.name}</h2>
          <DepartmentForm department={d} mentors={mentors} state={result?.departmentId === d.id ? result : undefined} />
        </section>
      ))}
      <section className="card">
        <h2>{t("rotation.newDepartment")}</h2>
        <DepartmentForm mentors={mentors} state={result && !result.departmentId ? result : undefined} />
      </section>
    </>
  );
}
