import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { signIn } from "../auth/sign-in.server";
import { Field } from "../components/Field";
import { translator } from "../i18n/messages";
import { useT } from "../i18n/use-t";
import { safeRedirectPath } from "../utils/safe-redirect";
import { parseForm } from "../validation/form";
import { signInSchema } from "../validation/people";

export const meta: MetaFunction = () => [{ title: "登录 · 医养结合培训与认证" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  if (context.user) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("next")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseForm(signInSchema, await request.formData());
  if (!parsed.ok) return { errors: parsed.errors, values: { identifier: parsed.values.identifier ?? "" }, formError: null };
  const result = await signIn({ identifier: parsed.data.identifier, password: parsed.data.password, clientAddress: context.clientAddress });
  if (result.ok) throw redirect(safeRedirectPath(parsed.data.next), { headers: { "Set-Cookie": result.cookie } });
  const t = translator(context.locale);
  const formError =
    result.error === "lockedAccountLong"
      ? t("login.lockedAccountLong", { hours: result.hours })
      : result.error === "lockedAccount" || result.error === "lockedAddress"
        ? t(result.error === "lockedAccount" ? "login.lockedAccount" : "login.lockedAddress", { minutes: result.minutes })
        : t(result.error === "inactive" ? "login.inactive" : "login.invalid");
  return { errors: {}, values: { identifier: parsed.data.identifier }, formError };
}

export default function Login() {
  const t = useT();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card login">
      <h1>{t("login.title")}</h1>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="next" value={params.get("next") ?? ""} />
        {state?.formError ? (
          <p className="form-error" role="alert">
            {state.formError}
          </p>
        ) : null}
        <Field name="identifier" label={t("login.identifier")} state={state} autoComplete="username" autoFocus />
        <Field name="password" label={t("login.password")} state={state} type="password" autoComplete="current-password" />
        <button type="submit" className="primary" disabled={busy}>
          {t("login.submit")}
        </button>
      </Form>
      <p className="muted">
        {t("login.verifyHint")} <a href="/verify">{t("login.verifyLink")}</a>
      </p>
    </section>
  );
}
