import { isMessageKey } from "../i18n/messages";
import { useT } from "../i18n/use-t";
import type { FormState } from "./Field";

/** The message that belongs to the whole form rather than one field (key `_form`). */
export function FormError({ state, params }: { state?: FormState; params?: Record<string, string> }) {
  const t = useT();
  const key = state?.errors?._form;
  if (!key) return null;
  return (
    <p className="form-error" role="alert">
      {isMessageKey(key) ? t(key, params) : key}
    </p>
  );
}
