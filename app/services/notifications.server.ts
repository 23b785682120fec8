import { and, count, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { db, type Transaction } from "../../db/client.server";
import {
  notificationEmailChoices,
  notifications,
  roleAssignments,
  users,
  NOTIFICATION_KINDS,
  type NotificationKind,
  type Role,
} from "../../db/schema";
import { isEmailAddress, kindsForRoles } from "../domain/notifications";
import type { Page } from "../domain/paging";
import { mailEnabled } from "./mailer.server";
import { refuse, success, type ServiceResult } from "./result";

type Database = Transaction | ReturnType<typeof db>;

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  params: Record<string, string | number>;
  /** A path in the app where the person acts on it. */
  link: string;
  /** Unique per person: the same key twice is one notification. */
  dedupeKey: string;
}

/**
 * Writes notifications in the caller's transaction, each once per person (a repeated key is
 * skipped), with an e-mail copy queued when sending is set up, the person gave an address and
 * has not turned e-mail off for that kind. Inactive accounts are not told. Returns how many were new.
 */
export function notify(tx: Database, items: NewNotification[]): number {
  const email = mailEnabled() ? 1 : 0;
  let written = 0;
  for (const n of items) {
    const result = tx.run(sql`
      insert into notifications (user_id, kind, params, link, dedupe_key, email_state)
      select u.id, ${n.kind}, ${JSON.stringify(n.params)}, ${n.link}, ${n.dedupeKey},
        case when ${email} = 1 and u.email is not null
          and coalesce((select c.email from notification_email_choices c where c.user_id = u.id and c.kind = ${n.kind}), 1) = 1
        then 'pending' else 'none' end
      from users u where u.id = ${n.userId} and u.active = 1
      on conflict (user_id, dedupe_key) do nothing`);
    written += result.changes;
  }
  return written;
}

/** The active people holding a role at an organisation: those a base or hospital is told through. */
export function staffOf(tx: Database, organisationId: string, role: Role): string[] {
  return tx
    .select({ id: users.id })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.organisationId, organisationId), eq(roleAssignments.role, role), eq(users.active, true)))
    .all()
    .map((r) => r.id);
}

export type InboxItem = Pick<typeof notifications.$inferSelect, "id" | "kind" | "link" | "createdAt" | "readAt"> & {
  params: Record<string, string | number>;
};

/** One page of the person's notifications, newest first, and one more when a next page exists (no count of them all). */
export function inboxPage(userId: string, page: Page): InboxItem[] {
  return db()
    .select({
      id: notifications.id,
      kind: notifications.kind,
      params: notifications.params,
      link: notifications.link,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.id))
    .limit(page.size + 1)
    .offset(page.offset)
    .all()
    .map((r) => ({ ...r, params: JSON.parse(r.params) as Record<string, string | number> }));
}

/** For the header on every page: read by the partial index of unread rows only. */
export function unreadCount(userId: string): number {
  return db()
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .get()!.n;
}

/** Marks one of the person's own notifications read and gives where it leads; null when it is not theirs. */
export function openNotification(userId: string, id: number): string | null {
  const row = db()
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, strftime('%Y-%m-%dT%H:%M:%fZ','now'))` })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .returning({ link: notifications.link })
    .get();
  return row?.link ?? null;
}

/** Marks read everything up to the newest the person saw, not what arrived after the page was drawn. */
export function markAllRead(userId: string, upToId: number): number {
  return db()
    .update(notifications)
    .set({ readAt: sql`strftime('%Y-%m-%dT%H:%M:%fZ','now')` })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), lt(notifications.id, upToId + 1)))
    .run().changes;
}

export interface NotificationSettings {
  email: string | null;
  kinds: { kind: NotificationKind; email: boolean }[];
}

/** The kinds the person's roles can bring, each with whether it comes by e-mail. */
export function notificationSettings(userId: string, roles: Role[]): NotificationSettings {
  const user = db().select({ email: users.email }).from(users).where(eq(users.id, userId)).get();
  const off = new Set(
    db()
      .select({ kind: notificationEmailChoices.kind })
      .from(notificationEmailChoices)
      .where(and(eq(notificationEmailChoices.userId, userId), eq(notificationEmailChoices.email, false)))
      .all()
      .map((r) => r.kind),
  );
  return { email: user?.email ?? null, kinds: kindsForRoles(roles).map((kind) => ({ kind, email: !off.has(kind) })) };
}

/** Saves the address (blank removes it) and, for each kind offered, whether it comes by e-mail. */
export function saveNotificationSettings(
  userId: string,
  roles: Role[],
  input: { email: string; emailKinds: string[] },
): ServiceResult<null> {
  const email = input.email.normalize("NFKC").trim();
  if (email && !isEmailAddress(email)) return refuse("email", "notify.emailInvalid");
  const wanted = new Set(input.emailKinds.filter((k): k is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(k)));
  db().transaction((tx) => {
    tx.update(users)
      .set({ email: email || null })
      .where(eq(users.id, userId))
      .run();
    for (const kind of kindsForRoles(roles)) {
      tx.insert(notificationEmailChoices)
        .values({ userId, kind, email: wanted.has(kind) })
        .onConflictDoUpdate({ target: [notificationEmailChoices.userId, notificationEmailChoices.kind], set: { email: wanted.has(kind) } })
        .run();
    }
  });
  return success(null);
}
