import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { deviceIdFrom, signIn, type SignInResult } from "../auth/sign-in.server";
import { Field, FormMessages } from "../components/form-controls";
import { parseSubmission, replyRefused } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { safeRedirectPath } from "../domain/safe-redirect";
import { refuse, type Refusal } from "../services/result";
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

/** Why signing in was refused, said above the form with the wait it names. */
function signInRefusal(result: Exclude<SignInResult, { ok: true }>): Refusal {
  switch (result.error) {
    case "lockedAccountLong":
      return refuse("_form", "login.lockedAccountLong", { hours: result.hours });
    case "lockedAccount":
      return refuse("_form", "login.lockedAccount", { minutes: result.minutes });
    case "lockedAddress":
      return refuse("_form", "login.lockedAddress", { minutes: result.minutes });
    case "activationExpired":
      return refuse("_form", "login.activationExpired");
    default:
      return refuse("_form", "login.invalid");
  }
}

/** The password is never sent back to the page; the identifier is kept. */
const SECRET = { hideFields: ["password"] };

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseSubmission(await request.formData(), signInSchema);
  if (submission.status !== "success") return submission.reply(SECRET);
  if (!signInPossible(context)) return replyRefused(submission, refuse("_form", "login.httpsRequired"), SECRET);
  const result = await signIn({
    identifier: submission.value.identifier,
    password: submission.value.password,
    clientAddress: context.clientAddress,
    transport: { secure: context.secure },
    deviceId: deviceIdFrom(request.headers.get("Cookie")),
    previousSessionId: context.sessionId,
  });
  if (result.ok) {
    const headers = new Headers();
    for (const cookie of result.cookies) headers.append("Set-Cookie", cookie);
    throw redirect(safeRedirectPath(submission.value.next), { headers });
  }
  return replyRefused(submission, signInRefusal(result), SECRET);
}

export default function Login() {
  const t = useT();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(signInSchema, { lastResult });
  const page = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card login">
      <h1>{t("login.title")}</h1>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="next" value={params.get("next") ?? ""} />
        {page?.httpRefused && !form.errors?.length ? (
          <p className="form-error" role="alert" data-testid="https-required">
            {t("login.httpsRequired")}
          </p>
        ) : null}
        <FormMessages errors={form.errors} />
        <Field meta={fields.identifier} label={t("login.identifier")} autoComplete="username" autoFocus />
        <Field meta={fields.password} label={t("login.password")} type="password" autoComplete="current-password" />
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
