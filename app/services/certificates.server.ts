import { randomBytes, randomUUID } from "node:crypto";
import { NotFound } from "./errors";
import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lte, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { db, type Transaction } from "../../db/client.server";
import { certificates, cohorts, enrolments, organisations, users } from "../../db/schema";
import {
  canonicalPayload,
  certificateStatus,
  cohortHasEnded,
  expiryDate,
  renewedExpiry,
  maskName,
  qrLink,
  type CertificatePayload,
  type RevocationReason,
} from "../domain/certificate";
import { shanghaiDate } from "../domain/dates";
import { publicBaseUrl } from "../domain/public-url";
import { maskResidentId, parseResidentId } from "../domain/resident-id";
import { makeSerial } from "../domain/serial";
import type { MessageKey } from "../i18n/messages";
import { missingGlyphs, renderCertificatePdf, sha256, type CertificateDocument } from "../pdf/certificate.server";
import { recordAudit } from "./audit.server";
import { completionOf } from "./completion.server";
import { notify } from "./notifications.server";
import { accreditationOn } from "./organisations.server";
import { now as clockNow, today } from "./clock.server";
import { rulesOfVersion } from "./program-versions.server";
import type { ProgramRules } from "../domain/program";
import { signPdf } from "../pdf/pdf-signature.server";
import { currentKeyId, ensureSigningKey, signText } from "./signing.server";
import { refuse, success, type Refusal, type ServiceResult } from "./result";

export type Certificate = typeof certificates.$inferSelect;

/** Where certificates send people to check them; fixed on each certificate when it is issued. */
export function verifyBase(): string {
  return publicBaseUrl(process.env);
}

export function verifyUrl(c: Pick<Certificate, "verifyBase" | "serial">): string {
  return `${c.verifyBase}/v/${c.serial}`;
}

function documentOf(c: Certificate): CertificateDocument {
  return { ...c, verifyUrl: verifyUrl(c), qrText: qrLink(c.verifyBase, JSON.parse(c.payload) as CertificatePayload, c.signature) };
}

/**
 * The page of a certificate before the file is signed, regenerated from its record: the same bytes
 * every time. Its hash is the one kept (`pdfSha256`), so a file stays recognisable when it has to be
 * signed again with a newer key.
 */
export function unsignedCertificatePdf(c: Certificate): Promise<Buffer> {
  return renderCertificatePdf(documentOf(c));
}

/**
 * The certificate's PDF, signed as a file with the deployment's PDF key (signing time: its issue).
 * The signature is deterministic, so downloads repeat the same bytes while the key is the same.
 */
export async function certificatePdf(c: Certificate): Promise<Buffer> {
  return signPdf(await unsignedCertificatePdf(c), ensureSigningKey().pdf, {
    signer: c.organisationName,
    reason: `${c.certificateTitle} ${c.serial}`,
    at: new Date(c.issuedAt),
  });
}

function newSerial(issueDate: string): string {
  return makeSerial(Number(issueDate.slice(0, 4)), randomBytes(5));
}

function enrolmentForCertificate(enrolmentId: string) {
  return db()
    .select({
      enrolment: enrolments,
      cohort: cohorts,
      holderName: users.name,
      holderIdNumber: users.idNumber,
      organisationCode: organisations.code,
      organisationName: organisations.name,
    })
    .from(enrolments)
    .innerJoin(cohorts, eq(cohorts.id, enrolments.cohortId))
    .innerJoin(users, eq(users.id, enrolments.userId))
    .innerJoin(organisations, eq(organisations.id, cohorts.organisationId))
    .where(eq(enrolments.id, enrolmentId))
    .get();
}

/** How long a certificate runs, and which certificate it renews (a refresher's), if any. */
type CertificateTerm = { expiry: string | null; renews: { id: string; serial: string } | null };

/**
 * A new certificate runs for its programme's validity from the issue date; a refresher's renews the
 * holder's certificate of the programme it refreshes and runs on from that one's expiry. Null when a
 * refresher has nothing to renew.
 */
function certificateTerm(userId: string, rules: ProgramRules, issueDate: string): CertificateTerm | null {
  if (!rules.renews) return { expiry: expiryDate(issueDate, rules.certificate.validityMonths), renews: null };
  const renewed = renewableCertificate(userId, rules.renews);
  if (!renewed) return null;
  return {
    expiry: renewedExpiry(renewed.expiryDate!, issueDate, rules.certificate.validityMonths!),
    renews: { id: renewed.id, serial: renewed.serial },
  };
}

/**
 * Builds, signs and renders a certificate for a completed enrolment; nothing is written. A new
 * certificate runs for the programme's validity from `issueDate`; a reissue passes the expiry of the
 * certificate it replaces, because correcting a certificate does not extend it.
 */
async function prepare(enrolmentId: string, issueDate: string, kept?: CertificateTerm): Promise<ServiceResult<Certificate>> {
  const row = enrolmentForCertificate(enrolmentId);
  if (!row) throw new NotFound();
  const { enrolment, cohort } = row;
  if (enrolment.status !== "completed" || !enrolment.completedAt) return refuse("_form", "certificate.notCompleted");
  if (accreditationOn(cohort.organisationId, issueDate).status !== "accredited") return refuse("_form", "certificate.baseNotAccredited");
  const rules = rulesOfVersion(enrolment.programVersionId);
  const missing = missingGlyphs(row.holderName + row.organisationName + rules.title + rules.certificate.title);
  if (missing.length) return refuse("_form", "certificate.missingGlyph", { char: missing.join("") });

  const progress = completionOf(db(), enrolmentId).progress;
  const serial = newSerial(issueDate);
  const completionDate = shanghaiDate(enrolment.completedAt);
  const term = kept ?? certificateTerm(enrolment.userId, rules, issueDate);
  if (!term) return refuse("_form", "certificate.nothingToRenew");
  const { expiry, renews } = term;
  const keyId = currentKeyId();
  const payload: CertificatePayload = {
    v: 2,
    s: serial,
    n: maskName(row.holderName),
    id: row.holderIdNumber ? maskResidentId(row.holderIdNumber) : null,
    p: `${rules.code}@${rules.version}`,
    t: rules.certificate.title,
    b: row.organisationCode,
    h: progress.theoryHours + progress.practiceHours,
    c: completionDate,
    i: issueDate,
    e: expiry,
    k: keyId,
  };
  const payloadText = canonicalPayload(payload);
  const record: Certificate = {
    id: randomUUID(),
    serial,
    enrolmentId,
    userId: enrolment.userId,
    organisationId: cohort.organisationId,
    organisationCode: row.organisationCode,
    organisationName: row.organisationName,
    programCode: rules.code,
    programVersion: rules.version,
    programTitle: rules.title,
    certificateTitle: rules.certificate.title,
    holderName: row.holderName,
    holderIdNumber: row.holderIdNumber,
    cohortStart: cohort.startDate,
    cohortEnd: cohort.endDate,
    theoryHours: progress.theoryHours,
    practiceHours: progress.practiceHours,
    completionDate,
    issueDate,
    expiryDate: expiry,
    verifyBase: verifyBase(),
    payload: payloadText,
    signature: signText(payloadText),
    keyId,
    pdfSha256: "",
    issuedBy: null,
    issuedAt: clockNow().toISOString(),
    revokedAt: null,
    revokedReason: null,
    revokedNote: null,
    revokedBy: null,
    supersededById: null,
    reissueReason: null,
    renewsId: renews?.id ?? null,
    renewsSerial: renews?.serial ?? null,
    renewedById: null,
    claimHolds: 0,
  };
  record.pdfSha256 = sha256(await unsignedCertificatePdf(record));
  return success(record);
}

/**
 * Issues the certificate of a completed enrolment. Not before its cohort has ended (the day after its
 * end date, China time) unless the registrar gives a reason for finishing early, which the audit
 * log keeps with the issue.
 */
export async function issueCertificate(
  actorUserId: string,
  enrolmentId: string,
  issueDate = today(),
  earlyReason = "",
): Promise<ServiceResult<string>> {
  const cohortEnd = enrolmentForCertificate(enrolmentId)?.cohort.endDate;
  const early = earlyReason.trim().slice(0, 200);
  if (cohortEnd && !cohortHasEnded(cohortEnd, issueDate) && !early) return refuse("_form", "certificate.cohortNotEnded");
  const prepared = await prepare(enrolmentId, issueDate);
  if (!prepared.ok) return prepared;
  const record = { ...prepared.value, issuedBy: actorUserId };
  try {
    db().transaction((tx) => {
      tx.insert(certificates).values(record).run();
      if (record.renewsId) markRenewed(tx, record.renewsId, record.id);
      const before = cohortEnd && !cohortHasEnded(cohortEnd, issueDate) ? { earlyCompletionReason: early, cohortEnd } : {};
      tellHolder(tx, record);
      recordAudit(tx, {
        actorUserId,
        action: "certificate.issue",
        entityType: "certificate",
        entityId: record.id,
        organisationId: record.organisationId,
        details: { serial: record.serial, enrolmentId, ...before },
      });
    });
  } catch (e) {
    if (e instanceof Error && e.message.includes("UNIQUE constraint failed: certificates.enrolment_id"))
      return refuse("_form", "certificate.alreadyIssued");
    if (e instanceof AlreadyRenewed || (e instanceof Error && e.message.includes("UNIQUE constraint failed: certificates.renews_id")))
      return refuse("_form", "certificate.nothingToRenew");
    throw e;
  }
  return success(record.id);
}

/** Completed enrolments of a cohort and the certificate in force for each, if any. */
export function cohortCertificates(cohortId: string) {
  return db()
    .select({
      enrolmentId: enrolments.id,
      name: users.name,
      completedAt: enrolments.completedAt,
      certificateId: certificates.id,
      serial: certificates.serial,
      revokedAt: certificates.revokedAt,
    })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .leftJoin(certificates, and(eq(certificates.enrolmentId, enrolments.id), isNull(certificates.supersededById)))
    .where(and(eq(enrolments.cohortId, cohortId), eq(enrolments.status, "completed")))
    .orderBy(users.name)
    .all();
}

export interface BatchResult {
  issued: number;
  /** Whose certificate was not issued, and why. */
  refused: { name: string; refusal: Refusal }[];
}

/**
 * Issues every missing certificate of a cohort. Each certificate is rendered and written on its
 * own, and the loop yields between them, so other requests are served while a large cohort runs.
 */
export async function issueForCohort(actorUserId: string, cohortId: string, issueDate = today(), earlyReason = ""): Promise<BatchResult> {
  const pending = cohortCertificates(cohortId).filter((r) => !r.certificateId);
  const result: BatchResult = { issued: 0, refused: [] };
  for (const r of pending) {
    const outcome = await issueCertificate(actorUserId, r.enrolmentId, issueDate, earlyReason);
    if (outcome.ok) result.issued++;
    else result.refused.push({ name: r.name, refusal: outcome });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return result;
}

export function getCertificate(id: string): Certificate | null {
  return db().select().from(certificates).where(eq(certificates.id, id)).get() ?? null;
}

export function findBySerial(serial: string): Certificate | null {
  return db().select().from(certificates).where(eq(certificates.serial, serial)).get() ?? null;
}

/** A certificate by its serial typed without separators, whatever check character it was issued with. */
export function findByCompactSerial(compact: string): Certificate | null {
  return db().select().from(certificates).where(sql`replace(${certificates.serial}, '-', '') = ${compact}`).get() ?? null;
}

export function findByPdfHash(hash: string): Certificate | null {
  return db().select().from(certificates).where(eq(certificates.pdfSha256, hash)).get() ?? null;
}

export function statusOf(c: Certificate, on = today()) {
  return certificateStatus(c, on);
}

export function revokeCertificate(actorUserId: string, id: string, reason: RevocationReason, note: string): ServiceResult<true> {
  const c = getCertificate(id);
  if (!c) throw new NotFound();
  if (c.revokedAt) return refuse("_form", "certificate.alreadyRevoked");
  if (c.supersededById) return refuse("_form", "certificate.superseded");
  db().transaction((tx) => {
    tx.update(certificates)
      .set({ revokedAt: clockNow().toISOString(), revokedReason: reason, revokedNote: note, revokedBy: actorUserId })
      .where(eq(certificates.id, id))
      .run();
    recordAudit(tx, {
      actorUserId,
      action: "certificate.revoke",
      entityType: "certificate",
      entityId: id,
      organisationId: c.organisationId,
      details: { serial: c.serial, reason, note },
    });
  });
  return success(true);
}

/** Whether a certificate may be reissued on `on`: only one still in force and not yet expired. */
export function reissueRefusal(c: Certificate, on = today()): MessageKey | null {
  const status = statusOf(c, on);
  if (status === "revoked") return "certificate.alreadyRevoked";
  if (status === "superseded") return "certificate.superseded";
  if (status === "expired") return "certificate.expiredNoReissue";
  return null;
}

/**
 * Replaces a certificate (for instance after a name correction): a new serial with the holder's
 * current details, and the old one marked superseded and pointing to it, in one transaction. The
 * replacement keeps the original expiry date; an expired certificate is not reissued, since a
 * reissue is a correction and never a renewal.
 */
export async function reissueCertificate(
  actorUserId: string,
  id: string,
  reason: string,
  issueDate = today(),
): Promise<ServiceResult<string>> {
  const old = getCertificate(id);
  if (!old) throw new NotFound();
  const refusal = reissueRefusal(old, issueDate);
  if (refusal) return refuse("_form", refusal);
  const prepared = await prepare(old.enrolmentId, issueDate, {
    expiry: old.expiryDate,
    renews: old.renewsId ? { id: old.renewsId, serial: old.renewsSerial! } : null,
  });
  if (!prepared.ok) return prepared;
  const record = { ...prepared.value, issuedBy: actorUserId, reissueReason: reason };
  const done = db().transaction((tx) => {
    const marked = tx
      .update(certificates)
      .set({ supersededById: record.id })
      .where(and(eq(certificates.id, id), isNull(certificates.supersededById), isNull(certificates.revokedAt)))
      .run();
    if (marked.changes === 0) return false;
    tx.insert(certificates).values(record).run();
    // The renewed certificate now points at the corrected one.
    if (record.renewsId) tx.update(certificates).set({ renewedById: record.id }).where(eq(certificates.id, record.renewsId)).run();
    tellHolder(tx, record);
    recordAudit(tx, {
      actorUserId,
      action: "certificate.reissue",
      entityType: "certificate",
      entityId: record.id,
      organisationId: record.organisationId,
      details: { serial: record.serial, replaces: old.serial, reason, expiryDate: record.expiryDate },
    });
    return true;
  });
  return done ? success(record.id) : refuse("_form", "certificate.superseded");
}

/** The holder's certificate that a refresher of these programmes would renew: in force, not yet renewed, the latest to expire. */
export function renewableCertificate(userId: string, programCodes: string[]): Certificate | null {
  return (
    db()
      .select()
      .from(certificates)
      .where(
        and(
          eq(certificates.userId, userId),
          inArray(certificates.programCode, programCodes),
          isNull(certificates.revokedAt),
          isNull(certificates.supersededById),
          isNull(certificates.renewedById),
          isNotNull(certificates.expiryDate),
        ),
      )
      .orderBy(desc(certificates.expiryDate))
      .get() ?? null
  );
}

class AlreadyRenewed extends Error {}

/** Marks the renewed certificate, unless another refresher got there first or it was withdrawn meanwhile. */
function markRenewed(tx: Transaction, renewedId: string, byId: string) {
  const marked = tx
    .update(certificates)
    .set({ renewedById: byId })
    .where(
      and(
        eq(certificates.id, renewedId),
        isNull(certificates.renewedById),
        isNull(certificates.revokedAt),
        isNull(certificates.supersededById),
      ),
    )
    .run();
  if (marked.changes === 0) throw new AlreadyRenewed();
}

/** The holder hears of a certificate in the same transaction that issues it. */
function tellHolder(tx: Transaction, c: Certificate) {
  notify(tx, [
    {
      userId: c.userId,
      kind: "certificate_issued",
      params: { title: c.certificateTitle, serial: c.serial },
      link: "/learn",
      dedupeKey: `certificate_issued:${c.id}`,
    },
  ]);
}

export function certificatesOfUser(userId: string) {
  return db().select().from(certificates).where(eq(certificates.userId, userId)).orderBy(desc(certificates.issueDate)).all();
}

export interface RegisterQuery {
  organisationId?: string;
  name?: string;
  idNumber?: string;
  /**
   * How an ID number is matched. Those who see ID numbers masked may only find a certificate by the
   * whole, valid number: a partial match would let them recover the hidden digits one at a time.
   */
  idMatch?: "partial" | "whole";
  serial?: string;
  programCode?: string;
  from?: string;
  to?: string;
  /** Certificates in force, not yet renewed, expiring in this window (inclusive): the ones to bring back for a refresher. */
  expiresFrom?: string;
  expiresTo?: string;
  limit?: number;
}

/**
 * Text that begins with `text`, as a range over the column's index: the register is searched by
 * the beginning of a name, serial or ID number, never by reading every certificate.
 */
function startsWith(column: AnyColumn, text: string): SQL {
  return sql`(${column} >= ${text} and ${column} < ${text} || char(1114111))`;
}

/** An ID number as typed, ready to compare: no spaces, upper-case X. */
export function normaliseIdSearch(text: string): string {
  return text.replace(/\s+/g, "").toUpperCase();
}

/** Whether `text` is a whole, valid ID number (the only ID search open to those who see IDs masked). */
export function isWholeResidentId(text: string): boolean {
  return parseResidentId(normaliseIdSearch(text), today()).ok;
}

function idFilter(q: RegisterQuery): SQL | undefined {
  if (!q.idNumber?.trim()) return undefined;
  const wanted = normaliseIdSearch(q.idNumber);
  if (q.idMatch === "partial") return startsWith(certificates.holderIdNumber, wanted);
  return isWholeResidentId(wanted) ? eq(certificates.holderIdNumber, wanted) : sql`0`;
}

function registerFilter(q: RegisterQuery): SQL | undefined {
  return and(
    q.organisationId ? eq(certificates.organisationId, q.organisationId) : undefined,
    q.name?.trim() ? startsWith(certificates.holderName, q.name.trim()) : undefined,
    idFilter(q),
    q.serial?.trim() ? startsWith(certificates.serial, q.serial.trim().toUpperCase()) : undefined,
    q.programCode ? eq(certificates.programCode, q.programCode) : undefined,
    q.from ? gte(certificates.issueDate, q.from) : undefined,
    q.to ? lte(certificates.issueDate, q.to) : undefined,
    expiringFilter(q),
  );
}

function expiringFilter(q: RegisterQuery): SQL | undefined {
  if (!q.expiresFrom && !q.expiresTo) return undefined;
  return and(
    isNull(certificates.revokedAt),
    isNull(certificates.supersededById),
    isNull(certificates.renewedById),
    isNotNull(certificates.expiryDate),
    q.expiresFrom ? gte(certificates.expiryDate, q.expiresFrom) : undefined,
    q.expiresTo ? lte(certificates.expiryDate, q.expiresTo) : undefined,
  );
}

/** Every matching certificate, newest first; only `limit` of them from `offset` when given. */
export function searchCertificates(q: RegisterQuery & { offset?: number }): Certificate[] {
  // Certificates about to expire are listed soonest first; the register otherwise newest first.
  const order =
    q.expiresFrom || q.expiresTo
      ? [asc(certificates.expiryDate), asc(certificates.id)]
      : [desc(certificates.issueDate), desc(certificates.issuedAt), desc(certificates.id)];
  const query = db()
    .select()
    .from(certificates)
    .where(registerFilter(q))
    .orderBy(...order);
  return (q.limit === undefined ? query : query.limit(q.limit).offset(q.offset ?? 0)).all();
}

/** How many certificates match, whatever part of them is shown. */
export function countCertificates(q: RegisterQuery): number {
  return db().select({ n: count() }).from(certificates).where(registerFilter(q)).get()?.n ?? 0;
}
