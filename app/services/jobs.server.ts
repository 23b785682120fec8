import { randomUUID } from "node:crypto";
import { now as clockNow } from "./clock.server";
import { and, eq, isNull, lt, lte, or, sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import { jobs } from "../../db/schema";

/** This process, as it signs the jobs it takes. */
const processTag = `${process.pid}-${randomUUID().slice(0, 8)}`;

/** Longest a job may run before another process takes it for a dead one. */
const LEASE_MS = 15 * 60_000;
/** A job that fails this often is left with its error for an operator, not tried forever. */
const MAX_ATTEMPTS = 5;

/** Puts a run of a job on the table, once: the same name and run key a second time is nothing. */
export function scheduleJob(name: string, runKey: string, runAt: number): void {
  db().insert(jobs).values({ name, runKey, runAt }).onConflictDoNothing().run();
}

export type JobHandler = (runKey: string) => Promise<unknown> | unknown;

/**
 * Takes the next due job nobody holds (one UPDATE, so of two processes asking at once one gets it),
 * runs it and marks it done with what it returned, or records the error and lets the lease lapse so
 * it is tried again later. Returns the job's name and key, or null when nothing was due.
 */
export async function runNextDueJob(
  handlers: Record<string, JobHandler>,
  now = Date.now(),
): Promise<{ name: string; runKey: string; ok: boolean } | null> {
  const due = db()
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        isNull(jobs.doneAt),
        lte(jobs.runAt, now),
        lt(jobs.attempts, MAX_ATTEMPTS),
        or(isNull(jobs.claimedUntil), lt(jobs.claimedUntil, now)),
      ),
    )
    .orderBy(jobs.runAt)
    .limit(1);
  const job = db()
    .update(jobs)
    .set({ claimedBy: processTag, claimedUntil: now + LEASE_MS, attempts: sql`${jobs.attempts} + 1` })
    .where(and(eq(jobs.id, sql`(${due})`), or(isNull(jobs.claimedUntil), lt(jobs.claimedUntil, now))))
    .returning()
    .get();
  if (!job) return null;
  const handler = handlers[job.name];
  try {
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    const result = await handler(job.runKey);
    db()
      .update(jobs)
      .set({
        doneAt: clockNow().toISOString(),
        claimedUntil: null,
        lastError: null,
        result: result === undefined ? null : JSON.stringify(result).slice(0, 2000),
      })
      .where(eq(jobs.id, job.id))
      .run();
    return { name: job.name, runKey: job.runKey, ok: true };
  } catch (e) {
    const error = (e instanceof Error ? (e.stack ?? e.message) : String(e)).slice(0, 2000);
    // Tried again after a minute, not at once: a job failing on bad data should not spin.
    db()
      .update(jobs)
      .set({ lastError: error, claimedUntil: now + 60_000 })
      .where(eq(jobs.id, job.id))
      .run();
    console.error(`Job ${job.name} ${job.runKey} failed (attempt ${job.attempts}): ${error}`);
    return { name: job.name, runKey: job.runKey, ok: false };
  }
}

export function jobRuns(name: string) {
  return db().select().from(jobs).where(eq(jobs.name, name)).orderBy(jobs.runKey).all();
}
