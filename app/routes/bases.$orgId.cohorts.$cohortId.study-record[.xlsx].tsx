import type { LoaderFunctionArgs } from "@remix-run/node";
import { idViewer } from "../auth/current-user.server";
import { residentIdFor } from "../domain/resident-id";
import { requireCohort } from "../auth/access.server";
import { recordExport } from "../services/audit.server";
import { studyRecordWorkbook, XLSX_TYPE } from "../services/spreadsheets.server";
import { cohortStudyRecords } from "../services/study-record.server";
import { attachment } from "../utils/download";

/** The cohort's 学时记录 for inspectors: every trainee's study time, attempts, attendance and practicals, audit-logged. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, cohort } = requireCohort(context, request, params, "view:base");
  const viewer = idViewer(user);
  const lines = cohortStudyRecords(cohort.id).map(({ header: h, record }) => ({
    name: h.name,
    idShown: residentIdFor(viewer, h.userId, h.idNumber),
    completedAt: h.completedAt,
    withdrawn: h.enrolmentStatus === "withdrawn",
    record,
  }));
  recordExport(user.id, "study-record", {
    entityType: "cohort",
    entityId: cohort.id,
    organisationId: cohort.organisationId,
    people: lines.length,
    wholeIds: viewer.isAdmin,
  });
  const body = await studyRecordWorkbook(
    `${cohort.organisationName} · ${cohort.name} · ${cohort.programTitle}（第${cohort.programVersion}版）· 学时记录`,
    lines,
  );
  return new Response(new Uint8Array(body), {
    headers: { "Content-Type": XLSX_TYPE, "Content-Disposition": attachment(`${cohort.name}-学时记录.xlsx`, "study-record.xlsx") },
  });
}
