/**
 * An employer holding a certificate checks that it belongs to the person in front of them: they type
 * the holder's full name and the last four characters of the ID number and learn only whether both
 * agree with the record. Nothing on the record is ever shown back.
 */

/** Middle dots written in names of several nationalities (阿依古丽·买买提), in their usual variants. */
const MIDDLE_DOTS = /[\u00B7\u2022\u2027\u2219\u30FB\uFF65\u318D]/g;
const LATIN_OR_DIGIT = /[A-Za-z0-9]/;

/**
 * A name as compared: full-width forms folded to their ordinary ones (NFKC, which also turns the
 * ideographic space U+3000 into a plain space), middle dots unified, Latin letters in lower case.
 * Spaces are dropped except a single one between two Latin letters or digits ("Li Na" stays two words).
 */
export function normaliseHolderName(name: string): string {
  const folded = name.normalize("NFKC").replace(MIDDLE_DOTS, "·").toLowerCase();
  const parts = folded.split(/\s+/).filter(Boolean);
  let out = "";
  for (const part of parts) {
    if (out && LATIN_OR_DIGIT.test(out.at(-1)!) && LATIN_OR_DIGIT.test(part[0])) out += " ";
    out += part;
  }
  return out;
}

/** The last four characters of an ID number as typed: full-width digits folded, spaces dropped, x as X. */
export function normaliseIdTail(typed: string): string {
  return typed.normalize("NFKC").replace(/\s+/g, "").toUpperCase();
}

/** Whether typed text can be the end of a resident ID number: four characters, digits or a final X. */
export function isIdTail(tail: string): boolean {
  return /^\d{3}[\dX]$/.test(tail);
}

export type HolderCheckInput = { name: string; idTail: string };
export type HolderCheckErrors = Partial<
  Record<"name" | "idTail", "holderCheck.nameRequired" | "holderCheck.idTailRequired" | "holderCheck.idTailFormat">
>;

/**
 * What is wrong with the typed values before anything is compared; a malformed entry is not a
 * guess and is not counted. The ID tail is asked for only when the certificate has an ID number.
 */
export function holderCheckErrors(input: HolderCheckInput, hasIdNumber: boolean): HolderCheckErrors {
  const errors: HolderCheckErrors = {};
  if (!normaliseHolderName(input.name)) errors.name = "holderCheck.nameRequired";
  if (hasIdNumber) {
    const tail = normaliseIdTail(input.idTail);
    if (!tail) errors.idTail = "holderCheck.idTailRequired";
    else if (!isIdTail(tail)) errors.idTail = "holderCheck.idTailFormat";
  }
  return errors;
}

/**
 * Whether the typed name (and, when the record has an ID number, its last four characters) agree
 * with the record. A record without an ID number is matched by the name alone.
 */
export function holderMatches(record: { holderName: string; holderIdNumber: string | null }, input: HolderCheckInput): boolean {
  const nameAgrees = normaliseHolderName(record.holderName) === normaliseHolderName(input.name);
  if (!record.holderIdNumber) return nameAgrees;
  const tailAgrees = normaliseIdTail(record.holderIdNumber).slice(-4) === normaliseIdTail(input.idTail);
  return nameAgrees && tailAgrees;
}
