import { randomUUID } from "node:crypto";
import { NotFound } from "./errors";
import { and, desc, eq } from "drizzle-orm";
import { db, inJsonList, prepared } from "../../db/client.server";
import { qualifications, users, type QualificationKind } from "../../db/schema";
import { dualCertificate, qualificationProblems, type DualReason, type QualificationInput } from "../domain/qualification";
import { programs } from "../content/programs.server";
import { shanghaiDate } from "../domain/dates";
import { recordAudit } from "./audit.server";
import { now as clockNow, today } from "./clock.server";
import { failure, success, uniqueViolation, type ServiceResult } from "./result";
import type { FieldErrors } from "./result";

/** Records a qualification a person holds, awaiting their base's verification. */
export function addQualification(userId: string, input: QualificationInput): ServiceResult<string> {
  const errors: FieldErrors = qualificationProblems(input, today());
  if (Object.keys(errors).length) return failure(errors);
  const id = randomUUID();
  try {
    db().transaction((tx) => {
      tx.insert(qualifications)
        .values({
          id,
          userId,
          kind: input.kind as QualificationKind,
          number: input.number.trim(),
          issuer: input.issuer.trim(),
          issuedOn: input.issuedOn,
          validUntil: input.validUntil || null,
        })
        .run();
      recordAudit(tx, {
        actorUserId: userId,
        action: "qualification.add",
        entityType: "user",
        entityId: userId,
        details: { id, kind: input.kind },
      });
    });
  } catch (e) {
    if (uniqueViolation(e)) return failure({ number: "qualification.numberTaken" });
    throw e;
  }
  return success(id);
}

export function qualificationsOf(userId: string) {
  return db().select().from(qualifications).where(eq(qualifications.userId, userId)).orderBy(desc(qualifications.createdAt)).all();
}

/**
 * Qualifications of people enrolled at a base (in any cohort, withdrawn or not): those its
 * registrar verifies. Read from the qualifications side, so a base's long history of trainees is
 * never listed to find the few who recorded one.
 */
const OF_BASE =
  "exists (select 1 from enrolments e join cohorts k on k.id = e.cohort_id where e.user_id = q.user_id and k.organisation_id = ?)";

function qualificationIdsOfBase(organisationId: string): string[] {
  return prepared(`select q.id from qualifications q where ${OF_BASE}`).pluck().all(organisationId) as string[];
}

/** Qualifications of the base's people, those awaiting verification first. */
export function qualificationsAtBase(organisationId: string) {
  const ids = qualificationIdsOfBase(organisationId);
  if (ids.length === 0) return [];
  return db()
    .select({ q: qualifications, name: users.name })
    .from(qualifications)
    .innerJoin(users, eq(users.id, qualifications.userId))
    .where(inJsonList(qualifications.id, ids))
    .orderBy(desc(qualifications.createdAt))
    .all()
    .map((r) => ({ ...r.q, name: r.name }))
    .sort((a, b) => Number(b.status === "pending") - Number(a.status === "pending"));
}

/**
 * The registrar's verdict on a qualification of one of the base's people, against the original:
 * verified, or rejected with the reason. Decided once; audit-logged with the verdict.
 */
export function decideQualification(
  registrarId: string,
  organisationId: string,
  qualificationId: string,
  verified: boolean,
  reason: string,
): ServiceResult<null> {
  const q = db().select().from(qualifications).where(eq(qualifications.id, qualificationId)).get();
  if (!q || !prepared(`select 1 from qualifications q where q.id = ? and ${OF_BASE}`).get(qualificationId, organisationId))
    throw new NotFound();
  if (q.status !== "pending") return failure({ _form: "qualification.alreadyDecided" });
  const why = reason.trim().slice(0, 200);
  if (!verified && !why) return failure({ reason: "qualification.reasonRequired" });
  db().transaction((tx) => {
    tx.update(qualifications)
      .set({
        status: verified ? "verified" : "rejected",
        verifiedBy: registrarId,
        verifiedAt: clockNow().toISOString(),
        rejectionReason: verified ? null : why,
      })
      .where(and(eq(qualifications.id, qualificationId), eq(qualifications.status, "pending")))
      .run();
    recordAudit(tx, {
      actorUserId: registrarId,
      action: verified ? "qualification.verify" : "qualification.reject",
      entityType: "user",
      entityId: q.userId,
      organisationId,
      details: { id: q.id, kind: q.kind, reason: why },
    });
  });
  return success(null);
}

/** Programmes whose certificate is a caregiver certificate (养老护理员, 医疗护理员 and their instructors). */
function caregiverProgrammes(): string[] {
  return [...programs().values()].filter((p) => p.rules.occupation.includes("护理员")).map((p) => p.rules.code);
}

export interface DualRow {
  userId: string;
  name: string;
  qualifies: boolean;
  reasons: DualReason[];
  /** The verified nurse's practising certificate in force that the incentive is claimed against, if any. */
  nurse: { id: string; number: string; verifiedOn: string } | null;
}

/**
 * The 双证 list for a base's people who recorded a nurse's practising certificate: who qualifies
 * today, and why the others do not.
 */
export function dualCertificateRows(organisationId: string): DualRow[] {
  const on = today();
  const ids = qualificationIdsOfBase(organisationId);
  const held = ids.length ? db().select().from(qualifications).where(inJsonList(qualifications.id, ids)).all() : [];
  const nurses = JSON.stringify([...new Set(held.filter((q) => q.kind === "nurse_practising").map((q) => q.userId))]);
  // Three reads for the whole list, whatever its length: names, caregiver certificates in force, member-institution work.
  const names = prepared("select id, name from users where id in (select value from json_each(?)) order by name").raw().all(nurses) as [
    string,
    string,
  ][];
  const certificates = new Map(
    prepared(
      `select user_id, count(*) from certificates where user_id in (select value from json_each(?)) and revoked_at is null and superseded_by_id is null
         and (expiry_date is null or expiry_date >= ?) and program_code in (select value from json_each(?)) group by user_id`,
    )
      .raw()
      .all(nurses, on, JSON.stringify(caregiverProgrammes())) as [string, number][],
  );
  const members = new Set(
    prepared(
      `select distinct r.user_id from role_assignments r join organisations o on o.id = r.organisation_id where r.user_id in (select value from json_each(?)) and o.kind = 'member_institution'`,
    )
      .pluck()
      .all(nurses) as string[],
  );
  return names.map(([userId, name]) => {
    const facts = {
      qualifications: held.filter((q) => q.userId === userId),
      caregiverCertificatesInForce: certificates.get(userId) ?? 0,
      worksInMemberInstitution: members.has(userId),
    };
    const nurse = facts.qualifications.find(
      (q) => q.kind === "nurse_practising" && q.status === "verified" && (q.validUntil === null || q.validUntil >= on),
    );
    return {
      userId,
      name,
      ...dualCertificate(facts, on),
      nurse: nurse ? { id: nurse.id, number: nurse.number, verifiedOn: shanghaiDate(nurse.verifiedAt ?? nurse.createdAt) } : null,
    };
  });
}
