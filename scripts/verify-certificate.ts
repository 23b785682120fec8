/**
 * Checks a certificate offline: its signature against the deployment's public key, without asking
 * the server. Give it the certificate PDF or the text of its QR code.
 *
 *   npm run verify-certificate -- 证书.pdf
 *   npm run verify-certificate -- "https://…/v/2026-XXXX-XXXX-X?p=…&s=…" --key certificate-signing-key.pub.pem
 *
 * The key defaults to the deployment's (CERT_KEY_DIR, or beside the database); the
 * published copy is at /.well-known/certificate-signing-key.pem on the server.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { canonicalPayload, parseQrLink, type CertificatePayload } from "../app/domain/certificate";
import { readCertificateMetadata } from "../app/pdf/certificate-metadata";
import { signingKeyDir, verifyText } from "../app/services/signing.server";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { key: { type: "string" } } });
const input = positionals[0];
if (!input) {
  console.error("usage: npm run verify-certificate -- <certificate.pdf | QR text> [--key public-key.pem]");
  process.exit(2);
}
const keyPath = values.key ?? path.join(signingKeyDir(), "certificate-signing-key.pub.pem");
if (!existsSync(keyPath)) {
  console.error(`Public key not found: ${keyPath}`);
  process.exit(2);
}
const publicPem = readFileSync(keyPath, "utf8");

let payloadText: string | null = null;
let signature: string | null = null;
if (existsSync(input)) {
  const meta = readCertificateMetadata(readFileSync(input));
  if (meta) ({ payload: payloadText, signature } = meta);
} else {
  const qr = parseQrLink(input);
  if (qr) {
    payloadText = canonicalPayload(qr.payload);
    signature = qr.signature;
  }
}
if (!payloadText || !signature) {
  console.error("No certificate payload found in the input.");
  process.exit(1);
}
const payload = JSON.parse(payloadText) as CertificatePayload;
const valid = verifyText(canonicalPayload(payload), signature, publicPem) && canonicalPayload(payload) === payloadText;
console.log(valid ? "SIGNATURE VALID 签名有效" : "SIGNATURE INVALID 签名无效");
console.log(`serial ${payload.s} · holder ${payload.n} · ${payload.t} (${payload.p}) · base ${payload.b} · hours ${payload.h}`);
console.log(`completed ${payload.c} · issued ${payload.i} · expires ${payload.e ?? "never"}`);
console.log("Revocation is not visible offline: check the serial online to see whether the certificate is still in force.");
process.exit(valid ? 0 : 1);
