/**
 * Certificate serial numbers: the issue year, eight random Crockford base-32 characters (40 bits,
 * so neighbours say nothing about each other) and a Luhn mod 32 check character, written
 * 2026-7K3M-9Q2T-X. Every character comes from the same 32-letter alphabet, so a serial is safe
 * in a file name, a URL and a QR code as it is. The check catches every single mistyped character
 * and every swap of two neighbours except 0 with Z.
 */

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const BASE = ALPHABET.length;

function checkSymbol(body: string): string {
  let sum = 0;
  let factor = 2;
  for (let i = body.length - 1; i >= 0; i--) {
    const addend = factor * ALPHABET.indexOf(body[i]);
    sum += Math.floor(addend / BASE) + (addend % BASE);
    factor = factor === 2 ? 1 : 2;
  }
  return ALPHABET[(BASE - (sum % BASE)) % BASE];
}

/** `bytes` must hold at least five random bytes (crypto.randomBytes(5)). */
export function makeSerial(year: number, bytes: Uint8Array): string {
  let n = 0n;
  for (let i = 0; i < 5; i++) n = (n << 8n) | BigInt(bytes[i]);
  let random = "";
  for (let i = 0; i < 8; i++) {
    random = ALPHABET[Number(n & 31n)] + random;
    n >>= 5n;
  }
  return `${year}-${random.slice(0, 4)}-${random.slice(4)}-${checkSymbol(`${year}${random}`)}`;
}

export type SerialCheck = { ok: true; serial: string } | { ok: false; error: "format" | "checksum" };

/** Reads a serial as typed: any case, spaces or hyphens anywhere, O for 0 and I or L for 1. */
export function parseSerial(input: string): SerialCheck {
  const compact = input
    .toUpperCase()
    .replace(/[\s\-–—]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  const match = compact.match(/^(\d{4})([0-9A-HJKMNP-TV-Z]{8})([0-9A-HJKMNP-TV-Z])$/);
  if (!match) return { ok: false, error: "format" };
  const [, yearText, random, check] = match;
  if (checkSymbol(yearText + random) !== check) return { ok: false, error: "checksum" };
  return { ok: true, serial: `${yearText}-${random.slice(0, 4)}-${random.slice(4)}-${check}` };
}
