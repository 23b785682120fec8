import { eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { DEMO_PASSWORD, seedDemo } from "../../db/seed/demo";
import { organisations, users } from "../../db/schema";
import { hashPassword } from "../../app/auth/password.server";
import type { RequestContext } from "../../app/context";
import { loadCurrentUser } from "../../app/auth/current-user.server";
import { publishProgramVersions } from "../../app/services/program-versions.server";

let seeded: Promise<void> | undefined;

/** The demo alliance in this file's own database, seeded once per file. */
export function withDemoData(): Promise<void> {
  seeded ??= hashPassword(DEMO_PASSWORD).then((hash) => {
    publishProgramVersions();
    seedDemo(db(), hash);
  });
  return seeded;
}

export function orgId(code: string): string {
  const row = db().select({ id: organisations.id }).from(organisations).where(eq(organisations.code, code)).get();
  if (!row) throw new Error(`no organisation ${code}`);
  return row.id;
}

export function userId(username: string): string {
  const row = db().select({ id: users.id }).from(users).where(eq(users.username, username)).get();
  if (!row) throw new Error(`no user ${username}`);
  return row.id;
}

/** What the HTTP server would hand a loader for this signed-in user. */
export function contextFor(username: string): RequestContext {
  return { user: loadCurrentUser(userId(username)), sessionId: null, clientAddress: "127.0.0.1", locale: "zh-CN" };
}
