import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { notFound, requireGlobalPermission } from "../auth/guard.server";
import { AccreditationBadge } from "../components/AccreditationBadge";
import { DesignationHistory } from "../components/DesignationHistory";
import { Notice } from "../components/Notice";
import { OrganisationForm } from "../components/OrganisationForm";
import { statusOn } from "../domain/accreditation";
import { regionFieldValue } from "../domain/regions";
import { regions } from "../content/regions.server";
import { useT } from "../i18n/use-t";
import { accreditationHistory, getOrganisation, listOrganisations, membersOf, updateOrganisation } from "../services/organisations.server";
import { today } from "../services/clock.server";
import { parseSubmission, replyRefused } from "../forms/submission";
import { organisationEditSchema } from "../validation/organisations";

export const handle: TitledHandle = { title: "nav.adminOrganisations" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireGlobalPermission(context, request, "manage:organisation");
  const org = getOrganisation(params.orgId!);
  if (!org) throw notFound();
  const history = org.kind === "training_base" ? accreditationHistory(org.id) : [];
  return {
    org: { ...org, region: regionFieldValue(regions(), org.regionCode) },
    history: [...history].reverse(),
    status: org.kind === "training_base" ? statusOn(history, today()) : null,
    alliances: listOrganisations("alliance")
      .filter((a) => a.id !== org.id)
      .map((a) => ({ id: a.id, name: a.name })),
    members: membersOf(org.id),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const admin = requireGlobalPermission(context, request, "manage:organisation");
  const formData = await request.formData();
  const orgId = params.orgId!;
  const submission = parseSubmission(formData, organisationEditSchema);
  if (submission.status !== "success") return submission.reply();
  const result = updateOrganisation(admin.id, orgId, submission.value);
  if (!result.ok) return replyRefused(submission, result);
  throw redirectWithNotice(context, `/admin/organisations/${orgId}`, "common.saved");
}

export default function EditOrganisation() {
  const t = useT();
  const { org, history, status, alliances, members } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
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
        <OrganisationForm lastResult={result} initial={org} alliances={alliances} withActive />
      </section>
      {org.kind === "training_base" ? (
        <section className="card" id="accreditation">
          <h2>{t("org.accreditationHistory")}</h2>
          <p className="muted">{t("org.designationByBureau")}</p>
          <DesignationHistory history={history} />
        </section>
      ) : null}
      <section className="card">
        <h2>{t("org.members")}</h2>
        {members.staff.length === 0 ? <p className="muted">{t("common.none")}</p> : null}
        <ul>
          {members.staff.map((m) => (
            <li key={`${m.userId}-${m.role}`}>
              <Link to={`/admin/users/${m.userId}`}>{m.name}</Link> · {t(`role.${m.role}`)}
            </li>
          ))}
        </ul>
        {members.trainees ? <p className="muted">{t("org.traineesHere", { n: members.trainees })}</p> : null}
      </section>
    </>
  );
}
