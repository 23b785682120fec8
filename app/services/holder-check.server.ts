import { and, eq, lt } from "drizzle-orm";
import { db } from "../../db/client.server";
import { loginFailures } from "../../db/schema";
import { shanghaiDateTime } from "../domain/dates";
import { holderCheckErrors, holderMatches, type HolderCheckErrors, type HolderCheckInput } from "../domain/holder-match";
import { HOLDER_CHECK_POLICY, historyMs, hoursUntil, minutesUntil, throttleState } from "../domain/throttle";
import { attemptTimes } from "./attempt-log.server";
import { recordAudit } from "./audit.server";
import type { Certificate } from "./certificates.server";

export type HolderCheckResult =
  | { outcome: "invalid"; errors: HolderCheckErrors }
  | { outcome: "match" | "noMatch"; byNameOnly: boolean }
  /** `when`: the China date and minute from which checks are taken again. */
  | { outcome: "locked"; minutes: number; hours: number; when: string };

/**
 * The attempts counter of one certificate. Attempts live in the table sign-in throttling uses, under
 * a key of their own, so every server process sharing the database sees the same count.
 */
export function holderCheckKey(certificateId: string): string {
  return `holder-check:${certificateId}`;
}

/**
 * Compares what an employer typed with the certificate's holder and says only whether it matches.
 * Every well-formed attempt counts, matching or not (a match answers a guess as surely as a
 * mismatch does); it is counted before it is compared, in one transaction with the lock check, so
 * attempts sent at once cannot slip past the limit. Each attempt is audit-logged without what was typed.
 */
export function checkHolder(c: Certificate, input: HolderCheckInput, meta: { clientAddress: string; now?: number }): HolderCheckResult {
  const now = meta.now ?? Date.now();
  const byNameOnly = !c.holderIdNumber;
  const errors = holderCheckErrors(input, !byNameOnly);
  if (Object.keys(errors).length) return { outcome: "invalid", errors };

  const key = holderCheckKey(c.id);
  const since = now - historyMs(HOLDER_CHECK_POLICY);
  const result = db().transaction((tx): HolderCheckResult => {
    const state = throttleState(attemptTimes(key, since), now, HOLDER_CHECK_POLICY);
    if (state.locked) {
      return {
        outcome: "locked",
        minutes: minutesUntil(state.retryAt, now),
        hours: hoursUntil(state.retryAt, now),
        when: shanghaiDateTime(new Date(state.retryAt).toISOString()),
      };
    }
    tx.insert(loginFailures).values({ key, at: now }).run();
    // Attempts too old to lock anything are cleared as new ones arrive.
    tx.delete(loginFailures)
      .where(and(eq(loginFailures.key, key), lt(loginFailures.at, since)))
      .run();
    return { outcome: holderMatches(c, input) ? "match" : "noMatch", byNameOnly };
  });
  recordAudit(db(), {
    actorUserId: null,
    action: "certificate.holder-check",
    entityType: "certificate",
    entityId: c.id,
    organisationId: c.organisationId,
    details: { serial: c.serial, result: result.outcome, byNameOnly, address: meta.clientAddress },
  });
  return result;
}
