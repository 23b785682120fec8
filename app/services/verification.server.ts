import { canonicalPayload, maskName, parseQrLink, type QrContents } from "../domain/certificate";
import { parseSerial, type SerialCheck } from "../domain/serial";
import { shanghaiDate } from "../domain/dates";
import { findByCompactSerial, findByPdfHash, findBySerial, getCertificate, statusOf, type Certificate } from "./certificates.server";
import { sha256 } from "../pdf/certificate.server";
import { checkPdfSignature, sameCertificate, unsignedPart } from "../pdf/pdf-signature.server";
import { publicKeyOf, publishedKeys, verifyText } from "./signing.server";

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
    renews: c.renewsSerial,
    renewedBy: renewalOf(c),
  };
}

/** The certificate that renewed this one, as the public sees it: serial and new expiry. */
function renewalOf(c: Certificate): { serial: string; expiryDate: string | null } | null {
  const renewal = c.renewedById ? getCertificate(c.renewedById) : null;
  return renewal ? { serial: renewal.serial, expiryDate: renewal.expiryDate } : null;
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
  const qr = link ? parseQrLink(link) : null;
  return { kind: "found", certificate: publicView(c), signature: qr ? (qrSignatureHolds(qr, c) ? "valid" : "invalid") : "absent" };
}

/**
 * Whether a QR code's signature is this certificate's: made by the key it names (current or
 * retired) over exactly the data on record.
 */
function qrSignatureHolds(qr: QrContents, c: Certificate): boolean {
  if (qr.serial.replace(/-/g, "").toUpperCase() !== c.serial.replace(/-/g, "")) return false;
  const keyId = qr.version === 2 ? qr.keyId : c.keyId;
  const publicPem = keyId ? publicKeyOf(keyId) : null;
  if (!publicPem || (qr.version === 2 && keyId !== c.keyId)) return false;
  if (qr.version === 1 && canonicalPayload(qr.payload) !== c.payload) return false;
  return verifyText(c.payload, qr.signature, publicPem);
}

/**
 * Whether an uploaded file is a PDF this system issued: its page exactly as rendered, and the file
 * signed by one of the deployment's keys over every byte. Files from before PDFs were signed are
 * recognised by their page alone.
 */
export function checkUploadedPdf(bytes: Buffer): { match: true; certificate: ReturnType<typeof publicView> } | { match: false } {
  const c = findByPdfHash(sha256(unsignedPart(bytes)));
  if (!c) return { match: false };
  const signature = checkPdfSignature(bytes);
  if (!signature.present)
    return bytes.length === unsignedPart(bytes).length ? { match: true, certificate: publicView(c) } : { match: false };
  const ours =
    signature.certificatePem !== null &&
    publishedKeys().some((k) => k.pdfCertificate !== null && sameCertificate(k.pdfCertificate, signature.certificatePem!));
  return signature.wholeFile && signature.intact && signature.signatureValid && ours
    ? { match: true, certificate: publicView(c) }
    : { match: false };
}
