import { useActionData, useSearchParams } from "@remix-run/react";
import { isMessageKey } from "../i18n/messages";
import { useT } from "../i18n/use-t";

/** A one-time confirmation after a redirect, named by `?notice=<message key>`. */
export function Notice() {
  const t = useT();
  const [params] = useSearchParams();
  // A form on the page answered since that redirect (a save that was refused): the confirmation in
  // the address no longer describes what just happened.
  const answered = useActionData();
  const key = params.get("notice");
  if (answered !== undefined || !key || !isMessageKey(key)) return null;
  // Other query parameters fill the message's placeholders, e.g. ?notice=cohort.enrolled&n=12.
  return (
    <p className="flash" role="status">
      {t(key, Object.fromEntries(params))}
    </p>
  );
}
