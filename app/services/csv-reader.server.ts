import type { CellValue, SheetOutcome, SheetVisitor } from "./xlsx-reader.server";

/**
 * Reads a roster saved as .csv the way WPS and Excel save it: UTF-8 with or without a byte-order
 * mark, or GBK (GB18030) from a Chinese Excel's "CSV (逗号分隔)"; commas, or tabs when the heading
 * row has no comma; quoted cells with doubled quotes and line breaks. Rows go to the same visitor
 * the .xlsx reader feeds, numbered from 1 as a spreadsheet shows them. The caller has bounded the
 * file's size already; a cell longer than `cellCharacters` is reported and the reading may stop.
 */
export function readCsvSheet(bytes: Uint8Array, limits: { cellCharacters: number }, visitor: SheetVisitor): SheetOutcome {
  const text = decode(bytes);
  if (text === null) return "unreadable";
  const delimiter = /^[^\n]*\t/.test(text) && !/^[^\n]*,/.test(text) ? "\t" : ",";
  let row = 1;
  let cells = new Map<number, CellValue>();
  let cell = "";
  let quoted = false;
  let i = 0;
  const endCell = (): "more" | "stop" => {
    const column = cells.size + 1;
    if (cell.length > limits.cellCharacters && visitor.longCell(row, column) === "stop") return "stop";
    cells.set(column, cell);
    cell = "";
    return "more";
  };
  const endRow = (): "more" | "stop" => {
    if (endCell() === "stop") return "stop";
    const blank = [...cells.values()].every((v) => String(v).trim() === "");
    const answer = blank ? "more" : visitor.row({ number: row, cells });
    row++;
    cells = new Map();
    return answer;
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === "") quoted = true;
    else if (c === delimiter) {
      if (endCell() === "stop") return "stopped";
    } else if (c === "\r" || c === "\n") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      if (endRow() === "stop") return "stopped";
    } else cell += c;
    i++;
  }
  if (cell !== "" || cells.size > 0) {
    if (endRow() === "stop") return "stopped";
  }
  return row === 1 ? "noSheet" : "read";
}

/** The file's text: UTF-8 when it is valid UTF-8 (with or without a byte-order mark), else GB18030, which covers GBK. */
function decode(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null; // a binary file, not text
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    try {
      return new TextDecoder("gb18030", { fatal: true }).decode(bytes);
    } catch {
      return null;
    }
  }
}
