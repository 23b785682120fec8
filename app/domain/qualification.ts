import type { QualificationKind } from "../../db/schema";

/**
 * Qualifications people hold from elsewhere, and the 双证 rule of document 001 二(七)1: a nurse in a
 * 医养结合 institution who holds both the nurse's practising certificate and a caregiver certificate
 * is rewarded. Pure rules; the records are in app/services/qualifications.server.ts.
 */

export interface QualificationInput {
  kind: string;
  number: string;
  issuer: string;
  issuedOn: string;
  validUntil: string;
}

export type QualificationError =
  | "qualification.kindInvalid"
  | "qualification.nurseNumberForm"
  | "qualification.numberForm"
  | "qualification.issuerRequired"
  | "qualification.dateInvalid"
  | "qualification.validBeforeIssued";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * 护士执业证书编号 as printed: digits only, 12 to 15 of them (the length has changed over the
 * years and between provinces), opening with the four-digit year it was first issued. A form
 * check that catches typing slips, not a proof: the registrar verifies against the original.
 */
export function nurseNumberLooksRight(number: string, today: string): boolean {
  if (!/^\d{12,15}$/.test(number)) return false;
  const year = Number(number.slice(0, 4));
  return year >= 1994 && year <= Number(today.slice(0, 4));
}

/** What is wrong with a qualification as typed, keyed by field; empty when it may be recorded. */
export function qualificationProblems(q: QualificationInput, today: string): Partial<Record<keyof QualificationInput, QualificationError>> {
  const errors: Partial<Record<keyof QualificationInput, QualificationError>> = {};
  const number = q.number.trim();
  if (q.kind !== "nurse_practising" && q.kind !== "caregiver_vocational") errors.kind = "qualification.kindInvalid";
  else if (q.kind === "nurse_practising" && !nurseNumberLooksRight(number, today)) errors.number = "qualification.nurseNumberForm";
  else if (q.kind === "caregiver_vocational" && !/^[A-Za-z0-9-]{6,30}$/.test(number)) errors.number = "qualification.numberForm";
  const issuer = q.issuer.trim();
  if (!issuer || issuer.length > 60) errors.issuer = "qualification.issuerRequired";
  if (!DATE.test(q.issuedOn) || q.issuedOn > today) errors.issuedOn = "qualification.dateInvalid";
  if (q.validUntil && !DATE.test(q.validUntil)) errors.validUntil = "qualification.dateInvalid";
  else if (q.validUntil && DATE.test(q.issuedOn) && q.validUntil < q.issuedOn) errors.validUntil = "qualification.validBeforeIssued";
  return errors;
}

/** What the 双证 rule looks at for one person. */
export interface DualFacts {
  qualifications: { kind: QualificationKind; status: "pending" | "verified" | "rejected"; validUntil: string | null }[];
  /** Caregiver certificates this system issued to the person that are in force. */
  caregiverCertificatesInForce: number;
  /** Whether the person works at a 医养结合 member institution. */
  worksInMemberInstitution: boolean;
}

export type DualReason =
  | "noNurseCertificate"
  | "nurseCertificatePending"
  | "noCaregiverCertificate"
  | "caregiverCertificatePending"
  | "notInMemberInstitution";

const inForce = (q: { validUntil: string | null }, today: string) => q.validUntil === null || q.validUntil >= today;

/**
 * Whether a person qualifies for the 双证 incentive today, and if not, every reason why. Only
 * verified qualifications count; one awaiting verification is named as such.
 */
export function dualCertificate(f: DualFacts, today: string): { qualifies: boolean; reasons: DualReason[] } {
  const reasons: DualReason[] = [];
  const held = (kind: QualificationKind, status: "verified" | "pending") =>
    f.qualifications.some((q) => q.kind === kind && q.status === status && inForce(q, today));
  if (!held("nurse_practising", "verified"))
    reasons.push(held("nurse_practising", "pending") ? "nurseCertificatePending" : "noNurseCertificate");
  if (f.caregiverCertificatesInForce === 0 && !held("caregiver_vocational", "verified")) {
    reasons.push(held("caregiver_vocational", "pending") ? "caregiverCertificatePending" : "noCaregiverCertificate");
  }
  if (!f.worksInMemberInstitution) reasons.push("notInMemberInstitution");
  return { qualifies: reasons.length === 0, reasons };
}
