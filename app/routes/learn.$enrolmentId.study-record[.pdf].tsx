import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "../auth/guard.server";
import { maskResidentId } from "../domain/resident-id";
import { requireOwnEnrolment } from "../auth/access.server";
import { recordExport } from "../services/audit.server";
import { today } from "../services/clock.server";
import { enrolmentStudyRecord } from "../services/study-record.server";
import { renderTraineeStudyRecord } from "../pdf/study-record.server";
import { attachment } from "../utils/download";

/**
 * A trainee's own 学时证明. Their ID number is printed masked all the same: the page is one they
 * may hand to an employer or leave on a printer.
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, enrolment } = requireOwnEnrolment(context, request, params.enrolmentId);
  const found = enrolmentStudyRecord(enrolment.id);
  if (!found) throw notFound();
  recordExport(user.id, "study-record", {
    entityType: "enrolment",
    entityId: enrolment.id,
    organisationId: enrolment.organisationId,
    people: 1,
    wholeIds: false,
  });
  const idShown = found.header.idNumber === null ? null : maskResidentId(found.header.idNumber);
  const pdf = await renderTraineeStudyRecord(found, idShown, today());
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": attachment(`${found.header.name}-学时证明.pdf`, "study-record.pdf"),
    },
  });
}
