import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { db } from "../../db/client.server";
import { jobs, notifications, placements, users } from "../../db/schema";
import { addDays } from "../../app/domain/dates";
import { remindersDueAt } from "../../app/services/scheduler.server";
import { withDemoData } from "./fixtures";

const received: string[] = [];
let server: SMTPServer;
let smtpUrl = "";

beforeAll(async () => {
  await withDemoData();
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, done) {
      stream.resume();
      stream.on("end", () => {
        received.push(session.envelope.rcptTo.map((r) => r.address).join(","));
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  smtpUrl = `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function serverProcess(startAt: number, now: number) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "test/support/scheduled-work.ts", process.env.DATABASE_PATH!, smtpUrl, String(startAt), String(now), "3"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let err = "";
    child.stderr.on("data", (c) => (err += c));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(err))));
  });
}

describe("scheduled work in two server processes on one database file", () => {
  it("runs the day's reminders once and sends each e-mail once", async () => {
    // Every trainee and mentor gives an address, so each reminder also goes by e-mail.
    for (const u of db().select({ id: users.id }).from(users).all())
      db()
        .update(users)
        .set({ email: `${u.id}@example.com` })
        .where(eq(users.id, u.id))
        .run();
    const starts = db()
      .select({ startDate: placements.startDate })
      .from(placements)
      .all()
      .map((p) => p.startDate)
      .sort();
    const day = addDays(starts[0], -1);
    const startAt = Date.now() + 3000;
    await Promise.all([serverProcess(startAt, remindersDueAt(day)), serverProcess(startAt, remindersDueAt(day))]);

    expect(db().select().from(jobs).where(eq(jobs.runKey, day)).all()).toMatchObject([
      { name: "daily-reminders", attempts: 1, doneAt: expect.any(String), lastError: null },
    ]);
    const told = db().select().from(notifications).where(eq(notifications.kind, "placement_tomorrow")).all();
    expect(told.length).toBeGreaterThanOrEqual(2);
    expect(new Set(told.map((n) => `${n.userId} ${n.dedupeKey}`)).size).toBe(told.length);
    expect(told.every((n) => n.emailState === "sent" && n.emailAttempts === 1)).toBe(true);
    expect(received).toHaveLength(told.length);
    expect(new Set(received).size).toBe(new Set(told.map((n) => n.userId)).size);
  }, 60_000);
});
