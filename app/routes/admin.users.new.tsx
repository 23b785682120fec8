import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, useActionData } from "@remix-run/react";
import { requireGlobalPermission } from "../auth/guard.server";
import { Field } from "../components/Field";
import { PersonFields } from "../components/PersonFields";
import { useT } from "../i18n/use-t";
import { createUser } from "../services/users.server";
import { formValues, parseForm } from "../validation/form";
import { newUserSchema } from "../validation/people";

export const handle: TitledHandle = { title: "user.new" };

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireGlobalPermission(context, request, "manage:user");
  return null;
}

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireGlobalPermission(context, request, "manage:user");
  const formData = await request.formData();
  const parsed = parseForm(newUserSchema, formData);
  if (!parsed.ok) return parsed;
  const result = await createUser(admin.id, parsed.data);
  if (!result.ok) return { errors: result.errors, values: formValues(formData) };
  throw redirectWithNotice(context, `/admin/users/${result.value}`, "common.saved");
}

export default function NewUser() {
  const t = useT();
  const state = useActionData<typeof action>();
  return (
    <section className="card">
      <h1>{t("user.new")}</h1>
      <Form method="post" className="stack" noValidate>
        <PersonFields state={state} />
        <Field name="password" type="password" label={t("user.password")} state={state} autoComplete="new-password" />
        <div>
          <SubmitButton className="primary">{t("common.create")}</SubmitButton>
        </div>
      </Form>
    </section>
  );
}
