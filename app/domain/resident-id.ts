/**
 * Resident identity numbers (居民身份证号), GB 11643-1999: 17 digits and a check character
 * computed with ISO 7064 MOD 11-2.
 */

export type ResidentIdError = "empty" | "legacy15" | "scientific" | "fullwidth" | "format" | "birthDate" | "checksum";

export type ResidentIdResult = { ok: true; value: string; birthDate: string } | { ok: false; error: ResidentIdError };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = "10X98765432";

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * `today` bounds the birth date: nobody is born in the future or before 1900.
 */
export function parseResidentId(raw: string, today: string = new Date().toISOString().slice(0, 10)): ResidentIdResult {
  const input = raw.trim();
  if (input === "") return { ok: false, error: "empty" };
  // Excel shows long digit strings in scientific notation and drops the last digits.
  if (/^\d(\.\d+)?e\+?\d+$/i.test(input)) return { ok: false, error: "scientific" };
  if (/[\uFF01-\uFF5E\u3000]/.test(input)) return { ok: false, error: "fullwidth" };
  if (/^\d{15}$/.test(input)) return { ok: false, error: "legacy15" };
  if (!/^\d{17}[\dXx]$/.test(input)) return { ok: false, error: "format" };

  const value = input.toUpperCase();
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (year < 1900 || !isRealDate(year, month, day) || birthDate > today) {
    return { ok: false, error: "birthDate" };
  }
  if (checkCharacter(value.slice(0, 17)) !== value[17]) return { ok: false, error: "checksum" };
  return { ok: true, value, birthDate };
}

/** `3301**********123X`: enough to recognise a record, not enough to reuse the number. */
export function maskResidentId(value: string): string {
  if (value.length <= 8) return "*".repeat(value.length);
  return value.slice(0, 4) + "*".repeat(value.length - 8) + value.slice(-4);
}

/** Admins and the person themselves see the whole number; everyone else sees it masked. */
export function residentIdFor(viewer: { userId: string; isAdmin: boolean }, subjectUserId: string, value: string | null): string | null {
  if (value === null) return null;
  return viewer.isAdmin || viewer.userId === subjectUserId ? value : maskResidentId(value);
}
