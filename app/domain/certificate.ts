import { addDays } from "./dates";

/** 张小明 → 张*明, 李四 → 李*, 欧阳晓明 → 欧**明: enough for the holder to recognise, not to find them. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join("");
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + "*".repeat(chars.length - 2) + chars[chars.length - 1];
}

/** The last day a certificate is valid: the day before the same date `months` later. */
export function expiryDate(issueDate: string, months: number | null): string | null {
  if (months === null) return null;
  const [y, m, d] = issueDate.split("-").map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return addDays(target.toISOString().slice(0, 10), -1);
}

export type CertificateStatus = "valid" | "revoked" | "expired" | "superseded";

export function certificateStatus(
  c: { revokedAt: string | null; supersededById: string | null; expiryDate: string | null },
  today: string,
): CertificateStatus {
  if (c.revokedAt) return "revoked";
  if (c.supersededById) return "superseded";
  if (c.expiryDate && c.expiryDate < today) return "expired";
  return "valid";
}

export const REVOCATION_REASONS = ["issuedInError", "requirementsNotMet", "misconduct", "other"] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** What the signature covers; short keys keep the QR code small. */
export interface CertificatePayload {
  v: 1;
  s: string; // serial
  n: string; // holder name, masked
  id: string | null; // ID number, masked
  p: string; // programme code @ version
  t: string; // certificate title
  b: string; // issuing base code
  h: number; // class hours
  c: string; // completion date
  i: string; // issue date
  e: string | null; // expiry date
}

/** The exact bytes that are signed: keys in a fixed order, no spaces. */
export function canonicalPayload(p: CertificatePayload): string {
  return JSON.stringify({ v: p.v, s: p.s, n: p.n, id: p.id, p: p.p, t: p.t, b: p.b, h: p.h, c: p.c, i: p.i, e: p.e });
}

export function toBase64Url(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString("base64url");
}

/** The verification link in the QR code: the page for the serial, carrying the signed payload for offline checks. */
export function qrLink(verifyBase: string, payload: CertificatePayload, signature: string): string {
  return `${verifyBase}/v/${payload.s}?p=${toBase64Url(canonicalPayload(payload))}&s=${signature}`;
}

export function parseQrLink(link: string): { serial: string; payload: CertificatePayload; payloadText: string; signature: string } | null {
  try {
    const url = new URL(link);
    const p = url.searchParams.get("p");
    const s = url.searchParams.get("s");
    if (!p || !s) return null;
    const payloadText = Buffer.from(p, "base64url").toString("utf8");
    const payload = JSON.parse(payloadText) as CertificatePayload;
    return { serial: payload.s, payload, payloadText, signature: s };
  } catch {
    return null;
  }
}
