import type { TitledHandle } from "../route-handle";
import type { MessageKey } from "../i18n/messages";
import { SubmitButton } from "../components/SubmitButton";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import * as z from "zod";
import { ROLES } from "../../db/schema";
import { notFound, requireGlobalPermission } from "../auth/guard.server";
import { Field, FormMessages, SelectField } from "../components/form-controls";
import { Notice } from "../components/Notice";
import { PersonFields } from "../components/PersonFields";
import { useT } from "../i18n/use-t";
import { listOrganisations } from "../services/organisations.server";
import { assignRole, getUser, removeRole, resetPassword, rolesOf, setActive, updateUser } from "../services/users.server";
import { noFields, parseSubmission, replyRefused, type FormReply } from "../forms/submission";
import { replyFor, useSchemaForm } from "../forms/use-schema-form";
import { wholeNumber } from "../validation/fields";
import { assignRoleSchema, editUserSchema, resetPasswordSchema } from "../validation/people";

export const handle: TitledHandle = { title: "nav.adminUsers" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireGlobalPermission(context, request, "manage:user");
  const user = getUser(params.userId!);
  if (!user) throw notFound();
  const { passwordHash: _hash, ...person } = user;
  return {
    // Admins see the ID number in full: they correct it when a trainee's record is wrong.
    user: person,
    roles: rolesOf(user.id),
    organisations: listOrganisations().map((o) => ({ id: o.id, name: o.name, kind: o.kind })),
  };
}

/** The role's button says which assignment it removes. */
const removeRoleSchema = z.object({ assignmentId: wholeNumber(0, Number.MAX_SAFE_INTEGER) });

const INTENTS = ["profile", "assign-role", "remove-role", "reset-password", "deactivate", "reactivate"] as const;
type Intent = (typeof INTENTS)[number];

export async function action({ context, request, params }: ActionFunctionArgs): Promise<{ intent: Intent; reply: FormReply }> {
  const admin = requireGlobalPermission(context, request, "manage:user");
  const userId = params.userId!;
  if (!getUser(userId)) throw notFound();
  const formData = await request.formData();
  const intent = INTENTS.find((i) => i === formData.get("intent"));
  const back = (notice: MessageKey) => redirectWithNotice(context, `/admin/users/${userId}`, notice);

  switch (intent) {
    case "profile": {
      const submission = parseSubmission(formData, editUserSchema);
      if (submission.status !== "success") return { intent, reply: submission.reply() };
      const result = updateUser(admin.id, userId, submission.value);
      if (!result.ok) return { intent, reply: replyRefused(submission, result) };
      throw back("common.saved");
    }
    case "assign-role": {
      const submission = parseSubmission(formData, assignRoleSchema);
      if (submission.status !== "success") return { intent, reply: submission.reply() };
      const result = assignRole(admin.id, userId, submission.value.organisationId, submission.value.role);
      if (!result.ok) return { intent, reply: replyRefused(submission, result) };
      throw back("common.saved");
    }
    case "remove-role": {
      const submission = parseSubmission(formData, removeRoleSchema);
      if (submission.status !== "success") return { intent, reply: submission.reply() };
      const result = removeRole(admin.id, userId, submission.value.assignmentId);
      if (!result.ok) return { intent, reply: replyRefused(submission, result) };
      throw back("common.saved");
    }
    case "reset-password": {
      const submission = parseSubmission(formData, resetPasswordSchema);
      // The temporary password is never sent back to the page.
      if (submission.status !== "success") return { intent, reply: submission.reply({ hideFields: ["newPassword"] }) };
      await resetPassword(admin.id, userId, submission.value.newPassword);
      throw back("user.passwordReset");
    }
    case "deactivate":
    case "reactivate": {
      const submission = parseSubmission(formData, noFields);
      const result = await setActive(admin.id, userId, intent === "reactivate");
      if (!result.ok) return { intent, reply: replyRefused(submission, result) };
      throw back(intent === "reactivate" ? "user.reactivated" : "user.deactivated");
    }
  }
  throw new Response("Bad Request", { status: 400 });
}

export default function UserDetail() {
  const t = useT();
  const { user, roles, organisations } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [profile, profileFields] = useSchemaForm(editUserSchema, {
    id: "profile",
    lastResult: replyFor(data, "profile"),
    defaultValue: { name: user.name, username: user.username ?? "", mobile: user.mobile ?? "", idNumber: user.idNumber ?? "" },
  });
  const [removal] = useSchemaForm(removeRoleSchema, { id: "remove-role", lastResult: replyFor(data, "remove-role") });
  const [assignment, assignmentFields] = useSchemaForm(assignRoleSchema, { id: "assign-role", lastResult: replyFor(data, "assign-role") });
  const [reset, resetFields] = useSchemaForm(resetPasswordSchema, { id: "reset-password", lastResult: replyFor(data, "reset-password") });
  const activeIntent = user.active ? "deactivate" : "reactivate";
  const [activation] = useSchemaForm(noFields, { id: "active", lastResult: replyFor(data, activeIntent) });
  return (
    <>
      <p>
        <Link to="/admin/users">← {t("user.list")}</Link>
      </p>
      <h1>
        {user.name} {user.active ? null : <span className="badge suspended">{t("common.inactive")}</span>}
      </h1>
      <Notice />
      <section className="card">
        <Form method="post" className="stack" {...getFormProps(profile)}>
          <input type="hidden" name="intent" value="profile" />
          <FormMessages errors={profile.errors} />
          <PersonFields fields={profileFields} />
          <div>
            <SubmitButton className="primary">{t("common.save")}</SubmitButton>
          </div>
        </Form>
      </section>
      <section className="card">
        <h2>{t("user.roles")}</h2>
        {/* One form for the list: each role's button sends which assignment it removes. */}
        <Form method="post" {...getFormProps(removal)}>
          <input type="hidden" name="intent" value="remove-role" />
          <FormMessages errors={removal.errors} />
          <ul data-testid="user-roles">
            {roles.map((r) => (
              <li key={r.id} className="actions">
                <span>
                  {t(`role.${r.role}`)} · {r.organisationName}
                </span>
                <SubmitButton name="assignmentId" value={r.id} className="link-button">
                  {t("user.removeRole")}
                </SubmitButton>
              </li>
            ))}
          </ul>
        </Form>
        <Form method="post" className="row" {...getFormProps(assignment)}>
          <input type="hidden" name="intent" value="assign-role" />
          <SelectField
            meta={assignmentFields.organisationId}
            label={t("user.organisation")}
            placeholder=""
            options={organisations.map((o) => ({ value: o.id, label: `${o.name}（${t(`orgKind.${o.kind}`)}）` }))}
          />
          <SelectField
            meta={assignmentFields.role}
            label={t("user.role")}
            placeholder=""
            options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          />
          <SubmitButton className="secondary">{t("user.addRole")}</SubmitButton>
        </Form>
      </section>
      <section className="card">
        <h2>{t("user.resetPassword")}</h2>
        <Form method="post" className="row" {...getFormProps(reset)}>
          <input type="hidden" name="intent" value="reset-password" />
          <Field meta={resetFields.newPassword} type="password" label={t("user.newPassword")} autoComplete="new-password" />
          <SubmitButton className="secondary">{t("user.resetPassword")}</SubmitButton>
        </Form>
      </section>
      <section className="card">
        <FormMessages errors={activation.errors} />
        <Form method="post" {...getFormProps(activation)}>
          <input type="hidden" name="intent" value={activeIntent} />
          <SubmitButton className={user.active ? "danger" : "secondary"}>
            {user.active ? t("user.deactivate") : t("user.reactivate")}
          </SubmitButton>
        </Form>
      </section>
    </>
  );
}
