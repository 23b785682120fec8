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

/**
 * The expiry of a refresher's certificate: its validity counted from the day after the renewed
 * certificate expires, or from the issue date when that day has passed (a lapsed certificate is
 * renewed from now, not backdated), so renewing early never loses the time left.
 */
export function renewedExpiry(renewedExpiryDate: string, issueDate: string, months: number): string {
  const dayAfter = addDays(renewedExpiryDate, 1);
  return expiryDate(dayAfter > issueDate ? dayAfter : issueDate, months)!;
}

/** A cohort has ended the day after its end date (dates in China time): certificates wait for it. */
export function cohortHasEnded(cohortEnd: string, onDate: string): boolean {
  return onDate > cohortEnd;
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

/**
 * What the signature covers: the certificate's data, with the name and ID number masked. Version 2
 * names the signing key (`k`); version 1 certificates (before key ids) keep their exact bytes.
 */
export interface CertificatePayload {
  v: 1 | 2;
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
  k?: string; // signing key id (version 2)
}

/** The exact bytes that are signed: keys in a fixed order, no spaces. */
export function canonicalPayload(p: CertificatePayload): string {
  const fields = { v: p.v, s: p.s, n: p.n, id: p.id, p: p.p, t: p.t, b: p.b, h: p.h, c: p.c, i: p.i, e: p.e };
  return JSON.stringify(p.v === 1 ? fields : { ...fields, k: p.k ?? null });
}

export function toBase64Url(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString("base64url");
}

/**
 * The link in the QR code. Version 2: the serial, the key id and the signature of the certificate's
 * data — no personal data, about 150 characters, so the code stays small enough to read from a phone
 * photo or a 100 dpi scan; the page it opens checks the signature against the record. Version 1
 * certificates carried their whole payload and keep doing so, so their PDFs stay byte for byte.
 */
export function qrLink(verifyBase: string, payload: CertificatePayload, signature: string): string {
  if (payload.v === 1) return `${verifyBase}/v/${payload.s}?p=${toBase64Url(canonicalPayload(payload))}&s=${signature}`;
  return `${verifyBase}/v/${payload.s}?k=${payload.k}&s=${signature}`;
}

export type QrContents =
  | { version: 1; serial: string; payload: CertificatePayload; payloadText: string; signature: string }
  | { version: 2; serial: string; keyId: string; signature: string };

const SIGNATURE = /^[A-Za-z0-9_-]{86}$/;
const KEY_ID = /^[0-9a-f]{8}$/;

export function parseQrLink(link: string): QrContents | null {
  try {
    const url = new URL(link);
    const s = url.searchParams.get("s");
    if (!s) return null;
    const k = url.searchParams.get("k");
    if (k !== null) {
      const serial = decodeURIComponent(url.pathname.split("/").pop() ?? "");
      return KEY_ID.test(k) && SIGNATURE.test(s) && serial ? { version: 2, serial, keyId: k, signature: s } : null;
    }
    const p = url.searchParams.get("p");
    if (!p) return null;
    const payloadText = Buffer.from(p, "base64url").toString("utf8");
    const payload = JSON.parse(payloadText) as CertificatePayload;
    return { version: 1, serial: payload.s, payload, payloadText, signature: s };
  } catch {
    return null;
  }
}

/** How near its expiry a certificate reads "expiring soon": the first reminder's distance. */
export const EXPIRING_SOON_DAYS = 90;

/** In force, not yet renewed, and expiring within EXPIRING_SOON_DAYS of `today`. */
export function expiringSoon(
  c: { revokedAt: string | null; supersededById: string | null; expiryDate: string | null; renewedById: string | null },
  today: string,
): boolean {
  return certificateStatus(c, today) === "valid" && !c.renewedById && !!c.expiryDate && c.expiryDate <= addDays(today, EXPIRING_SOON_DAYS);
}
