/**
 * Checks a certificate PDF offline: the PDF's own digital signature (over every byte), the signed
 * certificate data inside it, and — given the deployment's status list — whether it was revoked.
 *
 *   npm run verify-certificate -- 证书.pdf
 *   npm run verify-certificate -- 证书.pdf --keys certificate-keys.json --status certificate-status.jwt
 *
 * --keys and --status take a file or an https address: the deployment publishes them at
 * /.well-known/certificate-keys.json and /.well-known/certificate-status.jwt. Without --keys the
 * keys of the deployment on this machine (its database) are used.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { PublishedKeySet } from "../app/domain/published-keys";
import { checkCertificatePdf } from "../app/pdf/offline-check";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { keys: { type: "string" }, status: { type: "string" } } });
const input = positionals[0];
if (!input || !existsSync(input)) {
  console.error(input ? `No such file: ${input}` : "usage: npm run verify-certificate -- <certificate.pdf> [--keys certificate-keys.json] [--status certificate-status.jwt]");
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

const report = await checkCertificatePdf(readFileSync(input), await keySet(), values.status ? await readSource(values.status) : undefined);
for (const check of report.checks) console.log(`${check.ok ? "✓" : "✗"} ${check.line}`);
for (const note of report.notes) console.log(`  ${note}`);
const p = report.payload;
if (p) {
  console.log(`serial ${p.s} · holder ${p.n} · ${p.t} (${p.p}) · base ${p.b} · hours ${p.h}`);
  console.log(`completed ${p.c} · issued ${p.i} · expires ${p.e ?? "never"}`);
}
console.log(report.valid ? "CERTIFICATE VALID 证书有效" : "CERTIFICATE NOT VALID 证书无效");
process.exit(report.valid ? 0 : 1);
