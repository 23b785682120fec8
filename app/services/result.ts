import type { MessageKey } from "../i18n/messages";

/** One message key per field of a form; `_form` holds the message for the whole form. */
export type FieldErrors = Partial<Record<string, MessageKey>>;

/** What a refusal's messages name (a day, a count, another placement), by the field each message belongs to. */
export type MessageParams = Partial<Record<string, Record<string, string | number>>>;

/** Why a service did not do what it was asked: one message per field (`_form` for the whole request). */
export type Refusal = { ok: false; errors: FieldErrors; params?: MessageParams };

/** What every service that can refuse returns: the value it made, or a refusal to show beside the fields. */
export type ServiceResult<T> = { ok: true; value: T } | Refusal;

export const success = <T>(value: T): ServiceResult<T> => ({ ok: true, value });

export const failure = (errors: FieldErrors, params?: MessageParams): Refusal =>
  params && Object.keys(params).length ? { ok: false, errors, params } : { ok: false, errors };

/** A refusal of one field, with the values its message names. */
export const refuse = (field: string, key: NonNullable<FieldErrors[string]>, params?: Record<string, string | number>): Refusal =>
  failure({ [field]: key }, params ? { [field]: params } : undefined);

/** SQLite reports a broken UNIQUE index by its columns; we map that to a field message. */
export function uniqueViolation(error: unknown): string | null {
  const message = error instanceof Error ? error.message : "";
  const match = message.match(/UNIQUE constraint failed: ([^\n]+)/);
  return match ? match[1] : null;
}
