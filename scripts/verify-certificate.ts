/**
 * Checks a certificate PDF offline: the PDF's own digital signature (over every byte), the signed
 * certificate data inside it, and — given the deployment's status list — whether it was revoked.
 *
 *   npm run verify-certificate -- 证书.pdf
 *   npm run verify-certificate -- 证书.pdf --keys certificate-keys.json --status certificate-status.jwt
 *   npm run verify-certificate -- 2026-7K3M-9Q2T-X.jwt --name 张小明 [--keys …] [--status …]
 *
 * A .jwt file is the certificate's Open Badges 3.0 credential (电子徽章): its signature, type and
 * validity dates are checked, and with --name whether it was issued to that person.
 *
 * --keys and --status take a file or an https address: the deployment publishes them at
 * /.well-known/certificate-keys.json and /.well-known/certificate-status.jwt. Without --keys the
 * keys of the deployment on this machine (its database) are used.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { serialOfCredentialId } from "../app/domain/open-badge";
import type { PublishedKeySet } from "../app/domain/published-keys";
import { checkCertificatePdf, checkCredentialJwt } from "../app/pdf/offline-check";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { keys: { type: "string" }, status: { type: "string" }, name: { type: "string" } },
});
const input = positionals[0];
if (!input || !existsSync(input)) {
  console.error(
    input
      ? `No such file: ${input}`
      : "usage: npm run verify-certificate -- <certificate.pdf | credential.jwt> [--keys certificate-keys.json] [--status certificate-status.jwt] [--name holder's full name]",
  );
  process.exit(2);
}

async function readSource(source: string): Promise<string> {
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source);
    if (!response.ok) throw new Error(`${source}: HTTP ${response.status}`);
    return response.text();
  }
  return readFileSync(source, "utf8");
}

async function keySet(): Promise<PublishedKeySet> {
  if (values.keys) return JSON.parse(await readSource(values.keys)) as PublishedKeySet;
  const { publishedKeysDocument } = await import("../app/services/published-keys.server");
  return publishedKeysDocument();
}

/** A credential is a JWS in compact form (text); a PDF starts with %PDF. */
function isCredential(bytes: Buffer): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(bytes.toString("utf8").trim());
}

const bytes = readFileSync(input);
if (isCredential(bytes)) {
  const report = await checkCredentialJwt(bytes.toString("utf8"), await keySet(), {
    name: values.name,
    statusJws: values.status ? await readSource(values.status) : undefined,
  });
  for (const check of report.checks) console.log(`${check.ok ? "✓" : "✗"} ${check.line}`);
  for (const note of report.notes) console.log(`  ${note}`);
  const c = report.credential;
  if (c) {
    const a = c.credentialSubject?.achievement;
    console.log(`serial ${serialOfCredentialId(c.id) ?? c.id} · ${c.name} · achievement ${a?.name ?? "?"} (${a?.humanCode ?? "?"})`);
    console.log(`issuer ${c.issuer?.name ?? "?"} <${c.issuer?.id ?? "?"}> · key ${report.kid ?? "?"}`);
  }
  console.log(report.valid ? "CREDENTIAL VALID 电子徽章有效" : "CREDENTIAL NOT VALID 电子徽章无效");
  process.exit(report.valid ? 0 : 1);
}
if (values.name !== undefined) console.log("  --name 只用于电子徽章（.jwt）；PDF 上印有姓名 — --name applies to credentials (.jwt) only");

const report = await checkCertificatePdf(bytes, await keySet(), values.status ? await readSource(values.status) : undefined);
for (const check of report.checks) console.log(`${check.ok ? "✓" : "✗"} ${check.line}`);
for (const note of report.notes) console.log(`  ${note}`);
const p = report.payload;
if (p) {
  console.log(`serial ${p.s} · holder ${p.n} · ${p.t} (${p.p}) · base ${p.b} · hours ${p.h}`);
  console.log(`completed ${p.c} · issued ${p.i} · expires ${p.e ?? "never"}`);
}
console.log(report.valid ? "CERTIFICATE VALID 证书有效" : "CERTIFICATE NOT VALID 证书无效");
process.exit(report.valid ? 0 : 1);
