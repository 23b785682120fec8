import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCertificate } from "../auth/certificate-access.server";
import { certificatePdf } from "../services/certificates.server";
import { attachment } from "../utils/download";
import { recordExport } from "../services/audit.server";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, certificate: c } = requireCertificate(context, request, params.certificateId, "view:base", true);
  const pdf = await certificatePdf(c);
  recordExport(user.id, "certificate-pdf", { entityType: "certificate", entityId: c.id, organisationId: c.organisationId, people: 1 });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": attachment(`${c.certificateTitle}-${c.holderName}-${c.serial}.pdf`, `${c.serial}.pdf`),
    },
  });
}
