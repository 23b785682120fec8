import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCohort } from "../auth/access.server";
import { awaitingActivation } from "../services/activation-slips.server";
import { recordExport } from "../services/audit.server";
import { activationCodeWorkbook, XLSX_TYPE } from "../services/spreadsheets.server";
import { attachment } from "../utils/download";

/** The cohort's activation codes as a list, for a registrar handing slips out in person; audit-logged. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, cohort } = requireCohort(context, request, params, "manage:cohort");
  const { slips } = awaitingActivation(user, cohort);
  recordExport(user.id, "activation-codes", {
    entityType: "cohort",
    entityId: cohort.id,
    organisationId: cohort.organisationId,
    people: slips.length,
  });
  const body = await activationCodeWorkbook(cohort.name, slips);
  return new Response(new Uint8Array(body), {
    headers: { "Content-Type": XLSX_TYPE, "Content-Disposition": attachment(`${cohort.name}激活码名单.xlsx`, "activation-codes.xlsx") },
  });
}
