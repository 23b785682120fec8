import type { TitledHandle } from "../route-handle";
import type { MessageKey } from "../i18n/messages";
import { SubmitButton } from "../components/SubmitButton";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ROLES } from "../../db/schema";
import { notFound, requireGlobalPermission } from "../auth/guard.server";
import { Field, SelectField } from "../components/Field";
import { FormError } from "../components/FormError";
import { Notice } from "../components/Notice";
import { PersonFields } from "../components/PersonFields";
import { useT } from "../i18n/use-t";
import { listOrganisations } from "../services/organisations.server";
import { assignRole, getUser, removeRole, resetPassword, rolesOf, setActive, updateUser } from "../services/users.server";
import { formValues, parseForm } from "../validation/form";
import { assignRoleSchema, editUserSchema, password } from "../validation/people";

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

const passwordSchema = z.object({ newPassword: password });

export async function action({ context, request, params }: ActionFunctionArgs) {
  const admin = requireGlobalPermission(context, request, "manage:user");
  const userId = params.userId!;
  if (!getUser(userId)) throw notFound();
  const formData = await request.formData();
  const intent = String(formData.get("intent"));
  const back = (notice: MessageKey) => redirectWithNotice(context, `/admin/users/${userId}`, notice);

  switch (intent) {
    case "profile": {
      const parsed = parseForm(editUserSchema, formData);
      if (!parsed.ok) return { intent, errors: parsed.errors, values: parsed.values };
      const result = updateUser(admin.id, userId, parsed.data);
      if (!result.ok) return { intent, errors: result.errors, values: formValues(formData) };
      throw back("common.saved");
    }
    case "assign-role": {
      const parsed = parseForm(assignRoleSchema, formData);
      if (!parsed.ok) return { intent, errors: parsed.errors, values: parsed.values };
      const result = assignRole(admin.id, userId, parsed.data.organisationId, parsed.data.role);
      if (!result.ok) return { intent, errors: result.errors, values: formValues(formData) };
      throw back("common.saved");
    }
    case "remove-role": {
      const result = removeRole(admin.id, userId, Number(formData.get("assignmentId")));
      if (!result.ok) return { intent, errors: result.errors, values: {} };
      throw back("common.saved");
    }
    case "reset-password": {
      const parsed = parseForm(passwordSchema, formData);
      if (!parsed.ok) return { intent, errors: parsed.errors, values: {} };
      await resetPassword(admin.id, userId, parsed.data.newPassword);
      throw back("user.passwordReset");
    }
    case "deactivate":
    case "reactivate": {
      const result = await setActive(admin.id, userId, intent === "reactivate");
      if (!result.ok) return { intent, errors: result.errors, values: {} };
      throw back(intent === "reactivate" ? "user.reactivated" : "user.deactivated");
    }
  }
  throw new Response("Bad Request", { status: 400 });
}

export default function UserDetail() {
  const t = useT();
  const { user, roles, organisations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const stateFor = (intent: string) => (result?.intent === intent ? result : undefined);
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
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="profile" />
          <PersonFields state={stateFor("profile")} initial={user} />
          <div>
            <SubmitButton className="primary">{t("common.save")}</SubmitButton>
          </div>
        </Form>
      </section>
      <section className="card">
        <h2>{t("user.roles")}</h2>
        <FormError state={stateFor("remove-role")} />
        <ul data-testid="user-roles">
          {roles.map((r) => (
            <li key={r.id} className="actions">
              <span>
                {t(`role.${r.role}`)} · {r.organisationName}
              </span>
              <Form method="post">
                <input type="hidden" name="intent" value="remove-role" />
                <input type="hidden" name="assignmentId" value={r.id} />
                <SubmitButton className="link-button">{t("user.removeRole")}</SubmitButton>
              </Form>
            </li>
          ))}
        </ul>
        <Form method="post" className="row" noValidate>
          <input type="hidden" name="intent" value="assign-role" />
          <SelectField
            name="organisationId"
            label={t("user.organisation")}
            state={stateFor("assign-role")}
            placeholder=""
            options={organisations.map((o) => ({ value: o.id, label: `${o.name}（${t(`orgKind.${o.kind}`)}）` }))}
          />
          <SelectField
            name="role"
            label={t("user.role")}
            state={stateFor("assign-role")}
            placeholder=""
            options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          />
          <SubmitButton className="secondary">{t("user.addRole")}</SubmitButton>
        </Form>
      </section>
      <section className="card">
        <h2>{t("user.resetPassword")}</h2>
        <Form method="post" className="row" noValidate>
          <input type="hidden" name="intent" value="reset-password" />
          <Field
            name="newPassword"
            type="password"
            label={t("user.newPassword")}
            state={stateFor("reset-password")}
            autoComplete="new-password"
          />
          <SubmitButton className="secondary">{t("user.resetPassword")}</SubmitButton>
        </Form>
      </section>
      <section className="card">
        <FormError state={stateFor("deactivate")} />
        <Form method="post">
          <input type="hidden" name="intent" value={user.active ? "deactivate" : "reactivate"} />
          <SubmitButton className={user.active ? "danger" : "secondary"}>
            {user.active ? t("user.deactivate") : t("user.reactivate")}
          </SubmitButton>
        </Form>
      </section>
    </>
  );
}
