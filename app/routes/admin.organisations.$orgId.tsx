import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ACCREDITATION_STATUSES } from "../../db/schema";
import { notFound, requireGlobalPermission } from "../auth/guard.server";
import { AccreditationBadge } from "../components/AccreditationBadge";
import { Field, SelectField } from "../components/Field";
import { Notice } from "../components/Notice";
import { OrganisationForm } from "../components/OrganisationForm";
import { statusOn } from "../domain/accreditation";
import { useT } from "../i18n/use-t";
import {
  accreditationHistory,
  addAccreditation,
  getOrganisation,
  listOrganisations,
  membersOf,
  today,
  updateOrganisation,
} from "../services/organisations.server";
import { formValues, parseForm } from "../validation/form";
import { accreditationSchema, organisationSchema } from "../validation/organisations";
import { shanghaiDateTime } from "../domain/dates";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireGlobalPermission(context, request, "manage:organisation");
  const org = getOrganisation(params.orgId!);
  if (!org) throw notFound();
  const history = org.kind === "training_base" ? accreditationHistory(org.id) : [];
  return {
    org,
    history: [...history].reverse(),
    status: org.kind === "training_base" ? statusOn(history, today()) : null,
    alliances: listOrganisations("alliance").filter((a) => a.id !== org.id).map((a) => ({ id: a.id, name: a.name })),
    members: membersOf(org.id),
    today: today(),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const formData = await request.formData();
  const intent = String(formData.get("intent"));
  const orgId = params.orgId!;
  if (intent === "accreditation") {
    const admin = requireGlobalPermission(context, request, "manage:accreditation");
    const parsed = parseForm(accreditationSchema, formData);
    if (!parsed.ok) return { intent, errors: parsed.errors, values: parsed.values };
    addAccreditation(admin.id, orgId, parsed.data);
    throw redirect(`/admin/organisations/${orgId}?notice=common.saved`);
  }
  const admin = requireGlobalPermission(context, request, "manage:organisation");
  const parsed = parseForm(organisationSchema, formData);
  if (!parsed.ok) return { intent, errors: parsed.errors, values: parsed.values };
  const result = updateOrganisation(admin.id, orgId, { ...parsed.data, active: formData.get("active") === "1" });
  if (!result.ok) return { intent, errors: result.errors, values: formValues(formData) };
  throw redirect(`/admin/organisations/${orgId}?notice=common.saved`);
}

export default function EditOrganisation() {
  const t = useT();
  const { org, history, status, alliances, members, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const orgState = result?.intent === "organisation" ? result : undefined;
  const accrState = result?.intent === "accreditation" ? result : undefined;
  return (
    <>
      <p>
        <Link to="/admin/organisations">← {t("org.list")}</Link>
      </p>
      <h1>
        {org.name} {status ? <AccreditationBadge status={status} /> : null}
      </h1>
      <Notice />
      <section className="card">
        <h2>{t("org.edit")}</h2>
        <OrganisationForm state={orgState} initial={org} alliances={alliances} withActive />
      </section>
      {org.kind === "training_base" ? (
        <section className="card" id="accreditation">
          <h2>{t("org.accreditationHistory")}</h2>
          <div className="table-wrap">
            <table data-testid="accreditation-history">
              <thead>
                <tr>
                  <th>{t("org.effectiveFrom")}</th>
                  <th>{t("org.accrStatus")}</th>
                  <th>{t("org.accrNumber")}</th>
                  <th>{t("base.validity")}</th>
                  <th>{t("org.note")}</th>
                  <th>{t("org.recordedAt")}</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={h.id}>
                    <td>{h.effectiveFrom}</td>
                    <td>{t(`accr.${h.status}`)}</td>
                    <td>{h.number}</td>
                    <td>
                      {h.validFrom} – {h.validTo}
                    </td>
                    <td>{h.note}</td>
                    <td>{shanghaiDateTime(h.recordedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>{t("org.addAccreditation")}</h2>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="accreditation" />
            <Field name="number" label={t("org.accrNumber")} state={accrState} defaultValue={history[0]?.number} />
            <SelectField
              name="status"
              label={t("org.accrStatus")}
              state={accrState}
              placeholder=""
              options={ACCREDITATION_STATUSES.map((s) => ({ value: s, label: t(`accr.${s}`) }))}
            />
            <div className="row">
              <Field name="validFrom" type="date" label={t("org.validFrom")} state={accrState} defaultValue={history[0]?.validFrom} />
              <Field name="validTo" type="date" label={t("org.validTo")} state={accrState} defaultValue={history[0]?.validTo} />
              <Field name="effectiveFrom" type="date" label={t("org.effectiveFrom")} state={accrState} defaultValue={today} />
            </div>
            <Field name="note" label={t("org.note")} state={accrState} />
            <div>
              <button type="submit" className="primary">
                {t("common.save")}
              </button>
            </div>
          </Form>
        </section>
      ) : null}
      <section className="card">
        <h2>{t("org.members")}</h2>
        {members.length === 0 ? <p className="muted">{t("common.none")}</p> : null}
        <ul>
          {members.map((m) => (
            <li key={`${m.userId}-${m.role}`}>
              <Link to={`/admin/users/${m.userId}`}>{m.name}</Link> · {t(`role.${m.role}`)}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
