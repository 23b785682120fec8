import { and, eq, gt } from "drizzle-orm";
import { db } from "../../db/client.server";
import { loginFailures } from "../../db/schema";

/**
 * When the attempts counted under a throttle key were made, since a moment (ms): sign-in failures
 * and certificate holder checks share this log, so every server process sees the same counts.
 */
export function attemptTimes(key: string, since: number): number[] {
  return db()
    .select({ at: loginFailures.at })
    .from(loginFailures)
    .where(and(eq(loginFailures.key, key), gt(loginFailures.at, since)))
    .all()
    .map((r) => r.at);
}
