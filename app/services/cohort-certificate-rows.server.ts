import { desc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db } from "../../db/client.server";
import { certificates, enrolments } from "../../db/schema";
import { certificateStatus, type CertificateStatus } from "../domain/certificate";
import { cohortCertificates } from "./certificates.server";
import { today } from "./clock.server";

export interface CohortCertificateRow {
  enrolmentId: string;
  name: string;
  completedAt: string | null;
  /** The certificate in force for the enrolment (valid, expired or revoked), if one was issued. */
  current: { id: string; serial: string; status: CertificateStatus } | null;
  /** Certificates it replaced, newest first, each with the serial that replaced it. */
  earlier: { id: string; serial: string; issueDate: string; replacedBy: string | null }[];
}

/**
 * The cohort's 发证 tab: each completed enrolment with its certificate's status, and the earlier
 * certificates a reissue replaced, so a revoked or replaced serial is never mistaken for a valid one.
 */
export function cohortCertificateRows(cohortId: string, on = today()): CohortCertificateRow[] {
  const successor = alias(certificates, "successor");
  const all = db()
    .select({
      id: certificates.id,
      enrolmentId: certificates.enrolmentId,
      serial: certificates.serial,
      issueDate: certificates.issueDate,
      revokedAt: certificates.revokedAt,
      supersededById: certificates.supersededById,
      expiryDate: certificates.expiryDate,
      replacedBy: successor.serial,
    })
    .from(certificates)
    .innerJoin(enrolments, eq(enrolments.id, certificates.enrolmentId))
    .leftJoin(successor, eq(successor.id, certificates.supersededById))
    .where(eq(enrolments.cohortId, cohortId))
    .orderBy(desc(certificates.issuedAt))
    .all();
  const byId = new Map(all.map((c) => [c.id, c]));
  return cohortCertificates(cohortId).map((r) => {
    const record = r.certificateId ? byId.get(r.certificateId) : undefined;
    return {
      enrolmentId: r.enrolmentId,
      name: r.name,
      completedAt: r.completedAt,
      current: record ? { id: record.id, serial: record.serial, status: certificateStatus(record, on) } : null,
      earlier: all
        .filter((c) => c.enrolmentId === r.enrolmentId && c.supersededById)
        .map((c) => ({ id: c.id, serial: c.serial, issueDate: c.issueDate, replacedBy: c.replacedBy })),
    };
  });
}
