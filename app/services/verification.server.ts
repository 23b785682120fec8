import { canonicalPayload, maskName, parseQrLink } from "../domain/certificate";
import { parseSerial, type SerialCheck } from "../domain/serial";
import { shanghaiDate } from "../domain/dates";
import { findByCompactSerial, findByPdfHash, findBySerial, getCertificate, statusOf, type Certificate } from "./certificates.server";
import { sha256 } from "../pdf/certificate.server";
import { publicKeyPem, verifyText } from "./signing.server";

/**
 * What the public may see of a certificate: no full name, no ID number. What lets an employer tie it
 * to a person is here (programme and version, hours, training period, base, dates); whether it is
 * that person is answered by the holder check, which only says match or no match.
 */
export function publicView(c: Certificate) {
  return {
    serial: c.serial,
    status: statusOf(c),
    holder: maskName(c.holderName),
    certificateTitle: c.certificateTitle,
    programTitle: c.programTitle,
    programVersion: c.programVersion,
    theoryHours: c.theoryHours,
    practiceHours: c.practiceHours,
    cohortStart: c.cohortStart,
    cohortEnd: c.cohortEnd,
    /** Whether the holder check asks for the ID number's last four characters or the name alone. */
    hasIdNumber: !!c.holderIdNumber,
    organisationName: c.organisationName,
    completionDate: c.completionDate,
    issueDate: c.issueDate,
    expiryDate: c.expiryDate,
    revokedOn: c.revokedAt ? shanghaiDate(c.revokedAt) : null,
    revokedReason: c.revokedReason,
    replacedBy: c.supersededById ? (getCertificate(c.supersededById)?.serial ?? null) : null,
  };
}

export type SerialLookup =
  | { kind: "mistyped" }
  | { kind: "notFound"; serial: string }
  | { kind: "found"; certificate: ReturnType<typeof publicView>; signature: "valid" | "invalid" | "absent" };

/**
 * A serial as typed, in its printed form. It is judged by its check character; one that fails is
 * still found if a certificate was issued under exactly that serial, since serials printed before
 * the present check character keep verifying.
 */
export function readSerial(input: string): SerialCheck {
  const parsed = parseSerial(input);
  if (parsed.ok) return parsed;
  const issued = findByCompactSerial(input.toUpperCase().replace(/[\s\-–—]/g, ""));
  return issued ? { ok: true, serial: issued.serial } : parsed;
}

/** Looks a serial up as typed; a serial that fails its check character is reported as mistyped, not missing. */
export function lookUpSerial(input: string, link?: string): SerialLookup {
  const parsed = readSerial(input);
  if (!parsed.ok) return { kind: "mistyped" };
  const c = findBySerial(parsed.serial);
  if (!c) return { kind: "notFound", serial: parsed.serial };
  let signature: "valid" | "invalid" | "absent" = "absent";
  const qr = link ? parseQrLink(link) : null;
  if (qr) {
    const good = qr.serial === c.serial && verifyText(canonicalPayload(qr.payload), qr.signature, publicKeyPem()) && canonicalPayload(qr.payload) === c.payload;
    signature = good ? "valid" : "invalid";
  }
  return { kind: "found", certificate: publicView(c), signature };
}

/** Whether an uploaded file is exactly a PDF this system issued. */
export function checkUploadedPdf(bytes: Buffer): { match: true; certificate: ReturnType<typeof publicView> } | { match: false } {
  const c = findByPdfHash(sha256(bytes));
  return c ? { match: true, certificate: publicView(c) } : { match: false };
}
