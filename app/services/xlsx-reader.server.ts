import { MalformedXml, TooManyElements, XmlScanner, type Attributes, type ElementBudget, type XmlHandler } from "./xml-scanner.server";
import { readPart, zipParts, type InflateBudget, type ZipPart } from "./zip-reader.server";

/**
 * Reads the rows of an .xlsx workbook's first sheet one at a time, for files nobody vouches for.
 * Only the parts needed are inflated (relationships, workbook, shared strings, the sheet), against
 * one budget of bytes and one of XML elements; the rest of the file, however large it claims or
 * inflates to, is never touched.
 * A cell longer than `cellCharacters` is reported as soon as that is seen and kept only to one
 * character more, so a huge cell costs neither the memory nor the time of reading it whole.
 */

export type CellValue = string | number;

export interface SheetRow {
  /** As Excel numbers it: the heading row is usually 1. */
  number: number;
  /** By column, 1 for A. */
  cells: Map<number, CellValue>;
}

export interface SheetLimits {
  /** What the parts read may inflate to, together. */
  unpackedBytes: number;
  /** How many XML elements they may hold, together. */
  elements: number;
  cellCharacters: number;
}

/** Returning "stop" ends the reading: nothing more of the sheet is inflated. */
export interface SheetVisitor {
  row(row: SheetRow): "more" | "stop";
  /** A cell longer than the limit, told before the rest of it (or of its row) is read. */
  longCell(row: number, column: number): "more" | "stop";
}

export type SheetOutcome = "read" | "stopped" | "noSheet" | "overBudget" | "unreadable";

type Workbook = { parts: Map<string, ZipPart>; file: Uint8Array; budget: InflateBudget & ElementBudget };
type PartResult = "read" | "stopped" | "missing" | "overBudget" | "unreadable";

function scanFailure(e: unknown): PartResult {
  if (e instanceof TooManyElements) return "overBudget";
  if (e instanceof MalformedXml) return "unreadable";
  throw e;
}

/** Streams one part through `handler`, inflating no more of it once the handler has read enough. */
function scanPart(book: Workbook, name: string, handler: XmlHandler): PartResult {
  const part = book.parts.get(name.toLowerCase());
  if (!part) return "missing";
  const decoder = new TextDecoder();
  const scanner = new XmlScanner(handler, book.budget);
  let failure: PartResult | null = null;
  const feed = (text: string, last: boolean) => {
    try {
      scanner.push(text);
      if (last) scanner.end();
    } catch (e) {
      failure = scanFailure(e);
    }
  };
  const outcome = readPart(book.file, part, book.budget, (bytes) => {
    feed(decoder.decode(bytes, { stream: true }), false);
    return failure || scanner.isHalted ? "stop" : "more";
  });
  if (failure) return failure;
  if (outcome === "corrupt") return "unreadable";
  if (outcome !== "read") return outcome;
  feed(decoder.decode(), true);
  return failure ?? "read";
}

const keep = (text: string, piece: string, limit: number) => (text.length >= limit ? text : text + piece.slice(0, limit - text.length));

/** Resolves a relationship's target against the folder of the part that names it. */
function partName(folder: string, target: string): string {
  const segments = target.startsWith("/") ? [] : folder.split("/").filter(Boolean);
  for (const segment of target.split("/")) {
    if (segment === "..") segments.pop();
    else if (segment && segment !== ".") segments.push(segment);
  }
  return segments.join("/");
}

const folderOf = (name: string) => name.slice(0, name.lastIndexOf("/") + 1);

function relationships(book: Workbook, ofPart: string): { result: PartResult; byId: Map<string, { type: string; target: string }> } {
  const relsName = ofPart ? `${folderOf(ofPart)}_rels/${ofPart.slice(folderOf(ofPart).length)}.rels` : "_rels/.rels";
  const byId = new Map<string, { type: string; target: string }>();
  const result = scanPart(book, relsName, {
    open(name, a) {
      const id = name === "Relationship" ? a.get("Id") : undefined;
      const target = a.get("Target");
      if (id && target) byId.set(id, { type: a.get("Type") ?? "", target: partName(folderOf(ofPart), target) });
    },
    close() {},
    text() {},
  });
  return { result, byId };
}

const ofType = (byId: Map<string, { type: string; target: string }>, kind: string) =>
  [...byId.values()].find((r) => r.type.endsWith(`/${kind}`))?.target;

/** The relationship id of the workbook's first sheet, as Excel orders its tabs. */
function firstSheetId(book: Workbook, workbookName: string): { result: PartResult; id: string | null } {
  let id: string | null = null;
  const result = scanPart(book, workbookName, {
    open(name, a) {
      if (name !== "sheet") return;
      id = a.get("id") ?? null;
      return "stop";
    },
    close() {},
    text() {},
  });
  return { result, id };
}

function sharedStrings(book: Workbook, name: string | undefined, limits: SheetLimits): { result: PartResult; strings: string[] } {
  const strings: string[] = [];
  if (!name) return { result: "read", strings };
  let current: string | null = null;
  let inText = false;
  // Phonetic guides (rPh) hold readings, not the text itself.
  let phonetic = 0;
  const result = scanPart(book, name, {
    open(element) {
      if (element === "si") current = "";
      else if (element === "t") inText = true;
      else if (element === "rPh") phonetic++;
    },
    close(element) {
      if (element === "si") strings.push(current ?? ""), (current = null);
      else if (element === "t") inText = false;
      else if (element === "rPh") phonetic--;
    },
    text(piece) {
      if (current !== null && inText && phonetic === 0) current = keep(current, piece, limits.cellCharacters + 1);
    },
  });
  return { result: result === "missing" ? "read" : result, strings };
}

/** 1 for A, 28 for AB; null when the reference has no column letters. */
function columnOf(reference: string | undefined): number | null {
  if (!reference) return null;
  let n = 0;
  let i = 0;
  for (; i < reference.length && i < 3; i++) {
    const c = reference.charCodeAt(i) & ~0x20; // upper case
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return i > 0 ? n : null;
}

function cellValue(type: string, text: string, strings: string[]): CellValue {
  switch (type) {
    case "s":
      return strings[Number(text)] ?? "";
    case "b":
      return text.trim() === "1" ? "true" : "false";
    case "n": {
      if (text.trim() === "") return "";
      const n = Number(text);
      return Number.isFinite(n) ? n : text;
    }
    default:
      // inlineStr, str (a formula's text), e (an error such as #N/A), d (an ISO date)
      return text;
  }
}

/** Follows `<row>`, `<c>` and the value or inline text inside each, handing on whole rows. */
class SheetRows implements XmlHandler {
  private row: SheetRow | null = null;
  private lastRow = 0;
  private nextColumn = 1;
  // The cell being read; one set of fields serves every cell, as there may be a million of them.
  private inCell = false;
  private column = 0;
  private type = "n";
  private value = "";
  private told = false;
  private capturing = false;
  private inline = false;
  // Phonetic guides (rPh) hold readings, not the text itself.
  private phonetic = 0;

  constructor(
    private readonly strings: string[],
    private readonly limits: SheetLimits,
    private readonly visitor: SheetVisitor,
  ) {}

  open(name: string, a: Attributes) {
    if (name === "c") {
      if (!this.row) return;
      this.column = columnOf(a.get("r")) ?? this.nextColumn;
      this.nextColumn = this.column + 1;
      this.type = a.get("t") ?? "n";
      this.value = "";
      this.told = false;
      this.inCell = true;
    } else if (name === "v") this.capturing = this.inCell;
    else if (name === "row") {
      const number = Number(a.get("r"));
      this.row = { number: Number.isInteger(number) && number > 0 ? number : this.lastRow + 1, cells: new Map() };
      this.nextColumn = 1;
    } else if (name === "is") this.inline = true;
    else if (name === "t") this.capturing = this.inCell && this.inline && this.phonetic === 0;
    else if (name === "rPh") this.phonetic++;
  }

  close(name: string): void | "stop" {
    if (name === "c") return this.endCell();
    if (name === "v" || name === "t") this.capturing = false;
    else if (name === "row") return this.endRow();
    else if (name === "is") this.inline = false;
    else if (name === "rPh") this.phonetic--;
  }

  text(piece: string): void | "stop" {
    if (!this.capturing) return;
    this.value = keep(this.value, piece, this.limits.cellCharacters + 1);
    if (this.value.length > this.limits.cellCharacters && this.type !== "s") return this.tell();
  }

  private tell(): void | "stop" {
    if (this.told || !this.row) return;
    this.told = true;
    if (this.visitor.longCell(this.row.number, this.column) === "stop") return "stop";
  }

  private endCell(): void | "stop" {
    if (!this.inCell || !this.row) return;
    this.inCell = false;
    // Empty cells are left out: formatting alone makes many of them.
    if (this.value === "") return;
    const value = cellValue(this.type, this.value, this.strings);
    this.row.cells.set(this.column, value);
    if (typeof value === "string" && value.length > this.limits.cellCharacters) return this.tell();
  }

  private endRow(): void | "stop" {
    const row = this.row;
    if (!row) return;
    this.row = null;
    this.lastRow = row.number;
    if (this.visitor.row(row) === "stop") return "stop";
  }
}

/** Reads the first sheet's rows in order, handing each to `visitor`, within `limits`. */
export function readFirstSheet(data: Uint8Array, limits: SheetLimits, visitor: SheetVisitor): SheetOutcome {
  const parts = zipParts(data);
  if (!parts) return "unreadable";
  const book: Workbook = { parts, file: data, budget: { bytesLeft: limits.unpackedBytes, elementsLeft: limits.elements } };
  const failed = (result: PartResult) => (result === "overBudget" || result === "unreadable" ? result : null);

  const root = relationships(book, "");
  const workbookName = ofType(root.byId, "officeDocument") ?? "xl/workbook.xml";
  const workbookRels = relationships(book, workbookName);
  const first = firstSheetId(book, workbookName);
  const problem = failed(root.result) ?? failed(workbookRels.result) ?? failed(first.result);
  if (problem) return problem;
  if (first.result === "missing") return "unreadable";
  const sheetName = first.id ? workbookRels.byId.get(first.id)?.target : undefined;
  if (!sheetName || !parts.has(sheetName.toLowerCase())) return "noSheet";

  const shared = sharedStrings(book, ofType(workbookRels.byId, "sharedStrings"), limits);
  if (failed(shared.result)) return shared.result as SheetOutcome;
  const sheet = scanPart(book, sheetName, new SheetRows(shared.strings, limits, visitor));
  return sheet === "missing" ? "noSheet" : sheet;
}
