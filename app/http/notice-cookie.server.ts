import { timingSafeEqual } from "node:crypto";
import { redirect } from "@remix-run/node";
import { keyedHash } from "../auth/secrets.server";
import { isMessageKey, type MessageKey } from "../i18n/messages";

/**
 * A one-time confirmation carried across a redirect in a signed cookie, never in the address: a
 * link cannot make the app show words of someone else's choosing ("审核退回：账户异常，请致电…").
 * The server reads it on the next request, hands it to the page once and clears it.
 */
const NAME = "notice";
const PURPOSE = "notice-cookie";
/** Long enough for a redirect to be followed on a slow phone; a confirmation is never shown later. */
const MAX_AGE_SECONDS = 60;

export type Notice = { key: MessageKey; params: Record<string, string | number> };

export function noticeCookie(notice: Notice, secure: boolean): string {
  const value = Buffer.from(JSON.stringify(notice)).toString("base64url");
  return `${NAME}=${value}.${keyedHash(PURPOSE, value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${MAX_AGE_SECONDS}${secure ? "; Secure" : ""}`;
}

export const clearedNoticeCookie = `${NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;

function noticeCookieValue(cookieHeader: string | null): string | undefined {
  return cookieHeader
    ?.split(/;\s*/)
    .find((c) => c.startsWith(`${NAME}=`))
    ?.slice(NAME.length + 1);
}

/** Whether the request carries a notice cookie at all (a valid one or not): either way it is cleared. */
export function carriesNotice(cookieHeader: string | null): boolean {
  return noticeCookieValue(cookieHeader) !== undefined;
}

/** The notice a request carries, if its signature holds and it names a message; otherwise none. */
export function readNotice(cookieHeader: string | null): Notice | null {
  const raw = noticeCookieValue(cookieHeader);
  if (!raw || raw.length > 2000) return null;
  const [value, signature] = raw.split(".");
  if (!value || !signature) return null;
  const expected = Buffer.from(keyedHash(PURPOSE, value));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const notice = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Notice;
    if (!isMessageKey(notice.key) || typeof notice.params !== "object" || notice.params === null) return null;
    return notice;
  } catch {
    return null;
  }
}

/** A redirect that shows `key` (with `params`) once on the page it leads to. */
export function redirectWithNotice(context: { secure: boolean }, to: string, key: MessageKey, params: Notice["params"] = {}): Response {
  return redirect(to, { headers: { "Set-Cookie": noticeCookie({ key, params }, context.secure) } });
}
