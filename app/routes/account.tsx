import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guard.server";
import { Field } from "../components/Field";
import { Notice } from "../components/Notice";
import { useT } from "../i18n/use-t";
import { changeOwnPassword } from "../services/users.server";
import { parseForm } from "../validation/form";
import { changePasswordSchema } from "../validation/people";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  // The person sees their own ID number in full.
  return { name: user.name, username: user.username, mobile: user.mobile, idNumber: user.idNumber, hasPassword: user.hasPassword };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const parsed = parseForm(changePasswordSchema(user.hasPassword), await request.formData());
  if (!parsed.ok) return { errors: parsed.errors, done: false };
  const result = await changeOwnPassword(user.id, context.sessionId!, parsed.data.currentPassword, parsed.data.newPassword);
  if (!result.ok) return { errors: result.errors, done: false };
  if (user.mustChangePassword) throw redirect("/home");
  return { errors: {}, done: true };
}

export default function Account() {
  const t = useT();
  const me = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <>
      <h1>{t("account.title")}</h1>
      <Notice />
      <section className="card">
        <dl className="facts">
          <dt>{t("user.name")}</dt>
          <dd>{me.name}</dd>
          <dt>{t("user.username")}</dt>
          <dd>{me.username ?? "—"}</dd>
          <dt>{t("user.mobile")}</dt>
          <dd>{me.mobile ?? "—"}</dd>
          <dt>{t("user.idNumber")}</dt>
          <dd data-testid="own-id-number">{me.idNumber ?? "—"}</dd>
        </dl>
      </section>
      <section className="card">
        <h2>{me.hasPassword ? t("account.changePassword") : t("account.choosePassword")}</h2>
        {state?.done ? (
          <p className="flash" role="status">
            {t("account.passwordChanged")}
          </p>
        ) : null}
        <Form method="post" className="stack" noValidate>
          {me.hasPassword ? <Field name="currentPassword" type="password" label={t("account.currentPassword")} state={state} autoComplete="current-password" /> : null}
          <Field name="newPassword" type="password" label={t("account.newPassword")} state={state} autoComplete="new-password" />
          <Field name="confirmPassword" type="password" label={t("account.confirmPassword")} state={state} autoComplete="new-password" />
          <div>
            <button type="submit" className="primary">
              {t("common.save")}
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
