import { createPublicKey } from "node:crypto";
import type { PublishedKeySet } from "../domain/published-keys";
import { verifyBase } from "./certificates.server";
import { ensureSigningKey, publishedKeys } from "./signing.server";

export function publishedKeysDocument(): PublishedKeySet {
  ensureSigningKey();
  return {
    issuer: verifyBase(),
    keys: publishedKeys().map((k) => ({
      kty: "OKP",
      crv: "Ed25519",
      x: createPublicKey(k.publicKey).export({ format: "jwk" }).x!,
      kid: k.kid,
      alg: "EdDSA",
      use: "sig",
      status: k.retiredAt ? "retired" : "current",
      created: k.createdAt,
      retired: k.retiredAt,
      pdf_certificate: k.pdfCertificate,
    })),
  };
}
