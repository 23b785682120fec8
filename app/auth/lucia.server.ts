/**
 * The only module that knows sessions are kept by lucia. Everything else asks for a session by
 * cookie and gets plain values back, so the session library can be replaced here alone.
 */
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { Lucia, TimeSpan, type Cookie } from "lucia";
import { db } from "../../db/client.server";
import { sessions, users } from "../../db/schema";
import { SESSION_IDLE_HOURS, sessionTooOld } from "../domain/session-policy";

function createLucia() {
  const adapter = new DrizzleSQLiteAdapter(db(), sessions, users);
  return new Lucia(adapter, {
    // Shared phones at nursing homes: a session ends after 12 idle hours; lucia extends it
    // (sliding expiry) whenever it is used past half its life. The absolute limit is ours.
    sessionExpiresIn: new TimeSpan(SESSION_IDLE_HOURS, "h"),
    sessionCookie: {
      name: "session",
      expires: false,
      // Secure is decided per request (`withScheme`): HTTPS requests get it, plain HTTP on a LAN does not.
      attributes: { secure: false, sameSite: "lax" },
    },
    getUserAttributes: (attributes) => ({ active: Boolean(attributes.active) }),
    getSessionAttributes: (attributes) => ({ createdAt: Number(attributes.createdAt) }),
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
    DatabaseSessionAttributes: { createdAt: number };
  }
}

/** How the client reached us: Secure cookies only travel back over HTTPS. */
export interface Transport {
  secure: boolean;
}

function withScheme(cookie: Cookie, transport: Transport): string {
  cookie.attributes.secure = transport.secure;
  return cookie.serialize();
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

export async function startSession(userId: string, transport: Transport, now = Date.now()): Promise<string> {
  const session = await lucia().createSession(userId, { createdAt: now });
  return withScheme(lucia().createSessionCookie(session.id), transport);
}

export async function checkSession(cookieHeader: string | null, transport: Transport, now = Date.now()): Promise<SessionCheck> {
  const l = lucia();
  const sessionId = l.readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return { userId: null, sessionId: null, setCookies: [] };
  const { session, user } = await l.validateSession(sessionId);
  const blank = () => withScheme(l.createBlankSessionCookie(), transport);
  if (!session || !user) return { userId: null, sessionId: null, setCookies: [blank()] };
  if (!user.active) {
    await l.invalidateUserSessions(user.id);
    return { userId: null, sessionId: null, setCookies: [blank()] };
  }
  if (sessionTooOld(session.createdAt, now)) {
    await l.invalidateSession(session.id);
    return { userId: null, sessionId: null, setCookies: [blank()] };
  }
  const setCookies = session.fresh ? [withScheme(l.createSessionCookie(session.id), transport)] : [];
  return { userId: user.id, sessionId: session.id, setCookies };
}

/** Ends one session and returns the Set-Cookie header that clears it in the browser. */
export async function endSession(sessionId: string, transport: Transport): Promise<string> {
  await lucia().invalidateSession(sessionId);
  return withScheme(lucia().createBlankSessionCookie(), transport);
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
