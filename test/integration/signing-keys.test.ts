import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { certificates, signingKeys } from "../../db/schema";
import { checkCharacter } from "../../app/domain/resident-id";
import { isRefusal } from "../../app/utils/refusal";
import { checkCertificatePdf } from "../../app/pdf/offline-check";
import { checkPdfSignature } from "../../app/pdf/pdf-signature.server";
import { verifyEd25519 } from "../../app/pdf/ed25519";
import {
  certificatePdf,
  cohortCertificates,
  getCertificate,
  issueForCohort,
  revokeCertificate,
} from "../../app/services/certificates.server";
import { publishedKeysDocument } from "../../app/services/published-keys.server";
import { signedStatusList } from "../../app/services/status-list.server";
import { checkUploadedPdf, lookUpSerial } from "../../app/services/verification.server";
import { cohortWithTrainees, completeEnrolment, userId, withDemoData } from "./fixtures";

// Lets a test act as a second process that writes its key just before this one does.
const keyRace = vi.hoisted(() => ({ beforeKeyWrite: undefined as (() => void) | undefined, written: [] as string[] }));
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const writeFileSync: typeof real.writeFileSync = (file, data, options) => {
    keyRace.written.push(String(file));
    const hook = keyRace.beforeKeyWrite;
    if (hook && String(file).endsWith("certificate-signing-key.pem")) {
      keyRace.beforeKeyWrite = undefined;
      hook();
    }
    return real.writeFileSync(file, data, options);
  };
  return { ...real, default: { ...real, writeFileSync }, writeFileSync };
});

const work = fs.mkdtempSync(path.join(tmpdir(), "care-keys-"));
const keyDirBefore = process.env.CERT_KEY_DIR;
afterAll(() => {
  if (keyDirBefore === undefined) delete process.env.CERT_KEY_DIR;
  else process.env.CERT_KEY_DIR = keyDirBefore;
  fs.rmSync(work, { recursive: true, force: true });
});

const id = (first17: string) => first17 + checkCharacter(first17);
let setup: Awaited<ReturnType<typeof cohortWithTrainees>>;

const publicUrlBefore = process.env.PUBLIC_URL;
afterAll(() => {
  if (publicUrlBefore === undefined) delete process.env.PUBLIC_URL;
  else process.env.PUBLIC_URL = publicUrlBefore;
});

beforeAll(async () => {
  process.env.CERT_KEY_DIR = path.join(work, "deployment-keys");
  // A deployment's address as long as a district's usually is: the QR code must still read at its size.
  process.env.PUBLIC_URL = "https://yyjh.hzwsjsw.gov.cn";
  await withDemoData();
  setup = await cohortWithTrainees("BASE-GERI", [
    { name: "钱红梅", mobile: "13600003001", idNumber: id("33010519700101101") },
    { name: "孙志刚", mobile: "13600003002", idNumber: id("33010519710202202") },
  ]);
  for (const e of setup.enrolmentIds) await completeEnrolment(setup.cohort, e);
  await issueForCohort(userId("registrar"), setup.cohort.id);
}, 60_000);

const issued = (name: string) => getCertificate(cohortCertificates(setup.cohort.id).find((r) => r.name === name)!.certificateId!)!;
const file = (name: string, bytes: Buffer) => {
  const at = path.join(work, name);
  fs.writeFileSync(at, bytes);
  return at;
};
const pdfsig = (at: string) => spawnSync("pdfsig", [at], { encoding: "utf8" }).stdout;

describe("the PDF's own signature", () => {
  it("is valid on issue over the whole file, as poppler's pdfsig reads it, and names the key", async () => {
    const c = issued("钱红梅");
    const pdf = await certificatePdf(c);
    expect(pdf.length).toBeLessThan(100 * 1024);
    const report = pdfsig(file("signed.pdf", pdf));
    expect(report).toContain("Signature Validation: Signature is Valid.");
    expect(report).toContain("Total document signed");
    expect(report).toContain(c.keyId!);
    expect(checkPdfSignature(pdf)).toMatchObject({ present: true, wholeFile: true, intact: true, signatureValid: true });
    expect((await checkCertificatePdf(pdf, publishedKeysDocument())).valid).toBe(true);
  });

  it("breaks when one byte of the page changes, or when a page is appended after signing", async () => {
    const pdf = await certificatePdf(issued("钱红梅"));
    const text = pdf.toString("latin1");
    const stream = text.indexOf("stream\n") + 40;
    const edited = Buffer.from(pdf);
    edited[stream] ^= 0x01;
    expect(pdfsig(file("edited.pdf", edited))).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
    const editedReport = await checkCertificatePdf(edited, publishedKeysDocument());
    expect(editedReport.valid).toBe(false);
    expect(editedReport.checks[0].line).toContain("INVALID");
    expect(checkUploadedPdf(edited)).toEqual({ match: false });

    // An incremental update that draws over the page: the signed bytes are intact, but no longer the whole file.
    const appended = Buffer.concat([
      pdf,
      Buffer.from("\n99 0 obj\n<< /Length 20 >>\nstream\nBT /F1 40 Tf (200) Tj ET\nendstream\nendobj\n%%EOF\n"),
    ]);
    const appendedReport = await checkCertificatePdf(appended, publishedKeysDocument());
    expect(appendedReport.valid).toBe(false);
    expect(appendedReport.checks[0].line).toContain("does not cover the whole file");
    expect(checkUploadedPdf(appended)).toEqual({ match: false });
  });

  it("is recognised when uploaded unchanged", async () => {
    const c = issued("孙志刚");
    expect(checkUploadedPdf(await certificatePdf(c))).toMatchObject({ match: true, certificate: { serial: c.serial } });
  });

  it("a file saved again by another program (qpdf, hex strings) is still read: its signed data checks out, its file signature does not", async () => {
    const c = issued("孙志刚");
    const original = file("original.pdf", await certificatePdf(c));
    const resaved = path.join(work, "resaved.pdf");
    spawnSync("qpdf", ["--qdf", "--object-streams=disable", original, resaved]);
    const bytes = fs.readFileSync(resaved);
    // qpdf writes the document information's text as hex strings (<feff…>), not literals.
    expect(bytes.toString("latin1")).toMatch(/obj\s*<feff/i);
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/verify-certificate.ts", resaved], {
      env: process.env,
      encoding: "utf8",
    });
    expect(run.stdout).toContain(`签名数据：有效（密钥 ${c.keyId}）`);
    expect(run.stdout).toContain(c.serial);
    expect(run.stdout).toContain("CERTIFICATE NOT VALID");
    expect(run.status).toBe(1);
  });
});

describe("the QR code", () => {
  it("is small enough to read from a 1080 px photo of the page and from a 100 dpi scan", async () => {
    const c = issued("钱红梅");
    const at = file("qr.pdf", await certificatePdf(c));
    // A4 landscape is 11.69 in wide: 1080 px across is about 92 dpi; a scan at 100 dpi.
    for (const [dpi, name] of [
      ["92", "photo"],
      ["100", "scan"],
    ]) {
      execFileSync("pdftoppm", ["-png", "-r", dpi, "-singlefile", at, path.join(work, name)]);
      const qr = execFileSync("zbarimg", ["-q", "--raw", path.join(work, `${name}.png`)], { encoding: "utf8" }).trim();
      expect(qr, name).toBe(`${c.verifyBase}/v/${c.serial}?k=${c.keyId}&s=${c.signature}`);
      expect(lookUpSerial(c.serial, qr)).toMatchObject({ kind: "found", signature: "valid" });
    }
    const width = fs.readFileSync(path.join(work, "photo.png")).readUInt32BE(16);
    expect(width).toBeLessThanOrEqual(1080);
  });

  it("does not verify with another certificate's signature or a key the deployment never had", () => {
    const a = issued("钱红梅");
    const b = issued("孙志刚");
    expect(lookUpSerial(a.serial, `${a.verifyBase}/v/${a.serial}?k=${a.keyId}&s=${b.signature}`)).toMatchObject({ signature: "invalid" });
    expect(lookUpSerial(a.serial, `${a.verifyBase}/v/${a.serial}?k=00000000&s=${a.signature}`)).toMatchObject({ signature: "invalid" });
    expect(lookUpSerial(a.serial, `${a.verifyBase}/v/${b.serial}?k=${a.keyId}&s=${a.signature}`)).toMatchObject({ signature: "invalid" });
  });
});

describe("the status list", () => {
  it("is signed with the current key and lists revoked certificates; the offline check uses it, and says when it had none", async () => {
    const keys = publishedKeysDocument();
    const c = issued("孙志刚");
    const pdf = await certificatePdf(c);
    const before = await signedStatusList();
    const inForce = await checkCertificatePdf(pdf, keys, before);
    expect(inForce.valid).toBe(true);
    expect(inForce.checks.at(-1)!.line).toContain("not revoked");
    expect((await checkCertificatePdf(pdf, keys)).notes.join()).toContain("revocation NOT checked");

    expect(revokeCertificate(userId("registrar"), c.id, "issuedInError", "测试撤销")).toEqual({ ok: true, value: true });
    const after = await signedStatusList();
    expect(after).not.toBe(before);
    const revoked = await checkCertificatePdf(pdf, keys, after);
    expect(revoked.valid).toBe(false);
    expect(revoked.checks.at(-1)!.line).toContain("REVOKED");

    // A list edited to leave the certificate out no longer carries a valid signature.
    const [header, body, signature] = after.split(".");
    const list = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    list.withdrawn = [];
    const tampered = `${header}.${Buffer.from(JSON.stringify(list)).toString("base64url")}.${signature}`;
    expect((await checkCertificatePdf(pdf, keys, tampered)).checks.at(-1)!.line).toContain("not valid");
  });
});

describe("keys over time", () => {
  it("rotating retires the key, keeps its certificates verifying online and offline, and signs new ones with the new key", async () => {
    const before = issued("钱红梅");
    const oldKid = before.keyId!;
    const { rotateSigningKey, currentKeyId } = await import("../../app/services/signing.server");
    const rotated = rotateSigningKey("年度轮换");
    expect(rotated.retired).toBe(oldKid);
    expect(rotated.current).not.toBe(oldKid);
    expect(currentKeyId()).toBe(rotated.current);
    const keys = publishedKeysDocument();
    expect(keys.keys.map((k) => [k.kid, k.status])).toEqual([
      [oldKid, "retired"],
      [rotated.current, "current"],
    ]);

    // The QR code printed before the rotation still verifies; the PDF downloaded now is signed with the new key.
    expect(lookUpSerial(before.serial, `${before.verifyBase}/v/${before.serial}?k=${oldKid}&s=${before.signature}`)).toMatchObject({
      signature: "valid",
    });
    const pdf = await certificatePdf(before);
    const report = await checkCertificatePdf(pdf, keys);
    expect(report.valid).toBe(true);
    expect(report.checks[1].line).toContain(oldKid);
    expect(report.checks[0].line).toContain(rotated.current);
    expect(checkUploadedPdf(pdf)).toMatchObject({ match: true });
    expect(fs.readdirSync(process.env.CERT_KEY_DIR!).filter((f) => f.startsWith(".retiring"))).toEqual([]);
  });

  it("the server refuses to start without the key when certificates exist, and says how to restore it or rotate deliberately", async () => {
    const { refuseLostSigningKey, forgetSigningKey, ensureSigningKey } = await import("../../app/services/signing.server");
    const dir = process.env.CERT_KEY_DIR!;
    const aside = path.join(work, "aside");
    fs.renameSync(dir, aside);
    forgetSigningKey();
    try {
      let message = "";
      try {
        refuseLostSigningKey();
      } catch (e) {
        expect(isRefusal(e)).toBe(true);
        message = (e as Error).message;
      }
      expect(message).toContain("npm run restore");
      expect(message).toContain("npm run keys -- rotate");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.renameSync(aside, dir);
    }
    // A retired key put back in the folder (an old backup) must not sign again.
    const retired = db()
      .select()
      .from(signingKeys)
      .all()
      .find((k) => k.retiredAt)!;
    expect(retired).toBeDefined();
    const current = ensureSigningKey();
    expect(current.kid).not.toBe(retired.kid);
  });

  it("a key from before key ids is registered on first use and its certificates take its id", async () => {
    const { forgetSigningKey, ensureSigningKey } = await import("../../app/services/signing.server");
    const c = issued("孙志刚");
    db().update(certificates).set({ keyId: null }).where(eq(certificates.id, c.id)).run();
    forgetSigningKey();
    const key = ensureSigningKey();
    expect(getCertificate(c.id)!.keyId).toBe(key.kid);
    expect(verifyEd25519("x", "y".repeat(86), key.publicPem)).toBe(false);
  });
});

describe("the signing key file", () => {
  async function freshSigning(dir: string) {
    process.env.CERT_KEY_DIR = dir;
    vi.resetModules();
    return import("../../app/services/signing.server");
  }
  afterAll(() => {
    process.env.CERT_KEY_DIR = path.join(work, "deployment-keys");
    vi.resetModules();
  });

  it("is made once, readable by its owner only, and then read back", async () => {
    const dir = fs.mkdtempSync(path.join(work, "key-"));
    db().update(signingKeys).set({ retiredAt: new Date().toISOString() }).run();
    const first = (await freshSigning(dir)).publicKeyPem();
    expect((fs.statSync(path.join(dir, "certificate-signing-key.pem")).mode & 0o777).toString(8)).toBe("600");
    expect((fs.statSync(path.join(dir, "certificate-signing-key.pdf.pem")).mode & 0o777).toString(8)).toBe("600");
    // A start that finds the keys makes none: an RSA key costs a few hundred milliseconds of the event loop.
    keyRace.written.length = 0;
    expect((await freshSigning(dir)).publicKeyPem()).toBe(first);
    expect(keyRace.written.filter((f) => f.startsWith(dir))).toEqual([]);
  });

  it("is not overwritten when another process creates it between the check and the write", async () => {
    const dir = fs.mkdtempSync(path.join(work, "key-"));
    db().update(signingKeys).set({ retiredAt: new Date().toISOString() }).run();
    const file = path.join(dir, "certificate-signing-key.pem");
    const theirs = generateKeyPairSync("ed25519");
    const theirPem = theirs.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    keyRace.beforeKeyWrite = () => fs.writeFileSync(file, theirPem, { mode: 0o600 });
    const signing = await freshSigning(dir);
    expect(signing.publicKeyPem()).toBe(theirs.publicKey.export({ type: "spki", format: "pem" }).toString());
    expect(fs.readFileSync(file, "utf8")).toBe(theirPem);
    expect(keyRace.beforeKeyWrite).toBeUndefined();
    const signature = signing.signText("x");
    expect(verifyEd25519("x", signature, theirs.publicKey.export({ type: "spki", format: "pem" }).toString())).toBe(true);
  });
});
