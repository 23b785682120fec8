import type { LoaderFunctionArgs } from "@remix-run/node";
import { idViewer } from "../auth/current-user.server";
import { residentIdFor } from "../domain/resident-id";
import { translator } from "../i18n/messages";
import { requireCohort } from "../auth/access.server";
import { cohortProgress } from "../services/cohorts.server";
import { rulesOfVersion } from "../services/program-versions.server";
import { progressWorkbook, XLSX_TYPE } from "../services/spreadsheets.server";
import { attachment } from "../utils/download";
import { recordExport } from "../services/audit.server";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, cohort } = requireCohort(context, request, params, "view:base");
  const rows = cohortProgress(cohort.id).map((r) => ({ ...r, idNumber: residentIdFor(idViewer(user), r.userId, r.idNumber) }));
  recordExport(user.id, "cohort-progress", {
    entityType: "cohort",
    entityId: cohort.id,
    organisationId: cohort.organisationId,
    people: rows.length,
    wholeIds: idViewer(user).isAdmin,
  });
  const body = await progressWorkbook(
    `${cohort.organisationName} · ${cohort.name} · ${cohort.programTitle}`,
    rulesOfVersion(cohort.programVersionId).hours,
    rows,
    translator(context.locale),
  );
  return new Response(new Uint8Array(body), {
    headers: { "Content-Type": XLSX_TYPE, "Content-Disposition": attachment(`${cohort.name}-进度.xlsx`, "progress.xlsx") },
  });
}
