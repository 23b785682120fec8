import { and, eq, ne } from "drizzle-orm";
import { db } from "../../db/client.server";
import { enrolments, users } from "../../db/schema";
import { actorOf, type CurrentUser } from "../auth/current-user.server";
import { activationCodesOf, issueActivationCode } from "../auth/activation.server";
import { NO_PASSWORD } from "../domain/activation";
import { shanghaiDate } from "../domain/dates";
import { canResetPassword } from "../domain/permissions";
import { maskResidentId } from "../domain/resident-id";
import type { Slip } from "../pdf/enrolment-slip.server";
import { recordAudit } from "./audit.server";
import type { Cohort } from "./cohorts.server";
import { passwordHolders } from "./users.server";

/**
 * The trainees of a cohort who have not yet signed in, and what the registrar may do for each: a
 * code is the key to an account, so only a registrar who may reset the account's credentials (every
 * enrolment at their base) sees or issues its code.
 */
export function awaitingActivation(user: CurrentUser, cohort: Cohort, now = Date.now()) {
  const rows = db()
    .select({ userId: users.id, name: users.name, mobile: users.mobile, username: users.username, idNumber: users.idNumber })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(and(eq(enrolments.cohortId, cohort.id), ne(enrolments.status, "withdrawn"), eq(users.passwordHash, NO_PASSWORD)))
    .all();
  const holders = passwordHolders(rows.map((r) => r.userId));
  const mine = rows.filter(
    (r) => holders.has(r.userId) && canResetPassword(actorOf(user), holders.get(r.userId)!) && (r.mobile || r.username),
  );
  const codes = activationCodesOf(
    mine.map((r) => r.userId),
    now,
  );
  return {
    slips: mine
      .filter((r) => codes.has(r.userId))
      .map((r): Slip & { userId: string } => ({
        userId: r.userId,
        name: r.name,
        signInWith: r.mobile ?? r.username!,
        idMasked: r.idNumber ? maskResidentId(r.idNumber) : null,
        code: codes.get(r.userId)!.code,
        validUntil: shanghaiDate(new Date(codes.get(r.userId)!.expiresAt).toISOString()),
      })),
    /** Awaiting, in this registrar's hands, but with no live code (expired, or from before codes). */
    withoutCode: mine.filter((r) => !codes.has(r.userId)).map((r) => r.userId),
    /** Awaiting, but also enrolled elsewhere: their codes are not this base's to see. */
    notOurs: rows.filter((r) => !mine.includes(r)).map((r) => r.userId),
  };
}

/** New codes for the trainees of the cohort who have none that works, in one transaction. */
export function reissueMissingCodes(user: CurrentUser, cohort: Cohort): number {
  const { withoutCode } = awaitingActivation(user, cohort);
  db().transaction((tx) => {
    for (const userId of withoutCode) {
      issueActivationCode(userId, user.id);
      recordAudit(tx, {
        actorUserId: user.id,
        action: "user.activation-code",
        entityType: "user",
        entityId: userId,
        organisationId: cohort.organisationId,
        details: { cohortId: cohort.id },
      });
    }
  });
  return withoutCode.length;
}
