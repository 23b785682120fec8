import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { db } from "../../db/client.server";
import { certificates, claims, jobs, notifications, placements, rotationSignoffs, users } from "../../db/schema";
import { addDays } from "../../app/domain/dates";
import { seedDemoActivity } from "../../app/demo/demo-activity.server";
import { deliverPendingEmails } from "../../app/services/mailer.server";
import { runNextDueJob, scheduleJob } from "../../app/services/jobs.server";
import {
  inboxPage,
  markAllRead,
  notificationSettings,
  openNotification,
  saveNotificationSettings,
  unreadCount,
} from "../../app/services/notifications.server";
import { sendDailyReminders } from "../../app/services/reminders.server";
import { runScheduledWork } from "../../app/services/scheduler.server";
import { pageFrom } from "../../app/domain/paging";
import { orgId, passAssessment, userId, withDemoData } from "./fixtures";

const of = (username: string, kind?: string) => ofUser(userId(username), kind);
const ofUser = (id: string, kind?: string) =>
  db()
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, id), kind ? sql`${notifications.kind} = ${kind}` : undefined))
    .all();
/** A trainee of the demo who holds a certificate. */
const holder = () => db().select().from(certificates).orderBy(certificates.issuedAt).get()!.userId;

/** An SMTP server in this process that keeps what it is sent. */
async function mailbox(options: { refuse?: boolean } = {}) {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, done) {
      if (options.refuse) {
        stream.resume();
        stream.on("end", () => done(Object.assign(new Error("mailbox full"), { responseCode: 452 })));
        return;
      }
      simpleParser(stream).then((m) => {
        received.push(m);
        done();
      }, done);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

beforeAll(async () => {
  await withDemoData();
  await seedDemoActivity();
}, 60_000);

describe("notifications written with the events they tell of", () => {
  it("tell a holder of each certificate issued to them, once", () => {
    const issued = db().select().from(certificates).where(eq(certificates.userId, holder())).all();
    expect(issued.length).toBeGreaterThan(0);
    const told = ofUser(holder(), "certificate_issued");
    expect(told.map((n) => n.dedupeKey).sort()).toEqual(issued.map((c) => `certificate_issued:${c.id}`).sort());
    expect(JSON.parse(told[0].params)).toMatchObject({ serial: expect.stringMatching(/\S/), title: expect.stringMatching(/\S/) });
  });

  it("tell the base's finance staff when a claim is approved and when it is paid", () => {
    const paid = db().select().from(claims).where(eq(claims.status, "paid")).get()!;
    const news = of("finance.fy").filter((n) => n.link === `/subsidy/claims/${paid.id}`);
    expect(news.map((n) => n.kind).sort()).toEqual(["claim_approved", "claim_paid"]);
    expect(JSON.parse(news.find((n) => n.kind === "claim_paid")!.params)).toMatchObject({
      reference: paid.paymentReference,
      paidOn: paid.paidOn,
    });
    // Nobody at another base hears of it.
    expect(of("finance").filter((n) => n.link === `/subsidy/claims/${paid.id}`)).toEqual([]);
  });

  it("tell a base's registrars the result of its assessment", () => {
    const before = of("registrar.fy", "assessment_result").length;
    passAssessment("BASE-FY");
    const after = of("registrar.fy", "assessment_result");
    expect(after.length).toBe(before + 1);
    expect(JSON.parse(after.at(-1)!.params)).toMatchObject({ passed: 1, period: expect.stringMatching(/^\d{4}H[12]$/) });
    expect(after.at(-1)!.link).toBe(`/bases/${orgId("BASE-FY")}`);
  });
});

describe("the daily reminders", () => {
  it("remind holder and registrars at 90, 30 and 7 days before expiry, each once", async () => {
    const c = db().select().from(certificates).where(eq(certificates.userId, holder())).get()!;
    const expiry = "2027-06-30";
    db().update(certificates).set({ expiryDate: expiry }).where(eq(certificates.id, c.id)).run();
    const registrars = db()
      .all<{ id: string }>(
        sql`select user_id as id from role_assignments where organisation_id = ${c.organisationId} and role = 'registrar'`,
      )
      .map((r) => r.id);
    expect(registrars.length).toBeGreaterThan(0);
    const about = () =>
      db()
        .select()
        .from(notifications)
        .where(sql`${notifications.dedupeKey} like ${`certificate_expiring:${c.id}:%`}`)
        .all();

    await sendDailyReminders(addDays(expiry, -91));
    expect(about()).toEqual([]);
    await sendDailyReminders(addDays(expiry, -90));
    expect(
      about()
        .map((n) => n.userId)
        .sort(),
    ).toEqual([c.userId, ...registrars].sort());
    expect(JSON.parse(about()[0].params)).toMatchObject({ days: 90, expiry, serial: c.serial });
    // The next days, and a second run of the same day, tell nobody again.
    await sendDailyReminders(addDays(expiry, -90));
    await sendDailyReminders(addDays(expiry, -60));
    expect(about()).toHaveLength(1 + registrars.length);
    // Missed days lose nothing: a run 20 days out sends the 30-day reminder, not the 90 again.
    await sendDailyReminders(addDays(expiry, -20));
    expect(
      about()
        .map((n) => n.dedupeKey.split(":")[2])
        .sort(),
    ).toEqual([...Array(1 + registrars.length).fill("30"), ...Array(1 + registrars.length).fill("90")].sort());
    await sendDailyReminders(addDays(expiry, -7));
    await sendDailyReminders(addDays(expiry, 1));
    expect(about()).toHaveLength(3 * (1 + registrars.length));
  });

  it("tell trainee and mentor of a placement starting tomorrow", async () => {
    const p = db().select().from(placements).get()!;
    await sendDailyReminders(addDays(p.startDate, -1));
    const told = db()
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `placement_tomorrow:${p.id}`))
      .all();
    expect(told.map((n) => n.userId)).toEqual(expect.arrayContaining([p.mentorUserId]));
    expect(told).toHaveLength(2);
    expect(JSON.parse(told[0].params)).toMatchObject({ start: p.startDate, end: p.endDate });
  });

  it("bring a late sign-off waiting more than three days to its mentor and the coordinators", async () => {
    const s = db().select().from(rotationSignoffs).get()!;
    db()
      .update(rotationSignoffs)
      .set({ status: "pending", createdAt: "2026-11-02T03:00:00.000Z", lateReason: "纸质记录补录" })
      .where(eq(rotationSignoffs.id, s.id))
      .run();
    const about = () =>
      db()
        .select()
        .from(notifications)
        .where(eq(notifications.dedupeKey, `signoff_waiting:${s.id}`))
        .all();
    // Entered on 11-02 (China time): on 11-05 it has waited three days, on 11-06 more than three.
    await sendDailyReminders("2026-11-05");
    expect(about()).toEqual([]);
    await sendDailyReminders("2026-11-06");
    expect(about().map((n) => n.userId)).toEqual(expect.arrayContaining([s.mentorUserId, userId("coordinator")]));
    expect(about().find((n) => n.userId === userId("coordinator"))!.link).toMatch(/\/approvals$/);
    expect(JSON.parse(about()[0].params)).toMatchObject({ days: 4, entered: "2026-11-02" });
  });
});

describe("the inbox", () => {
  it("counts unread, opens only one's own, and marks read only what was shown", () => {
    const person = holder();
    const mine = inboxPage(person, pageFrom("1"));
    expect(mine.length).toBeGreaterThan(1);
    const unread = unreadCount(person);
    expect(unread).toBe(mine.filter((n) => !n.readAt).length);
    expect(openNotification(userId("finance.fy"), mine[0].id)).toBeNull();
    expect(openNotification(person, mine[0].id)).toBe(mine[0].link);
    expect(unreadCount(person)).toBe(unread - 1);
    // Something arriving after the page was drawn stays unread.
    const newest = mine[0].id;
    db()
      .insert(notifications)
      .values({ userId: person, kind: "certificate_issued", params: "{}", link: "/learn", dedupeKey: "later" })
      .run();
    markAllRead(person, newest);
    expect(unreadCount(person)).toBe(1);
  });

  it("keeps an e-mail address and a choice per kind, and refuses a malformed address", () => {
    const trainee = userId("trainee");
    expect(saveNotificationSettings(trainee, ["trainee"], { email: "zhang@", emailKinds: [] })).toEqual({
      ok: false,
      errors: { email: "notify.emailInvalid" },
    });
    expect(
      saveNotificationSettings(trainee, ["trainee"], {
        email: " ｚｈａｎｇ@example.com ",
        emailKinds: ["certificate_issued", "claim_paid"],
      }),
    ).toEqual({ ok: true, value: null });
    expect(notificationSettings(trainee, ["trainee"])).toEqual({
      email: "zhang@example.com",
      kinds: [
        { kind: "certificate_issued", email: true },
        { kind: "certificate_expiring", email: false },
        { kind: "placement_tomorrow", email: false },
      ],
    });
  });
});

describe("e-mail through SMTP", () => {
  let box: Awaited<ReturnType<typeof mailbox>>;
  beforeAll(async () => {
    box = await mailbox();
    process.env.SMTP_URL = box.url;
    process.env.MAIL_FROM = "医养培训 <noreply@care.example.cn>";
    process.env.PUBLIC_URL = "https://care.example.cn";
  });
  afterAll(async () => {
    delete process.env.SMTP_URL;
    await box.close();
  });

  it("sends each chosen notification once, in Chinese, with the way back into the app", async () => {
    db()
      .update(users)
      .set({ email: "mentor@example.com" })
      .where(eq(users.id, userId("mentor")))
      .run();
    const p = db()
      .select()
      .from(placements)
      .where(eq(placements.mentorUserId, userId("mentor")))
      .all()
      .at(-1)!;
    await sendDailyReminders(addDays(p.startDate, -1));
    const queued = db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, userId("mentor")), eq(notifications.emailState, "pending")))
      .all();
    expect(queued.length).toBeGreaterThan(0);

    const first = await deliverPendingEmails();
    expect(first).toEqual({ sent: queued.length, failed: 0 });
    expect(await deliverPendingEmails()).toEqual({ sent: 0, failed: 0 });
    const mail = box.received.find((m) => m.to && JSON.stringify(m.to).includes("mentor@example.com"))!;
    expect(mail.subject).toMatch(/^【医养培训】明天开始轮转：/);
    expect(mail.from?.text).toContain("noreply@care.example.cn");
    expect(mail.text).toContain(`https://care.example.cn/hospital/`);
    expect(mail.text).toContain(p.startDate);
    expect(db().select().from(notifications).where(eq(notifications.id, queued[0].id)).get()).toMatchObject({
      emailState: "sent",
      emailAttempts: 1,
    });
  });

  it("queues nothing for a kind the person turned off, or for a person without an address", async () => {
    const trainee = holder();
    saveNotificationSettings(trainee, ["trainee"], { email: "trainee@example.com", emailKinds: ["certificate_issued"] });
    const c = db().select().from(certificates).where(eq(certificates.userId, trainee)).get()!;
    db().update(certificates).set({ expiryDate: "2027-03-31" }).where(eq(certificates.id, c.id)).run();
    await sendDailyReminders("2027-03-30");
    const reminder = db()
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `certificate_expiring:${c.id}:7`))
      .all();
    expect(reminder.find((n) => n.userId === trainee)?.emailState).toBe("none");
    // The registrars gave no address.
    expect(reminder.filter((n) => n.userId !== trainee).every((n) => n.emailState === "none")).toBe(true);
  });

  it("tries a refused message again later, then gives up with the reason", async () => {
    const refusing = await mailbox({ refuse: true });
    process.env.SMTP_URL = refusing.url;
    try {
      const id = db()
        .insert(notifications)
        .values({
          userId: userId("mentor"),
          kind: "signoff_waiting",
          params: "{}",
          link: "/home",
          dedupeKey: "retry-test",
          emailState: "pending",
        })
        .returning({ id: notifications.id })
        .get().id;
      let now = Date.now();
      expect(await deliverPendingEmails(now)).toEqual({ sent: 0, failed: 1 });
      // Not again at once: the next try waits.
      expect(await deliverPendingEmails(now + 1000)).toEqual({ sent: 0, failed: 0 });
      for (let i = 0; i < 4; i++) {
        now += 2 * 60 * 60_000;
        await deliverPendingEmails(now);
      }
      expect(db().select().from(notifications).where(eq(notifications.id, id)).get()).toMatchObject({
        emailState: "failed",
        emailAttempts: 5,
        emailError: expect.stringContaining("mailbox full"),
      });
    } finally {
      process.env.SMTP_URL = box.url;
      await refusing.close();
    }
  });
});

describe("the job table", () => {
  it("keeps one run per name and key, runs it once, and tries a failed run again after a pause", async () => {
    scheduleJob("test-job", "k1", 0);
    scheduleJob("test-job", "k1", 0);
    let calls = 0;
    let fail = true;
    const handlers = {
      "test-job": () => {
        calls++;
        if (fail) throw new Error("not yet");
        return { done: true };
      },
    };
    const now = Date.now();
    expect(await runNextDueJob(handlers, now)).toMatchObject({ ok: false });
    expect(await runNextDueJob(handlers, now + 1000)).toBeNull();
    fail = false;
    expect(await runNextDueJob(handlers, now + 61_000)).toMatchObject({ name: "test-job", runKey: "k1", ok: true });
    expect(await runNextDueJob(handlers, now + 120_000)).toBeNull();
    expect(calls).toBe(2);
    expect(db().select().from(jobs).where(eq(jobs.name, "test-job")).all()).toMatchObject([
      { attempts: 2, result: '{"done":true}', lastError: null },
    ]);
  });

  it("schedules the day's reminders for 07:00 China time and runs them once", async () => {
    const at = Date.parse("2026-12-10T07:00:00+08:00");
    await runScheduledWork(at - 60_000);
    expect(db().select().from(jobs).where(eq(jobs.runKey, "2026-12-10")).get()).toMatchObject({ doneAt: null, attempts: 0 });
    await runScheduledWork(at);
    await runScheduledWork(at + 60_000);
    expect(db().select().from(jobs).where(eq(jobs.runKey, "2026-12-10")).get()).toMatchObject({ attempts: 1, doneAt: expect.any(String) });
  });
});
