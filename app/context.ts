import type { CurrentUser } from "./auth/current-user.server";
import type { Locale } from "./i18n/messages";
import type { Notice } from "./http/notice-cookie.server";

/** What the HTTP server hands every loader and action. */
export type RequestContext = {
  user: CurrentUser | null;
  sessionId: string | null;
  clientAddress: string;
  /** Whether the client reached us over HTTPS (through a trusted proxy, as it says). */
  secure: boolean;
  /** Whether this server lets people sign in over plain HTTP (not in production, unless ALLOW_HTTP=1). */
  httpSignIn: boolean;
  /** This response's Content-Security-Policy nonce, for the scripts the page renders. */
  cspNonce: string;
  locale: Locale;
  /** A confirmation the previous response left for this page (signed; shown once). */
  notice?: Notice | null;
};

declare module "@remix-run/node" {
  interface AppLoadContext extends RequestContext {}
}
