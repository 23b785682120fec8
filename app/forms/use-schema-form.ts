import { useForm, type DefaultValue } from "@conform-to/react";
import type * as z from "zod";
import { useT } from "../i18n/use-t";
import { isMessageKey, withStoredValues } from "../i18n/messages";
import { decodeMessage } from "./messages";
import { parseSubmission, type FormReply } from "./submission";

/**
 * A form checked by its schema in the browser (when a field is left, then as it is corrected) and
 * again on the server, which may add what only it knows. Without scripts the form still posts and
 * the server's messages show beside the fields.
 *
 * `checkWhen: "submitted"` leaves fields unchecked until the form is sent (then as they are
 * corrected): for a grid of many cells, where a message appearing as a cell is left would move the
 * button under the pointer that is pressing it.
 *
 * `checkWhen: "server"` leaves checking to the server alone, and its message stands until the form
 * is sent again: for a form whose message the browser cannot judge (an exam paper's "N questions
 * unanswered, hand in anyway?"). A check in the browser as a box is left would drop that message,
 * and the paper would jump from under the finger ticking the next box.
 */
export function useSchemaForm<S extends z.ZodType<unknown, Record<string, unknown>>>(
  schema: S,
  options: {
    id?: string;
    lastResult?: FormReply | null;
    defaultValue?: DefaultValue<z.input<S>>;
    checkWhen?: "left" | "submitted" | "server";
  } = {},
) {
  const checkWhen = options.checkWhen ?? "left";
  return useForm<z.input<S>, z.output<S>, string[]>({
    id: options.id,
    lastResult: options.lastResult,
    defaultValue: options.defaultValue,
    shouldValidate: checkWhen === "left" ? "onBlur" : "onSubmit",
    // Left to the server, nothing is checked before the form is sent: without a check of its own,
    // the form library would otherwise post every change to the server to be checked there.
    shouldRevalidate: checkWhen === "server" ? "onSubmit" : "onInput",
    onValidate: checkWhen === "server" ? undefined : ({ formData }) => parseSubmission(formData, schema),
  });
}

/** The reply for one of a page's forms, when an action answers several (told apart by `intent`). */
export function replyFor(data: { intent?: string; reply?: FormReply } | undefined, intent: string): FormReply | undefined {
  return data?.intent === intent ? data.reply : undefined;
}

/** Turns a form message (a message key, perhaps with the values it names) into the reader's language. */
export function useFormMessage(): (message: string | undefined) => string | undefined {
  const t = withStoredValues(useT());
  return (message) => {
    if (!message) return undefined;
    const { key, params } = decodeMessage(message);
    return isMessageKey(key) ? t(key, params) : message;
  };
}
