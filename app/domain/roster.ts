import type { MessageKey } from "../i18n/messages";
import { maskMobile, normaliseMobile } from "./mobile";
import { parseResidentId } from "./resident-id";

/**
 * How much of a roster is read at all, so that no upload can hold the server for long or fill its
 * memory. A cohort holds at most 500, so 2,000 rows is room for any real roster, and no name,
 * mobile number, ID number or employer needs 100 characters.
 */
export const ROSTER_LIMITS = {
  fileBytes: 2 * 1024 * 1024,
  /** What the parts of the workbook that are read may inflate to, together. */
  unpackedBytes: 10 * 1024 * 1024,
  /**
   * How many XML elements those parts may hold, together: a real roster of 2,000 rows and 30
   * columns has about 250,000, while 10 MB of `<c/>` would have 2.5 million, each costing time.
   */
  xmlElements: 500_000,
  rows: 2000,
  /** For each cell of the columns read. */
  cellCharacters: 100,
} as const;

/** One row as read from a roster (or typed in the enrol-one form). */
export interface RosterInput {
  row: number;
  name: string;
  mobile: string;
  /** A number when Excel stored the ID as a number. */
  idNumber: string | number;
  employer: string;
  /** Enrol the account on record for this ID number as it stands, though the row's name or mobile differ. */
  linkExisting?: boolean;
}

export interface RosterRow {
  row: number;
  name: string;
  mobile: string;
  idNumber: string;
  employer: string;
  /** Set when a person with this ID number already has an account. */
  existingUserId: string | null;
  errors: MessageKey[];
  /** The earlier row this one repeats, by mobile or by ID number, when it does. */
  repeats?: { mobile?: number; idNumber?: number };
  /** Characters of the name the certificate cannot print (rare characters, CJK extension B and beyond). */
  unprintable?: string;
  /**
   * The person on record the row collides with, named only when the base already has them (as a
   * trainee or staff member); `canLink` when it is their ID number, so the row may enrol them.
   */
  heldBy?: { name: string; mobile: string; canLink: boolean };
}

export interface RosterContext {
  /** People already known, by ID number. */
  peopleById: Map<string, { userId: string; name: string; mobile: string | null }>;
  /** Who holds each mobile number already. */
  mobileOwners: Map<string, string>;
  /** People the base already has, as trainees or staff: a collision with one of them may name them. */
  withinReach?: Map<string, { name: string; mobile: string | null }>;
  /** People already enrolled in this cohort. */
  enrolledUserIds: Set<string>;
  placesLeft: number;
  today: string;
  /** The characters of a name the certificate font cannot draw; a certificate with them would be refused. */
  unprintable?: (name: string) => string[];
}

/**
 * A cell's text with full-width digits, letters and spaces (as Chinese input methods type them:
 * １３９…, Ｘ) read as their half-width forms, rather than refused.
 */
function cellText(value: string | number): string {
  return typeof value === "number" ? String(value) : value.normalize("NFKC").trim();
}

/**
 * What to look people up by: the ID numbers and mobile numbers of the rows, normalised exactly as
 * `checkRoster` reads them, so a mobile written `+86 138-0000-0001` finds its owner.
 */
export function rosterLookupKeys(inputs: RosterInput[], today: string): { idNumbers: string[]; mobiles: string[] } {
  const idNumbers = new Set<string>();
  const mobiles = new Set<string>();
  for (const input of inputs) {
    if (typeof input.idNumber === "string") {
      const parsed = parseResidentId(input.idNumber, today);
      if (parsed.ok) idNumbers.add(parsed.value);
    }
    const mobile = normaliseMobile(cellText(input.mobile));
    if (mobile) mobiles.add(mobile);
  }
  return { idNumbers: [...idNumbers], mobiles: [...mobiles] };
}

/**
 * Checks every row of a roster against the rules and the people already known. Rows are only
 * ever accepted all together, so each bad row carries every reason it is bad.
 */
export function checkRoster(inputs: RosterInput[], ctx: RosterContext): RosterRow[] {
  const seenIds = new Map<string, number>();
  const seenMobiles = new Map<string, number>();
  let placesLeft = ctx.placesLeft;

  return inputs.map((input) => {
    const errors: MessageKey[] = [];
    const name = input.name.replace(/\u3000/g, " ").trim();
    if (!name) errors.push("roster.nameMissing");

    let idNumber = cellText(input.idNumber);
    if (typeof input.idNumber === "number") {
      errors.push("id.scientific");
    } else {
      const parsed = parseResidentId(idNumber, ctx.today);
      if (parsed.ok) idNumber = parsed.value;
      else errors.push(`id.${parsed.error}`);
    }

    const rawMobile = cellText(input.mobile);
    const mobile = normaliseMobile(rawMobile);
    if (!mobile) errors.push("error.mobile");

    // An existing account is linked when the row names it exactly: ID number, name and mobile. Any
    // other overlap with someone outside the base gets one message that says neither which field
    // differs nor what is on record, so a roster is no way to look up who holds an ID number or a
    // mobile. Someone the base already has is named, and may be enrolled as on record.
    const known = ctx.peopleById.get(idNumber) ?? null;
    const owner = mobile ? ctx.mobileOwners.get(mobile) : undefined;
    const conflict = known ? (name && known.name !== name) || (!!mobile && known.mobile !== mobile) : !!owner;
    const collidesWith = known?.userId ?? owner;
    const ours = collidesWith ? ctx.withinReach?.get(collidesWith) : undefined;
    const linked = !!(conflict && known && ours && input.linkExisting);
    let heldBy: RosterRow["heldBy"];
    if (conflict && !linked) {
      errors.push(ours ? "roster.heldByKnown" : "roster.identityConflict");
      if (ours) heldBy = { name: ours.name, mobile: maskMobile(ours.mobile), canLink: !!known };
    }
    const repeats: NonNullable<RosterRow["repeats"]> = {};
    if (mobile) {
      if (seenMobiles.has(mobile)) {
        errors.push("roster.duplicateMobile");
        repeats.mobile = seenMobiles.get(mobile);
      } else seenMobiles.set(mobile, input.row);
    }
    if (seenIds.has(idNumber)) {
      errors.push("roster.duplicateInFile");
      repeats.idNumber = seenIds.get(idNumber);
    } else seenIds.set(idNumber, input.row);
    if (known && ctx.enrolledUserIds.has(known.userId)) errors.push("roster.alreadyEnrolled");
    // Found now, not after weeks of training when the certificate cannot be printed.
    const unprintable = name ? (ctx.unprintable?.(name) ?? []).join("") : "";
    if (unprintable) errors.push("roster.unprintableName");

    if (errors.length === 0) {
      if (placesLeft > 0) placesLeft--;
      else errors.push("roster.overCapacity");
    }
    return {
      row: input.row,
      // Enrolled as on record: the account's name and mobile, not the row's.
      name: linked ? known!.name : name,
      mobile: linked ? (known!.mobile ?? "") : (mobile ?? rawMobile),
      idNumber,
      employer: input.employer.trim(),
      existingUserId: known?.userId ?? null,
      errors,
      ...(repeats.mobile || repeats.idNumber ? { repeats } : {}),
      ...(unprintable ? { unprintable } : {}),
      ...(heldBy ? { heldBy } : {}),
    };
  });
}
