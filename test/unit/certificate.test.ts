import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  canonicalPayload,
  certificateStatus,
  expiringSoon,
  expiryDate,
  maskName,
  parseQrLink,
  qrLink,
  renewedExpiry,
  type CertificatePayload,
} from "../../app/domain/certificate";
import { makeSerial, parseSerial } from "../../app/domain/serial";
import { verifyEd25519 as verifyText } from "../../app/pdf/ed25519";

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
  const payload: CertificatePayload = {
    v: 1,
    s: "2026-0000-0001-X",
    n: "张*明",
    id: "3301**********123X",
    p: "caregiver-instructor@1",
    t: "养老护理员师资培训合格证书",
    b: "BASE-GERI",
    h: 80,
    c: "2026-11-20",
    i: "2026-11-23",
    e: "2029-11-22",
  };
  const text = canonicalPayload(payload);
  const signature = sign(null, Buffer.from(text), privateKey).toString("base64url");

  it("verify the signed payload and nothing else", () => {
    expect(verifyText(text, signature, publicPem)).toBe(true);
    expect(verifyText(canonicalPayload({ ...payload, h: 800 }), signature, publicPem)).toBe(false);
    const other = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(verifyText(text, signature, other)).toBe(false);
    expect(verifyText(text, "not-a-signature", publicPem)).toBe(false);
  });

  it("of version 1 travel whole in the QR link and come back intact", () => {
    const link = qrLink("https://care.example", payload, signature);
    expect(link.startsWith("https://care.example/v/2026-0000-0001-X?p=")).toBe(true);
    const back = parseQrLink(link)!;
    if (back.version !== 1) throw new Error("read as version 2");
    expect(back.payload).toEqual(payload);
    expect(verifyText(canonicalPayload(back.payload), back.signature, publicPem)).toBe(true);
    expect(parseQrLink("https://care.example/v/2026-0000-0001-X")).toBeNull();
  });

  it("of version 2 leave only the serial, the key id and the signature in the QR link: no personal data, under 160 characters", () => {
    const v2: CertificatePayload = { ...payload, v: 2, k: "0a1b2c3d" };
    const signed = sign(null, Buffer.from(canonicalPayload(v2)), privateKey).toString("base64url");
    const link = qrLink("https://care.example", v2, signed);
    expect(link).toBe(`https://care.example/v/2026-0000-0001-X?k=0a1b2c3d&s=${signed}`);
    expect(link.length).toBeLessThan(160);
    expect(link).not.toContain(Buffer.from(v2.n).toString("base64url").slice(0, 4));
    expect(parseQrLink(link)).toEqual({ version: 2, serial: "2026-0000-0001-X", keyId: "0a1b2c3d", signature: signed });
    expect(canonicalPayload(v2)).toContain('"k":"0a1b2c3d"');
    expect(parseQrLink(link.replace("k=0a1b2c3d", "k=../etc"))).toBeNull();
    expect(parseQrLink(link.replace(/s=.*/, "s=short"))).toBeNull();
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

describe("renewal by a refresher", () => {
  it("extends the validity from the day after the renewed certificate expires, so renewing early loses nothing", () => {
    // Expires 2027-06-30; renewed in March for 36 months: valid to 2030-06-30.
    expect(renewedExpiry("2027-06-30", "2027-03-15", 36)).toBe("2030-06-30");
    // Renewed on its last day: the same.
    expect(renewedExpiry("2027-06-30", "2027-06-30", 36)).toBe("2030-06-30");
  });

  it("counts from the issue date for a certificate that had already lapsed, never backdating", () => {
    expect(renewedExpiry("2027-06-30", "2027-09-10", 36)).toBe("2030-09-09");
  });

  it("reads a certificate as expiring soon within 90 days, in force and not yet renewed", () => {
    const c = { revokedAt: null, supersededById: null, expiryDate: "2027-03-01", renewedById: null };
    expect(expiringSoon(c, "2026-12-01")).toBe(true); // 90 days
    expect(expiringSoon(c, "2026-11-30")).toBe(false); // 91 days
    expect(expiringSoon(c, "2027-03-02")).toBe(false); // expired
    expect(expiringSoon({ ...c, renewedById: "x" }, "2027-01-01")).toBe(false);
    expect(expiringSoon({ ...c, revokedAt: "2026-12-01T00:00:00Z" }, "2027-01-01")).toBe(false);
    expect(expiringSoon({ ...c, expiryDate: null }, "2027-01-01")).toBe(false);
  });
});
