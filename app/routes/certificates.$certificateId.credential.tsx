import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordExport } from "../services/audit.server";
import { requireCertificate } from "../auth/certificate-access.server";
import { credentialResponse } from "../http/credential-response.server";

/** The certificate as an Open Badges 3.0 credential (VC-JWT): for its holder, and staff who may download its PDF. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, certificate: c } = requireCertificate(context, request, params.certificateId, "view:base", true);
  const response = await credentialResponse(c);
  recordExport(user.id, "certificate-credential", {
    entityType: "certificate",
    entityId: c.id,
    organisationId: c.organisationId,
    people: 1,
  });
  return response;
}
