/**
 * The only module that knows sessions are kept by lucia. Everything else asks for a session by
 * cookie and gets plain values back, so the session library can be replaced here alone.
 */
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { Lucia, TimeSpan } from "lucia";
import { db } from "../../db/client.server";
import { sessions, users } from "../../db/schema";

function createLucia() {
  const adapter = new DrizzleSQLiteAdapter(db(), sessions, users);
  return new Lucia(adapter, {
    // Shared phones at nursing homes: a session ends after 12 idle hours; lucia extends it
    // (sliding expiry) whenever it is used past half its life.
    sessionExpiresIn: new TimeSpan(12, "h"),
    sessionCookie: {
      name: "session",
      expires: false,
      attributes: { secure: process.env.NODE_ENV === "production", sameSite: "lax" },
    },
    getUserAttributes: (attributes) => ({ active: Boolean(attributes.active) }),
  });
}

let instance: ReturnType<typeof createLucia> | undefined;
function lucia() {
  instance ??= createLucia();
  return instance;
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: { active: boolean | number };
  }
}

export interface SessionCheck {
  userId: string | null;
  sessionId: string | null;
  /** Set-Cookie headers to send back: a refreshed cookie (sliding expiry) or a blank one. */
  setCookies: string[];
}

export function sessionCookieName(): string {
  return lucia().sessionCookieName;
}

export async function startSession(userId: string): Promise<string> {
  const session = await lucia().createSession(userId, {});
  return lucia().createSessionCookie(session.id).serialize();
}

export async function checkSession(cookieHeader: string | null): Promise<SessionCheck> {
  const l = lucia();
  const sessionId = l.readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return { userId: null, sessionId: null, setCookies: [] };
  const { session, user } = await l.validateSession(sessionId);
  if (!session || !user) {
    return { userId: null, sessionId: null, setCookies: [l.createBlankSessionCookie().serialize()] };
  }
  if (!user.active) {
    await l.invalidateUserSessions(user.id);
    return { userId: null, sessionId: null, setCookies: [l.createBlankSessionCookie().serialize()] };
  }
  const setCookies = session.fresh ? [l.createSessionCookie(session.id).serialize()] : [];
  return { userId: user.id, sessionId: session.id, setCookies };
}

/** Ends one session and returns the Set-Cookie header that clears it in the browser. */
export async function endSession(sessionId: string): Promise<string> {
  await lucia().invalidateSession(sessionId);
  return lucia().createBlankSessionCookie().serialize();
}

export async function endAllSessionsOf(userId: string): Promise<void> {
  await lucia().invalidateUserSessions(userId);
}

export async function endOtherSessionsOf(userId: string, keepSessionId: string): Promise<void> {
  const all = await lucia().getUserSessions(userId);
  for (const s of all) if (s.id !== keepSessionId) await lucia().invalidateSession(s.id);
}

export async function deleteExpiredSessions(): Promise<void> {
  await lucia().deleteExpiredSessions();
}
