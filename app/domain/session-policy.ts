/**
 * Whether the session cookie is marked Secure, and whether signing in can work at all. A Secure
 * cookie sent over plain HTTP is dropped by the browser, and the person is bounced back to the
 * sign-in page with no word: so a cookie is Secure exactly when the request came over HTTPS, and a
 * production server reached over plain HTTP refuses to sign anyone in, saying why, unless the
 * operator allowed HTTP on purpose (a closed LAN).
 */
export function cookiePolicy(input: { production: boolean; https: boolean; allowHttp: boolean }): {
  secure: boolean;
  signInPossible: boolean;
} {
  if (input.https) return { secure: true, signInPossible: true };
  return { secure: false, signInPossible: !input.production || input.allowHttp };
}

/** Whether plain-HTTP sign-in is allowed on this server: the setting is read where the server starts (the bundle fixes NODE_ENV at build time). */
export function httpSignInAllowed(env: { NODE_ENV?: string; ALLOW_HTTP?: string }): boolean {
  return cookiePolicy({ production: env.NODE_ENV === "production", https: false, allowHttp: env.ALLOW_HTTP === "1" }).signInPossible;
}

/** A session ends after 12 idle hours (sliding), and in any case 7 days after sign-in. */
export const SESSION_IDLE_HOURS = 12;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;

export function sessionTooOld(createdAt: number, now: number): boolean {
  return now - createdAt > SESSION_ABSOLUTE_MS;
}
