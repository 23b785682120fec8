import { publishedKeysDocument } from "../services/published-keys.server";

/**
 * Every key the deployment has signed certificates with, current and retired, as a JSON Web Key
 * Set: the Ed25519 key (QR codes, signed data, credentials, status list) and the certificate of the
 * key that signs the PDF files. The offline check takes this file (--keys).
 */
export async function loader() {
  return new Response(JSON.stringify(publishedKeysDocument(), null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
