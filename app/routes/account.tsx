import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { requireUser } from "../auth/guard.server";
import { ChoiceGroup, Field, FormMessages } from "../components/form-controls";
import { Notice } from "../components/Notice";
import { parseSubmission, replyRefused, type FormReply } from "../forms/submission";
import { replyFor, useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { mailEnabled } from "../services/mailer.server";
import { notificationSettings, saveNotificationSettings } from "../services/notifications.server";
import { changeOwnPassword } from "../services/users.server";
import { changePasswordSchema, notificationSettingsSchema } from "../validation/people";

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

type ActionData = { intent: "password" | "notifications"; reply: FormReply; done?: boolean };

/** Passwords are never sent back to the page. */
const SECRETS = { hideFields: ["currentPassword", "newPassword", "confirmPassword"] };

export async function action({ context, request }: ActionFunctionArgs): Promise<ActionData> {
  const user = requireUser(context, request);
  const formData = await request.formData();
  if (formData.get("intent") === "notifications") {
    const submission = parseSubmission(formData, notificationSettingsSchema);
    if (submission.status !== "success") return { intent: "notifications", reply: submission.reply() };
    const saved = saveNotificationSettings(user.id, rolesOf(user), submission.value);
    if (!saved.ok) return { intent: "notifications", reply: replyRefused(submission, saved) };
    return { intent: "notifications", reply: submission.reply(), done: true };
  }
  const submission = parseSubmission(formData, changePasswordSchema(user.hasPassword));
  if (submission.status !== "success") return { intent: "password", reply: submission.reply(SECRETS) };
  const result = await changeOwnPassword(user.id, context.sessionId!, submission.value.currentPassword, submission.value.newPassword);
  if (!result.ok) return { intent: "password", reply: replyRefused(submission, result, SECRETS) };
  if (user.mustChangePassword) throw redirect("/home");
  return { intent: "password", reply: submission.reply({ resetForm: true }), done: true };
}

export default function Account() {
  const t = useT();
  const { me, notifications, mailEnabled } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [password, passwordFields] = useSchemaForm(changePasswordSchema(me.hasPassword), {
    id: "change-password",
    lastResult: replyFor(answer, "password"),
  });
  const [settings, settingsFields] = useSchemaForm(notificationSettingsSchema, {
    id: "notification-settings",
    lastResult: replyFor(answer, "notifications"),
    defaultValue: { email: notifications.email ?? "", emailKinds: notifications.kinds.filter((k) => k.email).map((k) => k.kind) },
  });
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
        {answer?.intent === "password" && answer.done ? (
          <p className="flash" role="status">
            {t("account.passwordChanged")}
          </p>
        ) : null}
        <Form method="post" className="stack" {...getFormProps(password)}>
          <FormMessages errors={password.errors} />
          {me.hasPassword ? (
            <Field
              meta={passwordFields.currentPassword}
              type="password"
              label={t("account.currentPassword")}
              autoComplete="current-password"
            />
          ) : null}
          <Field meta={passwordFields.newPassword} type="password" label={t("account.newPassword")} autoComplete="new-password" />
          <Field meta={passwordFields.confirmPassword} type="password" label={t("account.confirmPassword")} autoComplete="new-password" />
          <div>
            <SubmitButton className="primary">{t("common.save")}</SubmitButton>
          </div>
        </Form>
      </section>
      {/* A first sign-in is about choosing a password; notification settings come after. */}
      {me.mustChangePassword || !me.hasPassword ? null : (
        <section className="card" id="notifications">
          <h2>{t("notify.settings")}</h2>
          {answer?.intent === "notifications" && answer.done ? (
            <p className="flash" role="status">
              {t("notify.settingsSaved")}
            </p>
          ) : null}
          {mailEnabled ? null : <p className="muted">{t("notify.mailOff")}</p>}
          <Form method="post" className="stack" {...getFormProps(settings)}>
            <input type="hidden" name="intent" value="notifications" />
            <FormMessages errors={settings.errors} />
            <Field
              meta={settingsFields.email}
              type="email"
              label={t("notify.email")}
              autoComplete="email"
              maxLength={254}
              hint={t("notify.emailHint")}
            />
            {notifications.kinds.length ? (
              <ChoiceGroup
                meta={settingsFields.emailKinds}
                legend={t("notify.emailKinds")}
                type="checkbox"
                className="email-kinds"
                options={notifications.kinds.map((k) => ({ value: k.kind, label: t(`notify.kind.${k.kind}`) }))}
              />
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
