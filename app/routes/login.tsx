import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { deviceIdFrom, signIn } from "../auth/sign-in.server";
import { Field } from "../components/Field";
import { translator } from "../i18n/messages";
import { useT } from "../i18n/use-t";
import { safeRedirectPath } from "../domain/safe-redirect";
import { parseForm } from "../validation/form";
import { signInSchema } from "../validation/people";

export const handle: TitledHandle = { title: "login.title" };

/** Whether a session cookie can reach this browser at all (see `cookiePolicy`). */
function signInPossible(context: AppLoadContext): boolean {
  return context.secure || context.httpSignIn;
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  if (context.user) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("next")));
  return { httpRefused: !signInPossible(context) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const t = translator(context.locale);
  const parsed = parseForm(signInSchema, await request.formData());
  if (!parsed.ok) return { errors: parsed.errors, values: { identifier: parsed.values.identifier ?? "" }, formError: null };
  if (!signInPossible(context)) return { errors: {}, values: { identifier: parsed.data.identifier }, formError: t("login.httpsRequired") };
  const result = await signIn({
    identifier: parsed.data.identifier,
    password: parsed.data.password,
    clientAddress: context.clientAddress,
    transport: { secure: context.secure },
    deviceId: deviceIdFrom(request.headers.get("Cookie")),
    previousSessionId: context.sessionId,
  });
  if (result.ok) {
    const headers = new Headers();
    for (const cookie of result.cookies) headers.append("Set-Cookie", cookie);
    throw redirect(safeRedirectPath(parsed.data.next), { headers });
  }
  const formError =
    result.error === "lockedAccountLong"
      ? t("login.lockedAccountLong", { hours: result.hours })
      : result.error === "lockedAccount" || result.error === "lockedAddress"
        ? t(result.error === "lockedAccount" ? "login.lockedAccount" : "login.lockedAddress", { minutes: result.minutes })
        : t(result.error === "activationExpired" ? "login.activationExpired" : "login.invalid");
  return { errors: {}, values: { identifier: parsed.data.identifier }, formError };
}

export default function Login() {
  const t = useT();
  const state = useActionData<typeof action>();
  const page = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card login">
      <h1>{t("login.title")}</h1>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="next" value={params.get("next") ?? ""} />
        {page?.httpRefused && !state?.formError ? (
          <p className="form-error" role="alert" data-testid="https-required">
            {t("login.httpsRequired")}
          </p>
        ) : null}
        {state?.formError ? (
          <p className="form-error" role="alert">
            {state.formError}
          </p>
        ) : null}
        <Field name="identifier" label={t("login.identifier")} state={state} autoComplete="username" autoFocus />
        <Field name="password" label={t("login.password")} state={state} type="password" autoComplete="current-password" />
        <SubmitButton className="primary" disabled={busy}>
          {t("login.submit")}
        </SubmitButton>
      </Form>
      <p className="muted">
        {t("login.verifyHint")} <a href="/verify">{t("login.verifyLink")}</a>
      </p>
    </section>
  );
}
