import { Inflate } from "fflate";

/**
 * Reads single parts of a zip file (an .xlsx is one) without ever trusting the sizes it claims:
 * a part is inflated a little at a time against a byte budget shared by every part read, so a
 * small file that claims little and inflates to gigabytes costs no more than the budget.
 */

export interface ZipPart {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  localHeaderOffset: number;
}

/** What every part read from one file may inflate to, together. */
export interface InflateBudget {
  bytesLeft: number;
}

export type PartOutcome = "read" | "stopped" | "overBudget" | "corrupt";

/** Returning "stop" ends the reading of a part early, e.g. once enough rows are seen. */
export type PartReader = (bytes: Uint8Array) => "more" | "stop";

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;
const ENCRYPTED = 0x1;
// Deflate expands at most about 1,032 times, so a step of 8 KB inflates to 8 MB at most. Each step
// has a fixed cost in fflate, so steps are as large as that allows while the data inflates like
// ordinary XML, and shrink to 1 KB (a megabyte out) when it inflates like a bomb.
const LARGEST_STEP = 8 * 1024;
const SMALLEST_STEP = 1024;
const OUTPUT_PER_STEP = 256 * 1024;
const STORED_STEP = 64 * 1024;

const u16 = (data: Uint8Array, at: number) => data[at] | (data[at + 1] << 8);
const u32 = (data: Uint8Array, at: number) => (data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24)) >>> 0;

function endOfDirectory(data: Uint8Array): number {
  // The record is 22 bytes, followed by a comment of at most 65,535.
  const lowest = Math.max(0, data.length - 22 - 0xffff);
  for (let at = data.length - 22; at >= lowest; at--) if (u32(data, at) === END_OF_DIRECTORY) return at;
  return -1;
}

/** The parts named in the central directory, by lower-cased name (part names ignore case); null when it is not a zip. */
export function zipParts(data: Uint8Array): Map<string, ZipPart> | null {
  const end = endOfDirectory(data);
  if (end < 0) return null;
  const count = u16(data, end + 10);
  const directoryOffset = u32(data, end + 16);
  const parts = new Map<string, ZipPart>();
  const decoder = new TextDecoder();
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > data.length || u32(data, at) !== DIRECTORY_ENTRY) return null;
    const nameLength = u16(data, at + 28);
    const next = at + 46 + nameLength + u16(data, at + 30) + u16(data, at + 32);
    if (next > data.length) return null;
    const name = decoder.decode(data.subarray(at + 46, at + 46 + nameLength));
    parts.set(name.toLowerCase(), {
      name,
      flags: u16(data, at + 8),
      method: u16(data, at + 10),
      compressedSize: u32(data, at + 20),
      localHeaderOffset: u32(data, at + 42),
    });
    at = next;
  }
  return parts;
}

function nextStep(step: number, inflatedBy: number): number {
  const ratio = Math.max(1, inflatedBy / step);
  return Math.max(SMALLEST_STEP, Math.min(LARGEST_STEP, Math.floor(OUTPUT_PER_STEP / ratio)));
}

function compressedBytes(data: Uint8Array, part: ZipPart): Uint8Array | null {
  const at = part.localHeaderOffset;
  if (at + 30 > data.length || u32(data, at) !== LOCAL_HEADER) return null;
  const start = at + 30 + u16(data, at + 26) + u16(data, at + 28);
  const end = start + part.compressedSize;
  return end <= data.length ? data.subarray(start, end) : null;
}

/**
 * Inflates one part, handing each piece to `reader` as it comes, until the part ends, the reader
 * stops, or the budget is spent (the piece that overspends it is never handed on).
 */
export function readPart(data: Uint8Array, part: ZipPart, budget: InflateBudget, reader: PartReader): PartOutcome {
  const compressed = compressedBytes(data, part);
  if (!compressed || part.flags & ENCRYPTED) return "corrupt";
  let outcome: PartOutcome | null = null;
  // The reader's own errors are not the zip's: they are passed on, not taken for corrupt data.
  let readerError: unknown = null;
  const hand = (bytes: Uint8Array) => {
    if (outcome || bytes.length === 0) return;
    budget.bytesLeft -= bytes.length;
    if (budget.bytesLeft < 0) return void (outcome = "overBudget");
    try {
      if (reader(bytes) === "stop") outcome = "stopped";
    } catch (e) {
      readerError = e;
      outcome = "stopped";
    }
  };
  try {
    if (part.method === STORED) {
      for (let at = 0; at < compressed.length && !outcome; at += STORED_STEP) hand(compressed.subarray(at, at + STORED_STEP));
    } else if (part.method === DEFLATED) {
      let inflated = 0;
      const inflate = new Inflate((bytes) => ((inflated += bytes.length), hand(bytes)));
      let step = SMALLEST_STEP;
      for (let at = 0; at < compressed.length && !outcome; ) {
        const before = inflated;
        const piece = compressed.subarray(at, at + step);
        inflate.push(piece);
        at += piece.length;
        step = nextStep(piece.length, inflated - before);
      }
      if (!outcome) inflate.push(new Uint8Array(0), true);
    } else {
      return "corrupt";
    }
  } catch {
    if (!readerError) return "corrupt";
  }
  if (readerError) throw readerError;
  return outcome ?? "read";
}
