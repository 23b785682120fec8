import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { canonicalPayload, certificateStatus, expiryDate, maskName, parseQrLink, qrLink, type CertificatePayload } from "../../app/domain/certificate";
import { makeSerial, parseSerial } from "../../app/domain/serial";
import { verifyText } from "../../app/services/signing.server";

// Lets a test act as a second process that writes its key just before this one does.
const keyRace = vi.hoisted(() => ({ beforeKeyWrite: undefined as (() => void) | undefined }));
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const writeFileSync: typeof real.writeFileSync = (file, data, options) => {
    const hook = keyRace.beforeKeyWrite;
    if (hook && String(file).endsWith("certificate-signing-key.pem")) {
      keyRace.beforeKeyWrite = undefined;
      hook();
    }
    return real.writeFileSync(file, data, options);
  };
  return { ...real, default: { ...real, writeFileSync }, writeFileSync };
});

describe("serial numbers", () => {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const samples = Array.from({ length: 300 }, () => makeSerial(2026, randomBytes(5)));

  it("look like 2026-XXXX-XXXX-X, only letters and digits, and read back as typed in any case and spacing", () => {
    for (const serial of samples) {
      expect(serial).toMatch(/^2026-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/);
      expect(encodeURIComponent(serial)).toBe(serial);
      expect(parseSerial(serial)).toEqual({ ok: true, serial });
      expect(parseSerial(` ${serial.replace(/-/g, " ").toLowerCase()} `)).toEqual({ ok: true, serial });
    }
  });

  it("are not guessable from their neighbours", () => {
    const serials = new Set(Array.from({ length: 2000 }, () => makeSerial(2026, randomBytes(5))));
    expect(serials.size).toBe(2000);
  });

  it("recognise every single mistyped character as mistyped", () => {
    for (const serial of samples.slice(0, 40)) {
      const chars = serial.replace(/-/g, "");
      for (let i = 0; i < chars.length; i++) {
        const choices = i < 4 ? "0123456789" : alphabet;
        for (const replacement of choices) {
          if (replacement === chars[i]) continue;
          const typo = chars.slice(0, i) + replacement + chars.slice(i + 1);
          expect(parseSerial(typo), typo).toEqual({ ok: false, error: "checksum" });
        }
      }
    }
  });

  it("catch two neighbouring characters swapped, except 0 with Z", () => {
    let swaps = 0;
    for (const serial of samples) {
      const chars = serial.replace(/-/g, "");
      for (let i = 4; i < chars.length - 1; i++) {
        const pair = chars[i] + chars[i + 1];
        if (chars[i] === chars[i + 1] || pair === "0Z" || pair === "Z0") continue;
        const swapped = chars.slice(0, i) + chars[i + 1] + chars[i] + chars.slice(i + 2);
        expect(parseSerial(swapped), swapped).toEqual({ ok: false, error: "checksum" });
        swaps++;
      }
    }
    expect(swaps).toBeGreaterThan(2000);
  });

  it("tell a malformed input from a mistyped one", () => {
    expect(parseSerial("hello")).toEqual({ ok: false, error: "format" });
    expect(parseSerial("2026-ABCD")).toEqual({ ok: false, error: "format" });
    expect(parseSerial("2026-ABCD-EFGH-*")).toEqual({ ok: false, error: "format" });
  });
});

describe("signatures", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const payload: CertificatePayload = { v: 1, s: "2026-0000-0001-X", n: "张*明", id: "3301**********123X", p: "caregiver-instructor@1", t: "养老护理员师资培训合格证书", b: "BASE-GERI", h: 80, c: "2026-11-20", i: "2026-11-23", e: "2029-11-22" };
  const text = canonicalPayload(payload);
  const signature = sign(null, Buffer.from(text), privateKey).toString("base64url");

  it("verify the signed payload and nothing else", () => {
    expect(verifyText(text, signature, publicPem)).toBe(true);
    expect(verifyText(canonicalPayload({ ...payload, h: 800 }), signature, publicPem)).toBe(false);
    const other = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(verifyText(text, signature, other)).toBe(false);
    expect(verifyText(text, "not-a-signature", publicPem)).toBe(false);
  });

  it("travel in the QR link and come back intact", () => {
    const link = qrLink("https://care.example", payload, signature);
    expect(link.startsWith("https://care.example/v/2026-0000-0001-X?p=")).toBe(true);
    const back = parseQrLink(link)!;
    expect(back.payload).toEqual(payload);
    expect(verifyText(canonicalPayload(back.payload), back.signature, publicPem)).toBe(true);
    expect(parseQrLink("https://care.example/v/2026-0000-0001-X")).toBeNull();
  });

  it("use one canonical form whatever the key order", () => {
    const { e, i, ...rest } = payload;
    const shuffled = JSON.parse(JSON.stringify({ e, i, ...rest }));
    expect(canonicalPayload(shuffled)).toBe(text);
  });
});

describe("certificate rules", () => {
  it("mask the holder's name for the public", () => {
    expect(maskName("张小明")).toBe("张*明");
    expect(maskName("李四")).toBe("李*");
    expect(maskName("欧阳晓明")).toBe("欧**明");
    expect(maskName("𠮷田一郎")).toBe("𠮷**郎");
  });

  it("run out the day before the same date, months later", () => {
    expect(expiryDate("2026-11-23", 36)).toBe("2029-11-22");
    expect(expiryDate("2028-02-29", 12)).toBe("2029-02-27");
    expect(expiryDate("2026-01-31", 1)).toBe("2026-02-27");
    expect(expiryDate("2026-11-23", null)).toBeNull();
  });

  it("read as valid, expired, revoked or superseded", () => {
    const base = { revokedAt: null, supersededById: null, expiryDate: "2029-11-22" };
    expect(certificateStatus(base, "2029-11-22")).toBe("valid");
    expect(certificateStatus(base, "2029-11-23")).toBe("expired");
    expect(certificateStatus({ ...base, revokedAt: "2027-01-01T00:00:00Z" }, "2027-01-02")).toBe("revoked");
    expect(certificateStatus({ ...base, supersededById: "x" }, "2027-01-02")).toBe("superseded");
    expect(certificateStatus({ ...base, expiryDate: null }, "2099-01-01")).toBe("valid");
  });
});

describe("the signing key", () => {
  const keyDirBefore = process.env.CERT_KEY_DIR;
  afterAll(() => {
    if (keyDirBefore === undefined) delete process.env.CERT_KEY_DIR;
    else process.env.CERT_KEY_DIR = keyDirBefore;
  });

  async function freshSigning(dir: string) {
    process.env.CERT_KEY_DIR = dir;
    vi.resetModules();
    return import("../../app/services/signing.server");
  }

  it("is made once and then read back", async () => {
    const dir = fs.mkdtempSync(path.join(tmpdir(), "care-key-"));
    const first = (await freshSigning(dir)).publicKeyPem();
    expect((fs.statSync(path.join(dir, "certificate-signing-key.pem")).mode & 0o777).toString(8)).toBe("600");
    expect((await freshSigning(dir)).publicKeyPem()).toBe(first);
  });

  it("is not overwritten when another process creates it between the check and the write", async () => {
    const dir = fs.mkdtempSync(path.join(tmpdir(), "care-key-"));
    const file = path.join(dir, "certificate-signing-key.pem");
    const theirs = generateKeyPairSync("ed25519");
    const theirPem = theirs.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    keyRace.beforeKeyWrite = () => fs.writeFileSync(file, theirPem, { mode: 0o600 });
    const signing = await freshSigning(dir);
    expect(signing.publicKeyPem()).toBe(theirs.publicKey.export({ type: "spki", format: "pem" }).toString());
    expect(fs.readFileSync(file, "utf8")).toBe(theirPem);
    expect(keyRace.beforeKeyWrite).toBeUndefined();
    // What this process signs, the other process's published key verifies.
    const signature = signing.signText("x");
    expect(verifyText("x", signature, theirs.publicKey.export({ type: "spki", format: "pem" }).toString())).toBe(true);
  });
});
