import type { Certificate } from "../services/certificates.server";
import { CREDENTIAL_MEDIA_TYPE, signedCredential } from "../services/open-badge.server";
import { attachment } from "../utils/download";

/** The download: the JWS as text, named by the serial. */
export async function credentialResponse(c: Certificate): Promise<Response> {
  return new Response(await signedCredential(c), {
    headers: {
      "Content-Type": `${CREDENTIAL_MEDIA_TYPE}; charset=utf-8`,
      "Content-Disposition": attachment(`${c.serial}.jwt`, `${c.serial}.jwt`),
      "Cache-Control": "private, no-cache",
    },
  });
}
