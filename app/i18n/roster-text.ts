import type { RosterRow } from "../domain/roster";
import type { MessageKey, Translate } from "./messages";

/** A roster row's problem in words, naming what it is about: the earlier row it repeats, the character that cannot be printed. */
export function rosterProblemText(t: Translate, row: Pick<RosterRow, "repeats" | "unprintable" | "heldBy">, e: MessageKey): string {
  return t(e, {
    row: (e === "roster.duplicateMobile" ? row.repeats?.mobile : row.repeats?.idNumber) ?? "",
    char: row.unprintable ?? "",
    name: row.heldBy?.name ?? "",
    mobile: row.heldBy?.mobile ?? "",
  });
}

/** All of a row's problems, in one cell of text. */
export function rosterProblemsText(t: Translate, row: Pick<RosterRow, "repeats" | "unprintable" | "heldBy" | "errors">): string {
  return row.errors.map((e) => rosterProblemText(t, row, e)).join("；");
}
