import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireGlobalPermission } from "../auth/guard.server";
import { OrganisationForm } from "../components/OrganisationForm";
import { useT } from "../i18n/use-t";
import { createOrganisation, listOrganisations } from "../services/organisations.server";
import { parseSubmission, replyRefused } from "../forms/submission";
import { organisationSchema } from "../validation/organisations";

export const handle: TitledHandle = { title: "org.new" };

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireGlobalPermission(context, request, "manage:organisation");
  return { alliances: listOrganisations("alliance").map((a) => ({ id: a.id, name: a.name })) };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireGlobalPermission(context, request, "manage:organisation");
  const formData = await request.formData();
  const submission = parseSubmission(formData, organisationSchema);
  if (submission.status !== "success") return submission.reply();
  const result = createOrganisation(admin.id, submission.value);
  if (!result.ok) return replyRefused(submission, result);
  throw redirectWithNotice(context, `/admin/organisations/${result.value}`, "common.saved");
}

export default function NewOrganisation() {
  const t = useT();
  const { alliances } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <section className="card">
      <h1>{t("org.new")}</h1>
      <OrganisationForm lastResult={state} alliances={alliances} />
    </section>
  );
}
