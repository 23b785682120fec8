/**
 * One-time activation codes: how a trainee enrolled from a roster signs in the first time. Eight
 * characters from an alphabet without look-alikes (0/O, 1/I/L) — about 39 bits, printed as
 * "ABCD-EFGH" on the enrolment slip — valid for 30 days or until the person sets a password.
 */
export const ACTIVATION_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const ACTIVATION_LENGTH = 8;
export const ACTIVATION_DAYS = 30;

/** A password hash no password matches: the account waits for its activation code. */
export const NO_PASSWORD = "!";

/**
 * A code from random bytes, unbiased: bytes at or above the largest multiple of the alphabet's size
 * are skipped. Returns null when the bytes run out first (the caller draws more).
 */
export function activationCodeFrom(bytes: Uint8Array): string | null {
  const limit = 256 - (256 % ACTIVATION_ALPHABET.length);
  let code = "";
  for (const b of bytes) {
    if (b >= limit) continue;
    code += ACTIVATION_ALPHABET[b % ACTIVATION_ALPHABET.length];
    if (code.length === ACTIVATION_LENGTH) return code;
  }
  return null;
}

/** What was typed, as a code: case, spaces and hyphens do not matter; anything else makes it no code. */
export function normaliseActivationCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== ACTIVATION_LENGTH) return null;
  for (const c of code) if (!ACTIVATION_ALPHABET.includes(c)) return null;
  return code;
}

export function formatActivationCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export function activationExpiry(issuedAt: number): number {
  return issuedAt + ACTIVATION_DAYS * 24 * 60 * 60 * 1000;
}
