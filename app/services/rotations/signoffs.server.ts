import { NotFound } from "../errors";
import { asc, eq, inArray } from "drizzle-orm";
import { db, prepared } from "../../../db/client.server";
import { departments, rotationSignoffs, users } from "../../../db/schema";
import type { SIGNOFF_KINDS } from "../../../db/schema";
import { pageInfo, type Page } from "../../domain/paging";
import { signOffTiming, type EVALUATION_CRITERIA, effectiveEnd } from "../../domain/rotation";
import { recordAudit } from "../audit.server";
import { refreshCompletion } from "../completion.server";
import { now as clockNow, today } from "../clock.server";
import { rulesOfVersion } from "../program-versions.server";
import { failure, success, refuse, type ServiceResult } from "../result";

import { cohortOfEnrolment, placementRow } from "./placements.server";

export function signoffsOf(placementIds: string[]) {
  if (placementIds.length === 0) return [];
  const mentor = db().select({ id: users.id, name: users.name }).from(users).as("mentor");
  return db()
    .select({
      id: rotationSignoffs.id,
      placementId: rotationSignoffs.placementId,
      kind: rotationSignoffs.kind,
      date: rotationSignoffs.date,
      skillCode: rotationSignoffs.skillCode,
      scores: rotationSignoffs.scores,
      passed: rotationSignoffs.passed,
      comments: rotationSignoffs.comments,
      onBehalf: rotationSignoffs.onBehalf,
      status: rotationSignoffs.status,
      lateReason: rotationSignoffs.lateReason,
      enteredBy: rotationSignoffs.enteredBy,
      mentorName: mentor.name,
    })
    .from(rotationSignoffs)
    .innerJoin(mentor, eq(mentor.id, rotationSignoffs.mentorUserId))
    .where(inArray(rotationSignoffs.placementId, placementIds))
    .orderBy(asc(rotationSignoffs.date), asc(rotationSignoffs.id))
    .all();
}

export type SignOffInput =
  | { kind: "day"; date: string; lateReason?: string }
  | { kind: "skill"; date: string; skillCode: string; lateReason?: string }
  | {
      kind: "evaluation";
      date: string;
      scores: Record<(typeof EVALUATION_CRITERIA)[number], number>;
      passed: boolean;
      comments: string;
      lateReason?: string;
    };

export interface Signer {
  userId: string;
  /** The user is the hospital's rotation coordinator (may enter paper forms on a mentor's behalf). */
  isCoordinator: boolean;
}

/**
 * Records what a mentor signs for a placement. Only the placement's mentor signs, from its start
 * until seven days after it ends; a later entry needs a reason and waits for the coordinator.
 * A coordinator may type in a paper form on the mentor's behalf; the entry says so. The
 * end-of-placement evaluation is signed on or after the last day (which an early end moves) and
 * carries that day's date.
 */
export function signOff(
  signer: Signer,
  placementId: string,
  input: SignOffInput,
  on: string = today(),
): ServiceResult<{ id: number; status: "approved" | "pending" }> {
  const p = placementRow(placementId);
  if (!p) throw new NotFound();
  const isMentor = signer.userId === p.mentorUserId;
  if (!isMentor && !signer.isCoordinator) return failure({ _form: "rotation.notYourTrainee" });
  const onBehalf = !isMentor;
  const end = effectiveEnd(p);

  if (input.date < p.startDate || input.date > end) return failure({ date: "rotation.dateOutsidePlacement" });
  if (input.kind === "evaluation" && (input.date < end || on < end))
    return refuse("date", "rotation.evaluationBeforeLastDay", { date: end });
  if (input.date > on) return failure({ date: "error.futureDate" });
  const timing = signOffTiming({ start: p.startDate, end }, on);
  if (timing === "notStarted") return failure({ date: "rotation.notStarted" });
  const lateReason = input.lateReason?.trim() ?? "";
  if (timing === "late" && !lateReason) return failure({ lateReason: "rotation.lateNeedsReason" });
  // The coordinator approves late entries, so a paper form they type in for a mentor needs no
  // second step; a late entry of their own as the placement's mentor waits for another coordinator.
  const status = timing === "late" && (isMentor || !signer.isCoordinator) ? "pending" : "approved";

  if (input.kind === "skill") {
    const skills = rulesOfVersion(cohortOfEnrolment(p.enrolmentId)!.programVersionId).skills.map((s) => s.code);
    if (!skills.includes(input.skillCode)) return failure({ skillCode: "error.choose" });
  }
  const hospitalId =
    db().select({ organisationId: departments.organisationId }).from(departments).where(eq(departments.id, p.departmentId)).get()
      ?.organisationId ?? null;
  try {
    const id = db().transaction((tx) => {
      const row = tx
        .insert(rotationSignoffs)
        .values({
          placementId,
          kind: input.kind,
          date: input.date,
          skillCode: input.kind === "skill" ? input.skillCode : null,
          scores: input.kind === "evaluation" ? JSON.stringify(input.scores) : null,
          passed: input.kind === "evaluation" ? input.passed : null,
          comments: input.kind === "evaluation" ? input.comments : "",
          mentorUserId: p.mentorUserId,
          enteredBy: signer.userId,
          onBehalf,
          status,
          lateReason: timing === "late" ? lateReason : null,
          decidedBy: status === "approved" && timing === "late" ? signer.userId : null,
          decidedAt: status === "approved" && timing === "late" ? clockNow().toISOString() : null,
        })
        .returning({ id: rotationSignoffs.id })
        .get();
      recordAudit(tx, {
        actorUserId: signer.userId,
        action: `rotation.sign-${input.kind}`,
        entityType: "placement",
        entityId: placementId,
        organisationId: hospitalId,
        details: { ...input, onBehalf, status },
      });
      if (status === "approved") refreshCompletion(tx, p.enrolmentId, signer.userId);
      return row.id;
    });
    return success({ id, status });
  } catch (e) {
    if (e instanceof Error && e.message.includes("UNIQUE constraint failed")) return failure({ date: "rotation.dayAlreadySigned" });
    throw e;
  }
}

/**
 * The coordinator's queue, a page at a time, oldest first: read from the partial index of the
 * hospital's own pending sign-offs (the database fills in each sign-off's hospital), so neither the
 * hospital's years of placements nor other hospitals' queues are read.
 */
export function pendingSignoffPage(hospitalId: string, page: Page) {
  type Row = {
    id: number;
    placementId: string;
    kind: (typeof SIGNOFF_KINDS)[number];
    date: string;
    lateReason: string | null;
    enteredBy: string | null;
    signedBy: string;
    mentorName: string;
    placementMentorId: string;
    traineeName: string;
    departmentName: string;
  };
  const rows = prepared(
    `select s.id, s.placement_id as placementId, s.kind, s.date, s.late_reason as lateReason, s.entered_by as enteredBy, s.mentor_user_id as signedBy,
       mentor.name as mentorName, p.mentor_user_id as placementMentorId, trainee.name as traineeName, d.name as departmentName
     from rotation_signoffs s indexed by rotation_signoffs_pending_idx
       cross join placements p on p.id = s.placement_id
       join departments d on d.id = p.department_id
       join enrolments e on e.id = p.enrolment_id
       join users trainee on trainee.id = e.user_id
       join users mentor on mentor.id = s.mentor_user_id
     where s.status = 'pending' and s.hospital_id = ?
     order by s.id limit ? offset ?`,
  ).all(hospitalId, page.limit + 1, page.offset) as Row[];
  return { rows: rows.slice(0, page.limit), info: pageInfo(page, rows.length, pendingSignoffCount(hospitalId)) };
}

/** How many sign-offs await the hospital's approval. */
export function pendingSignoffCount(hospitalId: string): number {
  return prepared("select count(*) from rotation_signoffs where status = 'pending' and hospital_id = ?").pluck().get(hospitalId) as number;
}

export function decideSignoff(actorUserId: string, hospitalId: string, signoffId: number, approve: boolean): ServiceResult<true> {
  const s = db().select().from(rotationSignoffs).where(eq(rotationSignoffs.id, signoffId)).get();
  if (!s || s.status !== "pending") return failure({ _form: "rotation.notPending" });
  const p = placementRow(s.placementId)!;
  const dept = db().select().from(departments).where(eq(departments.id, p.departmentId)).get();
  if (dept?.organisationId !== hospitalId) throw new NotFound();
  // Nobody approves what they signed or typed in themselves (a mentor who is also a coordinator).
  if (approve && (s.enteredBy === actorUserId || s.mentorUserId === actorUserId)) return failure({ _form: "rotation.ownEntry" });
  try {
    db().transaction((tx) => {
      tx.update(rotationSignoffs)
        .set({ status: approve ? "approved" : "rejected", decidedBy: actorUserId, decidedAt: clockNow().toISOString() })
        .where(eq(rotationSignoffs.id, signoffId))
        .run();
      recordAudit(tx, {
        actorUserId,
        action: approve ? "rotation.approve" : "rotation.reject",
        entityType: "placement",
        entityId: s.placementId,
        organisationId: hospitalId,
        details: { signoffId },
      });
      if (approve) refreshCompletion(tx, p.enrolmentId, actorUserId);
    });
  } catch (e) {
    if (e instanceof Error && e.message.includes("UNIQUE constraint failed")) return failure({ _form: "rotation.dayAlreadySigned" });
    throw e;
  }
  return success(true);
}
