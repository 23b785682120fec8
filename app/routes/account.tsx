import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guard.server";
import { Field } from "../components/Field";
import { Notice } from "../components/Notice";
import { useT } from "../i18n/use-t";
import { mailEnabled } from "../services/mailer.server";
import { notificationSettings, saveNotificationSettings } from "../services/notifications.server";
import { changeOwnPassword } from "../services/users.server";
import { parseForm } from "../validation/form";
import { changePasswordSchema } from "../validation/people";

export const handle: TitledHandle = { title: "account.title" };

const rolesOf = (user: { assignments: { role: Parameters<typeof notificationSettings>[1][number] }[] }) => [
  ...new Set(user.assignments.map((a) => a.role)),
];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  // The person sees their own ID number in full.
  return {
    me: {
      name: user.name,
      username: user.username,
      mobile: user.mobile,
      idNumber: user.idNumber,
      hasPassword: user.hasPassword,
      mustChangePassword: user.mustChangePassword,
    },
    notifications: notificationSettings(user.id, rolesOf(user)),
    mailEnabled: mailEnabled(),
  };
}

type ActionData =
  | { intent: "password"; errors: Partial<Record<string, string>>; done: boolean }
  | { intent: "notifications"; errors: Partial<Record<string, string>>; values: Record<string, string>; done: boolean };

export async function action({ context, request }: ActionFunctionArgs): Promise<ActionData> {
  const user = requireUser(context, request);
  const form = await request.formData();
  if (form.get("intent") === "notifications") {
    const email = String(form.get("email") ?? "").slice(0, 300);
    const saved = saveNotificationSettings(user.id, rolesOf(user), { email, emailKinds: form.getAll("emailKinds").map(String) });
    return saved.ok
      ? { intent: "notifications", errors: {}, values: {}, done: true }
      : { intent: "notifications", errors: saved.errors, values: { email }, done: false };
  }
  const parsed = parseForm(changePasswordSchema(user.hasPassword), form);
  if (!parsed.ok) return { intent: "password", errors: parsed.errors, done: false };
  const result = await changeOwnPassword(user.id, context.sessionId!, parsed.data.currentPassword, parsed.data.newPassword);
  if (!result.ok) return { intent: "password", errors: result.errors, done: false };
  if (user.mustChangePassword) throw redirect("/home");
  return { intent: "password", errors: {}, done: true };
}

export default function Account() {
  const t = useT();
  const { me, notifications, mailEnabled } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const password = answer?.intent === "password" ? answer : undefined;
  const settings = answer?.intent === "notifications" ? answer : undefined;
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
        {password?.done ? (
          <p className="flash" role="status">
            {t("account.passwordChanged")}
          </p>
        ) : null}
        <Form method="post" className="stack" noValidate>
          {me.hasPassword ? (
            <Field
              name="currentPassword"
              type="password"
              label={t("account.currentPassword")}
              state={password}
              autoComplete="current-password"
            />
          ) : null}
          <Field name="newPassword" type="password" label={t("account.newPassword")} state={password} autoComplete="new-password" />
          <Field name="confirmPassword" type="password" label={t("account.confirmPassword")} state={password} autoComplete="new-password" />
          <div>
            <SubmitButton className="primary">{t("common.save")}</SubmitButton>
          </div>
        </Form>
      </section>
      {/* A first sign-in is about choosing a password; notification settings come after. */}
      {me.mustChangePassword || !me.hasPassword ? null : (
        <section className="card" id="notifications">
          <h2>{t("notify.settings")}</h2>
          {settings?.done ? (
            <p className="flash" role="status">
              {t("notify.settingsSaved")}
            </p>
          ) : null}
          {mailEnabled ? null : <p className="muted">{t("notify.mailOff")}</p>}
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="notifications" />
            <Field
              name="email"
              type="email"
              label={t("notify.email")}
              state={settings}
              defaultValue={notifications.email}
              autoComplete="email"
              maxLength={254}
              hint={t("notify.emailHint")}
            />
            {notifications.kinds.length ? (
              <fieldset className="email-kinds">
                <legend>{t("notify.emailKinds")}</legend>
                {notifications.kinds.map((k) => (
                  <label key={k.kind}>
                    <input type="checkbox" name="emailKinds" value={k.kind} defaultChecked={k.email} /> {t(`notify.kind.${k.kind}`)}
                  </label>
                ))}
              </fieldset>
            ) : (
              <p className="muted">{t("notify.noKinds")}</p>
            )}
            <div>
              <SubmitButton className="primary">{t("common.save")}</SubmitButton>
            </div>
          </Form>
        </section>
      )}
    </>
  );
}
