import { createPublicKey, verify } from "node:crypto";

/** Whether `signature` (base64url) is the Ed25519 signature of `text` by the key of `publicPem`. */
export function verifyEd25519(text: string, signature: string, publicPem: string): boolean {
  try {
    return verify(null, Buffer.from(text, "utf8"), createPublicKey(publicPem), Buffer.from(signature, "base64url"));
  } catch {
    return false;
  }
}
