/** The media type named in a status list's header, so it is never mistaken for another signed document. */
export const STATUS_LIST_TYPE = "certificate-status+jwt";

/** What the published status list says: every certificate withdrawn, and when the list was made. */
export interface StatusList {
  /** The deployment that issued the certificates (its public address). */
  iss: string;
  /** When the list was made (seconds since 1970). */
  iat: number;
  withdrawn: { serial: string; status: "revoked" | "superseded"; on: string | null; reason: string | null }[];
}

/** A serial as printed or typed, for comparing (no dashes, upper case). */
export function compactSerial(serial: string): string {
  return serial.replace(/[\s-]/g, "").toUpperCase();
}

/** What the list says of one certificate: withdrawn (how and when), or in force when it was made. */
export function statusInList(list: StatusList, serial: string): StatusList["withdrawn"][number] | { serial: string; status: "inForce" } {
  const wanted = compactSerial(serial);
  return list.withdrawn.find((w) => compactSerial(w.serial) === wanted) ?? { serial, status: "inForce" };
}
