import { useActionData, useRouteLoaderData } from "@remix-run/react";
import type { Notice as NoticeData } from "../http/notice-cookie.server";
import { useT } from "../i18n/use-t";

/** A one-time confirmation after a redirect, left by the server in a signed cookie (never read from the address). */
export function Notice() {
  const t = useT();
  const notice = useRouteLoaderData<{ notice: NoticeData | null }>("root")?.notice;
  // A form on the page answered since that redirect (a save that was refused): the confirmation no
  // longer describes what just happened.
  const answered = useActionData();
  if (answered !== undefined || !notice) return null;
  return (
    <p className="flash" role="status">
      {t(notice.key, notice.params)}
    </p>
  );
}
