import type { FieldErrors } from "../validation/form";

export type ServiceResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export const success = <T>(value: T): ServiceResult<T> => ({ ok: true, value });
export const failure = (errors: FieldErrors): ServiceResult<never> => ({ ok: false, errors });

/** SQLite reports a broken UNIQUE index by its columns; we map that to a field message. */
export function uniqueViolation(error: unknown): string | null {
  const message = error instanceof Error ? error.message : "";
  const match = message.match(/UNIQUE constraint failed: ([^\n]+)/);
  return match ? match[1] : null;
}
