import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderEnrolmentSlips } from "../pdf/enrolment-slip.server";
import { requireCohort } from "../auth/access.server";
import { awaitingActivation } from "../services/activation-slips.server";
import { recordExport } from "../services/audit.server";
import { verifyBase } from "../services/certificates.server";
import { today } from "../services/clock.server";
import { attachment } from "../utils/download";

/** The cohort's enrolment slips (or one trainee's, with ?user=): each export is audit-logged, for it holds activation codes. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, cohort } = requireCohort(context, request, params, "manage:cohort");
  const only = new URL(request.url).searchParams.get("user");
  const slips = awaitingActivation(user, cohort).slips.filter((s) => !only || s.userId === only);
  if (slips.length === 0) throw new Response("Not Found", { status: 404 });
  recordExport(user.id, "enrolment-slips", {
    entityType: "cohort",
    entityId: cohort.id,
    organisationId: cohort.organisationId,
    people: slips.length,
  });
  const pdf = await renderEnrolmentSlips(
    {
      baseName: cohort.organisationName,
      cohortName: cohort.name,
      programTitle: cohort.programTitle,
      startDate: cohort.startDate,
      endDate: cohort.endDate,
      signInUrl: `${verifyBase()}/login`,
    },
    slips,
    today(),
  );
  return new Response(new Uint8Array(pdf), {
    headers: { "Content-Type": "application/pdf", "Content-Disposition": attachment(`${cohort.name}报名回执.pdf`, "enrolment-slips.pdf") },
  });
}
