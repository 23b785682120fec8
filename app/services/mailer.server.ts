import nodemailer, { type Transporter } from "nodemailer";
import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import { notifications, users, type NotificationKind } from "../../db/schema";
import { EMAIL_MAX_ATTEMPTS, emailRetryDelayMs } from "../domain/notifications";
import { inChinese } from "../i18n/messages";
import { notificationText } from "../i18n/notification-text";
import { publicBaseUrl } from "../domain/public-url";

/**
 * E-mail goes out through the SMTP server named by SMTP_URL (smtp://user:password@host:587, or
 * smtps:// for TLS from the start), from MAIL_FROM. Without SMTP_URL nothing is queued for e-mail
 * and the inbox is the only channel.
 */
export function mailSettings(env: NodeJS.ProcessEnv = process.env): { url: string; from: string } | null {
  const url = env.SMTP_URL?.trim();
  if (!url) return null;
  return { url, from: env.MAIL_FROM?.trim() || `${inChinese("app.name")} <no-reply@${new URL(url).hostname}>` };
}

export function mailEnabled(): boolean {
  return mailSettings() !== null;
}

let transport: { url: string; transporter: Transporter } | undefined;

function transporter(url: string): Transporter {
  if (transport?.url !== url) {
    transport?.transporter.close();
    transport = { url, transporter: nodemailer.createTransport(withTimeouts(url)) };
  }
  return transport.transporter;
}

/** Bounded waits (ms), unless the URL sets its own: a dead mail server costs a failed attempt, never a stuck job. */
function withTimeouts(url: string): string {
  const u = new URL(url);
  for (const [name, ms] of [
    ["connectionTimeout", "10000"],
    ["greetingTimeout", "10000"],
    ["socketTimeout", "20000"],
  ])
    if (!u.searchParams.has(name)) u.searchParams.set(name, ms);
  return u.toString();
}

/** How long a process holds the e-mails it took before another may take them. */
const LEASE_MS = 5 * 60_000;

export interface Delivery {
  sent: number;
  failed: number;
}

/**
 * Sends the e-mails waiting in the outbox, at most `limit`. Each is taken by one process with a
 * lease (one UPDATE, so two processes never take the same row), then marked sent or given a later
 * try; after EMAIL_MAX_ATTEMPTS it is marked failed with the error. A process that dies between
 * sending and marking leaves its lease to run out, and the message may then go a second time:
 * at-least-once, never lost.
 */
export async function deliverPendingEmails(now = Date.now(), limit = 20): Promise<Delivery> {
  const settings = mailSettings();
  const done: Delivery = { sent: 0, failed: 0 };
  if (!settings) return done;
  const taken = db()
    .update(notifications)
    .set({ emailClaimedUntil: now + LEASE_MS, emailAttempts: sql`${notifications.emailAttempts} + 1` })
    .where(
      inArray(
        notifications.id,
        db()
          .select({ id: notifications.id })
          .from(notifications)
          .where(
            and(
              eq(notifications.emailState, "pending"),
              or(isNull(notifications.emailClaimedUntil), lt(notifications.emailClaimedUntil, now)),
            ),
          )
          .orderBy(notifications.id)
          .limit(limit),
      ),
    )
    .returning({
      id: notifications.id,
      userId: notifications.userId,
      kind: notifications.kind,
      params: notifications.params,
      link: notifications.link,
      attempts: notifications.emailAttempts,
    })
    .all();
  // The addresses of the taken messages' people, in one query (at most `limit` of them).
  const addresses = new Map(
    taken.length
      ? db()
          .select({ id: users.id, email: users.email })
          .from(users)
          .where(inArray(users.id, [...new Set(taken.map((n) => n.userId))]))
          .all()
          .map((u) => [u.id, u.email])
      : [],
  );
  for (const n of taken) {
    const to = addresses.get(n.userId);
    try {
      if (!to) throw new Error("no address");
      await transporter(settings.url).sendMail({ from: settings.from, to, ...emailOf(n.kind, JSON.parse(n.params), n.link) });
      db()
        .update(notifications)
        .set({ emailState: "sent", emailedAt: new Date(now).toISOString(), emailClaimedUntil: null, emailError: null })
        .where(eq(notifications.id, n.id))
        .run();
      done.sent++;
    } catch (e) {
      const error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
      const last = n.attempts >= EMAIL_MAX_ATTEMPTS || !to;
      db()
        .update(notifications)
        .set(
          last
            ? { emailState: "failed", emailError: error, emailClaimedUntil: null }
            : { emailError: error, emailClaimedUntil: now + emailRetryDelayMs(n.attempts) },
        )
        .where(eq(notifications.id, n.id))
        .run();
      done.failed++;
    }
  }
  return done;
}

/** The message in Chinese, the language of the app's users, with the way back into the app. */
export function emailOf(kind: NotificationKind, params: Record<string, string | number>, link: string): { subject: string; text: string } {
  const { title, body } = notificationText(inChinese, kind, params);
  return {
    subject: `【${inChinese("app.shortName")}】${title}`,
    text: [body, "", `${inChinese("notify.emailOpen")}${publicBaseUrl(process.env)}${link}`, "", inChinese("notify.emailFooter")].join(
      "\n",
    ),
  };
}
