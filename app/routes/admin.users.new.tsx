import type { TitledHandle } from "../route-handle";
import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, useActionData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { requireGlobalPermission } from "../auth/guard.server";
import { Field, FormMessages } from "../components/form-controls";
import { PersonFields } from "../components/PersonFields";
import { parseSubmission, replyRefused } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { createUser } from "../services/users.server";
import { newUserSchema } from "../validation/people";

export const handle: TitledHandle = { title: "user.new" };

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireGlobalPermission(context, request, "manage:user");
  return null;
}

/** The initial password is never sent back to the page. */
const SECRET = { hideFields: ["password"] };

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireGlobalPermission(context, request, "manage:user");
  const submission = parseSubmission(await request.formData(), newUserSchema);
  if (submission.status !== "success") return submission.reply(SECRET);
  const result = await createUser(admin.id, submission.value);
  if (!result.ok) return replyRefused(submission, result, SECRET);
  throw redirectWithNotice(context, `/admin/users/${result.value}`, "common.saved");
}

export default function NewUser() {
  const t = useT();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(newUserSchema, { lastResult });
  return (
    <section className="card">
      <h1>{t("user.new")}</h1>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormMessages errors={form.errors} />
        <PersonFields fields={fields} />
        <Field meta={fields.password} type="password" label={t("user.password")} autoComplete="new-password" />
        <div>
          <SubmitButton className="primary">{t("common.create")}</SubmitButton>
        </div>
      </Form>
    </section>
  );
}
