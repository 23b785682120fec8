import type { z } from "zod";
import { isMessageKey } from "../i18n/messages";
import type { FieldErrors } from "../services/result";

export type { FieldErrors };
export { isoDate, optionalText, requiredText } from "./fields";

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, string> };

export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [k, v] of formData.entries()) if (typeof v === "string") values[k] = v;
  return values;
}

/**
 * Parses a submitted form; on failure returns one message key per field and what was typed.
 * Fields named in `arrays` (checkbox groups) are read as lists.
 */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData, arrays: string[] = []): Parsed<z.output<S>> {
  const values = formValues(formData);
  const input: Record<string, unknown> = { ...values };
  for (const name of arrays) input[name] = formData.getAll(name).map(String);
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "_form");
    if (errors[field]) continue;
    errors[field] = isMessageKey(issue.message) ? issue.message : "error.required";
  }
  return { ok: false, errors, values };
}
