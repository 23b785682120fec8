import { createHash, randomBytes, randomUUID } from "node:crypto";
import { canonicalPayload, expiryDate, maskName, type CertificatePayload } from "../../app/domain/certificate";
import { shanghaiDate } from "../../app/domain/dates";
import type { Completion } from "../../app/domain/completion";
import type { ProgramRules } from "../../app/domain/program";
import { maskResidentId } from "../../app/domain/resident-id";
import { makeSerial } from "../../app/domain/serial";
import { verifyBase } from "../../app/services/certificates.server";
import { currentKeyId, signText } from "../../app/services/signing.server";
import type { Base } from "./organisations";
import type { BulkStatements } from "./schema-sql";

/**
 * Certificates made as the app makes them: a random serial with its check character, the payload
 * the app signs (masked name and ID number, programme, base, hours, dates) signed with the
 * deployment's Ed25519 key by the app's own signing code, so `/v/<serial>` with the QR code's link
 * says valid. One thing is left out: rendering the PDF to record its hash takes 25 ms a
 * certificate (40 minutes for 100,000), so these hold a hash no file has, and an upload of their
 * PDF is not recognised; the first certificate of each cohort is issued through the app itself,
 * PDF hash and all (see generate.ts).
 */
export class CertificateWriter {
  private serials = new Set<string>();
  private readonly base = verifyBase();
  issued = 0;

  constructor(private readonly write: BulkStatements) {}

  issue(input: {
    enrolmentId: string;
    userId: string;
    base: Base;
    cohort: { startDate: string; endDate: string };
    rules: ProgramRules;
    holderName: string;
    holderIdNumber: string | null;
    completion: Completion;
    completedAt: string;
    issueDate: string;
  }): string {
    const { rules, completion } = input;
    let serial: string;
    do serial = makeSerial(Number(input.issueDate.slice(0, 4)), randomBytes(5));
    while (this.serials.has(serial));
    this.serials.add(serial);
    const completionDate = shanghaiDate(input.completedAt);
    const expiry = expiryDate(input.issueDate, rules.certificate.validityMonths);
    const keyId = currentKeyId();
    const payload: CertificatePayload = {
      v: 2,
      s: serial,
      n: maskName(input.holderName),
      id: input.holderIdNumber ? maskResidentId(input.holderIdNumber) : null,
      p: `${rules.code}@${rules.version}`,
      t: rules.certificate.title,
      b: input.base.code,
      h: completion.progress.theoryHours + completion.progress.practiceHours,
      c: completionDate,
      i: input.issueDate,
      e: expiry,
      k: keyId,
    };
    const payloadText = canonicalPayload(payload);
    const id = randomUUID();
    const issuedAt = `${input.issueDate}T03:00:00.000Z`;
    this.write.certificate({
      id,
      serial,
      enrolmentId: input.enrolmentId,
      userId: input.userId,
      organisationId: input.base.id,
      organisationCode: input.base.code,
      organisationName: input.base.name,
      programCode: rules.code,
      programVersion: rules.version,
      programTitle: rules.title,
      certificateTitle: rules.certificate.title,
      holderName: input.holderName,
      holderIdNumber: input.holderIdNumber,
      cohortStart: input.cohort.startDate,
      cohortEnd: input.cohort.endDate,
      theoryHours: completion.progress.theoryHours,
      practiceHours: completion.progress.practiceHours,
      completionDate,
      issueDate: input.issueDate,
      expiryDate: expiry,
      verifyBase: this.base,
      payload: payloadText,
      signature: signText(payloadText),
      keyId,
      pdfSha256: createHash("sha256").update(`not rendered: ${serial}`).digest("hex"),
      issuedBy: input.base.registrarId,
      issuedAt,
    });
    this.write.audit(issuedAt, input.base.registrarId, "certificate.issue", "certificate", id, input.base.id, {
      serial,
      enrolmentId: input.enrolmentId,
    });
    this.issued++;
    return id;
  }
}
