import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "../auth/guard.server";
import { findBySerial } from "../services/certificates.server";
import { credentialResponse } from "../http/credential-response.server";
import { readSerial } from "../services/verification.server";

/**
 * Public, like the page it sits under: the certificate's Open Badges 3.0 credential, which holds no
 * readable personal data. Revoked and replaced certificates keep theirs: status is checked apart.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const parsed = readSerial(params.serial ?? "");
  const c = parsed.ok ? findBySerial(parsed.serial) : null;
  if (!c) throw notFound();
  return credentialResponse(c);
}
