import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import forge from "node-forge";

/** A key's id: the first 8 hex digits of the SHA-256 of its public key (DER). Short enough to print, and never reused. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex")
    .slice(0, 8);
}

/**
 * A self-signed X.509 certificate for the RSA key that signs PDF files, named by the key id. PDF
 * readers show it as the signer; a deployment that has a certificate from a recognised authority
 * puts that certificate and its key in these files instead.
 */
export function selfSignedPdfCertificate(privateKey: KeyObject, kid: string): string {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString());
  certificate.serialNumber = `01${kid}`;
  const now = new Date();
  certificate.validity.notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  certificate.validity.notAfter = new Date(Date.UTC(now.getUTCFullYear() + 30, now.getUTCMonth(), now.getUTCDate()));
  // ASCII names: node-forge writes a certificate it has read back with non-ASCII names in a form
  // whose signature no longer checks, and PDF readers then reject the whole signature.
  const organisation =
    (process.env.CERTIFICATE_ISSUER_NAME ?? "").replace(/[^\x20-\x7e]/g, "").trim() || "Integrated Care Training Certificates";
  const name: forge.pki.CertificateField[] = [
    { shortName: "CN", value: `Certificate signing key ${kid}` },
    { shortName: "O", value: organisation },
  ];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, nonRepudiation: true },
  ]);
  const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs8", format: "pem" }).toString());
  certificate.sign(forgeKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(certificate);
}
