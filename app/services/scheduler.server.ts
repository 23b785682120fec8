import { shanghaiDate } from "../domain/dates";
import { runNextDueJob, scheduleJob, type JobHandler } from "./jobs.server";
import { deliverPendingEmails } from "./mailer.server";
import { sendDailyReminders } from "./reminders.server";

const handlers: Record<string, JobHandler> = {
  "daily-reminders": (day) => sendDailyReminders(day),
};

/** Reminders go out at 07:00 China time, not at midnight. */
export function remindersDueAt(day: string): number {
  return Date.parse(`${day}T07:00:00+08:00`);
}

/** At most this many jobs a tick: a backlog drains over a few ticks instead of one long one. */
const JOBS_PER_TICK = 5;

/**
 * One round of scheduled work: puts today's reminder run on the job table (every process does; the
 * table keeps one), runs whatever is due and nobody holds, then sends waiting e-mail.
 */
export async function runScheduledWork(now = Date.now()): Promise<void> {
  const day = shanghaiDate(new Date(now).toISOString());
  scheduleJob("daily-reminders", day, remindersDueAt(day));
  for (let i = 0; i < JOBS_PER_TICK; i++) if (!(await runNextDueJob(handlers, now))) break;
  await deliverPendingEmails(now);
}

let timer: NodeJS.Timeout | undefined;

/**
 * Runs scheduled work every JOB_TICK_SECONDS (60 unless set; 0 turns it off) in this process.
 * Every server process runs it; the job table and the e-mail outbox see that each piece of work is
 * done by one of them.
 */
export function startScheduler(env: NodeJS.ProcessEnv = process.env): void {
  const seconds = Number(env.JOB_TICK_SECONDS ?? 60);
  if (!(seconds > 0) || timer) return;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runScheduledWork();
    } catch (e) {
      console.error("Scheduled work failed:", e);
    } finally {
      running = false;
    }
  };
  timer = setInterval(tick, seconds * 1000);
  timer.unref();
  void tick();
}

export function stopScheduler(): void {
  clearInterval(timer);
  timer = undefined;
}
