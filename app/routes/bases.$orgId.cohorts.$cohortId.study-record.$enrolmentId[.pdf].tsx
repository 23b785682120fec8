import type { LoaderFunctionArgs } from "@remix-run/node";
import { idViewer } from "../auth/current-user.server";
import { notFound } from "../auth/guard.server";
import { residentIdFor } from "../domain/resident-id";
import { requireCohort } from "../auth/access.server";
import { recordExport } from "../services/audit.server";
import { today } from "../services/clock.server";
import { enrolmentStudyRecord } from "../services/study-record.server";
import { renderTraineeStudyRecord } from "../pdf/study-record.server";
import { attachment } from "../utils/download";

/** The printable 学时证明 of one of the cohort's trainees: shown as the reader may see the ID number, and audit-logged. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, cohort } = requireCohort(context, request, params, "view:base");
  const found = enrolmentStudyRecord(params.enrolmentId ?? "", cohort.id);
  if (!found) throw notFound();
  const viewer = idViewer(user);
  recordExport(user.id, "study-record", {
    entityType: "enrolment",
    entityId: found.header.enrolmentId,
    organisationId: cohort.organisationId,
    people: 1,
    wholeIds: viewer.isAdmin,
  });
  const pdf = await renderTraineeStudyRecord(found, residentIdFor(viewer, found.header.userId, found.header.idNumber), today());
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": attachment(`${found.header.name}-学时证明.pdf`, "study-record.pdf"),
    },
  });
}
