import { constants, crc32, deflateRawSync } from "node:zlib";
import { strToU8 } from "fflate";
import ExcelJS from "exceljs";

/** Builds a roster workbook the way a registrar's Excel would save it. */
export async function rosterXlsx(rows: (string | number)[][], headings = ["姓名", "手机号", "身份证号", "工作单位"]): Promise<ArrayBuffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("名单");
  sheet.addRow(headings);
  for (const r of rows) sheet.addRow(r);
  const buffer = await workbook.xlsx.writeBuffer();
  return buffer instanceof ArrayBuffer ? buffer : new Uint8Array(buffer as ArrayLike<number>).buffer;
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/** `length` copies of the character `run`, written without ever holding them all. */
export type Run = { run: string; length: number };

/** Part contents given a piece at a time, so a test can write a part far larger than it holds in memory. */
type Pieces = Iterable<string | Run>;

type PackedPart = { name: string; segments: Uint8Array[]; size: number; crc: number };

const RUN_BLOCK = 1024 * 1024;
const runBlocks = new Map<string, { plain: Uint8Array; packed: Uint8Array }>();

function concat(chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((at, c) => (out.set(c, at), at + c.length), 0);
  return out;
}

/** Deflates `plain` as a stream of its own, ended on a byte boundary (a sync flush) so that another may follow it. */
function deflateSegment(plain: Uint8Array, last = false): Uint8Array {
  return deflateRawSync(plain, { level: 9, finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH });
}

function runBlock(run: string) {
  let block = runBlocks.get(run);
  if (!block) {
    const plain = strToU8(run.repeat(RUN_BLOCK));
    runBlocks.set(run, (block = { plain, packed: deflateSegment(plain) }));
  }
  return block;
}

/**
 * Deflates a part as a series of independent segments: text as it comes, and a run as one
 * compressed megabyte repeated, so that writing a 400 MB cell costs about what a megabyte does.
 */
function packPart(name: string, pieces: Pieces): PackedPart {
  const part: PackedPart = { name, segments: [], size: 0, crc: 0 };
  const add = (plain: Uint8Array, packed: Uint8Array) => {
    part.segments.push(packed);
    part.size += plain.length;
    part.crc = crc32(plain, part.crc);
  };
  let text = "";
  const packText = () => {
    const plain = strToU8(text);
    if (plain.length) add(plain, deflateSegment(plain));
    text = "";
  };
  for (const piece of pieces) {
    if (typeof piece === "string") {
      text += piece;
      if (text.length >= 256 * 1024) packText();
      continue;
    }
    packText();
    const block = runBlock(piece.run);
    for (let i = 0; i < Math.floor(piece.length / RUN_BLOCK); i++) add(block.plain, block.packed);
    const rest = strToU8(piece.run.repeat(piece.length % RUN_BLOCK));
    if (rest.length) add(rest, deflateSegment(rest));
  }
  packText();
  part.segments.push(deflateSegment(new Uint8Array(0), true));
  return part;
}

/** The fields a local header and a central directory entry share, from `at` on. */
function describePart(view: DataView, at: number, part: PackedPart, packedSize: number, nameLength: number) {
  view.setUint16(at, 20, true); // version needed
  view.setUint16(at + 2, 0x0800, true); // UTF-8 names
  view.setUint16(at + 4, 8, true); // deflated
  view.setUint16(at + 8, 0x21, true); // 1980-01-01
  view.setUint32(at + 10, part.crc, true);
  view.setUint32(at + 14, packedSize, true);
  view.setUint32(at + 18, part.size, true);
  view.setUint16(at + 22, nameLength, true);
}

/** A zip of deflated parts, each with its true sizes and CRC in its local header and the central directory. */
export function zipParts(parts: Record<string, Pieces>): Uint8Array<ArrayBuffer> {
  const out: Uint8Array[] = [];
  const directory: Uint8Array[] = [];
  let offset = 0;
  for (const [name, pieces] of Object.entries(parts)) {
    const part = packPart(name, pieces);
    const packedSize = part.segments.reduce((n, c) => n + c.length, 0);
    const fileName = strToU8(name);
    const local = new DataView(new ArrayBuffer(30));
    const central = new DataView(new ArrayBuffer(46));
    local.setUint32(0, 0x04034b50, true);
    describePart(local, 4, part, packedSize, fileName.length);
    central.setUint32(0, 0x02014b50, true);
    describePart(central, 6, part, packedSize, fileName.length);
    central.setUint16(4, 20, true); // made by
    central.setUint32(42, offset, true);
    out.push(new Uint8Array(local.buffer), fileName, ...part.segments);
    directory.push(new Uint8Array(central.buffer), fileName);
    offset += 30 + fileName.length + packedSize;
  }
  const directorySize = directory.reduce((n, c) => n + c.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, Object.keys(parts).length, true);
  end.setUint16(10, Object.keys(parts).length, true);
  end.setUint32(12, directorySize, true);
  end.setUint32(16, offset, true);
  return concat([...out, ...directory, new Uint8Array(end.buffer)]);
}

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A cell: text written inline, a number, or `{ shared: i }` for the i-th shared string. */
export type HandCell = string | number | { shared: number } | { pieces: Pieces };

// Cells are written without references, as they may be: each is in the column after the one before.
function cellXml(cell: Exclude<HandCell, { pieces: Pieces }>): string {
  if (typeof cell === "number") return `<c><v>${cell}</v></c>`;
  if (typeof cell === "string") return `<c t="inlineStr"><is><t>${escapeXml(cell)}</t></is></c>`;
  return `<c t="s"><v>${cell.shared}</v></c>`;
}

/** Sheet XML for rows given one at a time; row 1 is the first given. */
export function* sheetXml(rows: Iterable<HandCell[]>): Generator<string | Run> {
  yield `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>`;
  let n = 0;
  for (const row of rows) {
    let xml = `<row r="${++n}">`;
    for (const cell of row) {
      if (typeof cell !== "object" || !("pieces" in cell)) xml += cellXml(cell);
      else {
        yield `${xml}<c t="inlineStr"><is><t>`;
        yield* cell.pieces;
        xml = "</t></is></c>";
      }
    }
    yield `${xml}</row>`;
  }
  yield "</sheetData></worksheet>";
}

/** A shared-strings part holding `strings`, each given a piece at a time. */
export function* sharedStringsXml(strings: Pieces[]): Generator<string | Run> {
  yield `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}" count="${strings.length}" uniqueCount="${strings.length}">`;
  for (const pieces of strings) {
    yield "<si><t>";
    yield* pieces;
    yield "</t></si>";
  }
  yield "</sst>";
}

/** The parts of a one-sheet workbook, for a test to change or add to before zipping. */
export function workbookParts(sheet: Pieces, sharedStrings?: Pieces): Record<string, Pieces> {
  return {
    "[Content_Types].xml": [CONTENT_TYPES],
    "_rels/.rels": [ROOT_RELS],
    "xl/workbook.xml": [WORKBOOK],
    "xl/_rels/workbook.xml.rels": [WORKBOOK_RELS],
    ...(sharedStrings ? { "xl/sharedStrings.xml": sharedStrings } : {}),
    "xl/worksheets/sheet1.xml": sheet,
  };
}

/**
 * A workbook written by hand rather than by a spreadsheet program, so that it can be anything an
 * attacker might send: hundreds of thousands of rows, a cell of 400 MB that zips to 400 KB.
 */
export function handMadeXlsx(sheet: Pieces, sharedStrings?: Pieces): Uint8Array<ArrayBuffer> {
  return zipParts(workbookParts(sheet, sharedStrings));
}

/** `length` copies of the character `c`. */
export const repeated = (c: string, length: number): Pieces => [{ run: c, length }];

export const ROSTER_HEADINGS: HandCell[] = ["姓名", "手机号", "身份证号", "工作单位"];

/** A heading row and `n` rows of one small number each: about as small as a row can be and still count. */
export function* manyRows(n: number): Generator<HandCell[]> {
  yield ROSTER_HEADINGS;
  for (let i = 0; i < n; i++) yield [i % 1000];
}

/** Claims, in the central directory, that every part inflates to one byte: a reader must not believe it. */
export function understateSizes(zip: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const end = out.length - 22;
  let at = view.getUint32(end + 16, true);
  for (let i = view.getUint16(end + 10, true); i > 0; i--) {
    view.setUint32(at + 24, 1, true);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return out;
}
