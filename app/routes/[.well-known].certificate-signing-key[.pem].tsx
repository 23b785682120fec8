import { publicKeyPem } from "../services/signing.server";

/** The deployment's public key: anyone can check a certificate's signature offline with it. */
export async function loader() {
  return new Response(publicKeyPem(), {
    headers: { "Content-Type": "application/x-pem-file; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
