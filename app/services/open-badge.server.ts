import { createHmac } from "node:crypto";
import { CompactSign } from "jose";
import { purposeKey } from "../auth/secrets.server";
import { CREDENTIAL_JWT_TYPE, credentialJwtPayload, openBadgeCredential, type OpenBadgeCredential } from "../domain/open-badge";
import type { Certificate } from "./certificates.server";
import { ensureSigningKey } from "./signing.server";

/**
 * The salt of a certificate's hashed identity: derived from its id with a key of the deployment's
 * secret (kept beside the signing key and in backups), so every download gives the same credential
 * and nobody without the secret can derive it.
 */
export function identitySalt(certificateId: string): string {
  return createHmac("sha256", purposeKey("open-badge-identity-salt")).update(certificateId).digest("hex").slice(0, 32);
}

export function certificateCredential(c: Certificate): OpenBadgeCredential {
  return openBadgeCredential(c, identitySalt(c.id));
}

/**
 * The certificate as an Open Badges 3.0 credential secured as a JWT (VC-JWT), signed with the
 * deployment's current Ed25519 key. Ed25519 signatures are deterministic: while the key is the same,
 * every download is the same bytes.
 */
export async function signedCredential(c: Certificate): Promise<string> {
  const key = ensureSigningKey();
  const payload = new TextEncoder().encode(JSON.stringify(credentialJwtPayload(certificateCredential(c))));
  return new CompactSign(payload).setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: CREDENTIAL_JWT_TYPE }).sign(key.privateKey);
}

export const CREDENTIAL_MEDIA_TYPE = "application/vc+jwt";
