/**
 * Reads the signed payload and signature that every certificate PDF carries in its document
 * information (Subject and Keywords), so a certificate can be checked without the server.
 */

function unescapeLiteral(body: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const b = body[i];
    if (b !== 0x5c) {
      out.push(b);
      continue;
    }
    const next = body[++i];
    const simple: Record<number, number> = {
      0x6e: 0x0a,
      0x72: 0x0d,
      0x74: 0x09,
      0x62: 0x08,
      0x66: 0x0c,
      0x28: 0x28,
      0x29: 0x29,
      0x5c: 0x5c,
    };
    if (next in simple) out.push(simple[next]);
    else if (next >= 0x30 && next <= 0x37) {
      let digits = String.fromCharCode(next);
      while (digits.length < 3 && body[i + 1] >= 0x30 && body[i + 1] <= 0x37) digits += String.fromCharCode(body[++i]);
      out.push(parseInt(digits, 8));
    } else if (next === 0x0a) continue;
    else out.push(next);
  }
  return Buffer.from(out);
}

function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.alloc(bytes.length - 2);
    for (let i = 2; i + 1 < bytes.length; i += 2) {
      swapped[i - 2] = bytes[i + 1];
      swapped[i - 1] = bytes[i];
    }
    return swapped.toString("utf16le");
  }
  return bytes.toString("latin1");
}

function literalAt(pdf: Buffer, start: number): Buffer | null {
  if (pdf[start] !== 0x28) return null;
  let depth = 0;
  for (let i = start; i < pdf.length; i++) {
    const b = pdf[i];
    if (b === 0x5c) {
      i++;
      continue;
    }
    if (b === 0x28) depth++;
    if (b === 0x29 && --depth === 0) return unescapeLiteral(pdf.subarray(start + 1, i));
  }
  return null;
}

/** A hex string `<FEFF…>` (how qpdf and most tools write text strings when they save a file). */
function hexAt(pdf: Buffer, start: number): Buffer | null {
  if (pdf[start] !== 0x3c || pdf[start + 1] === 0x3c) return null;
  const end = pdf.indexOf(0x3e, start);
  if (end < 0) return null;
  let digits = pdf
    .subarray(start + 1, end)
    .toString("latin1")
    .replace(/\s+/g, "");
  if (!/^[0-9A-Fa-f]*$/.test(digits)) return null;
  if (digits.length % 2) digits += "0";
  return Buffer.from(digits, "hex");
}

function stringAt(pdf: Buffer, start: number): string | null {
  while (pdf[start] === 0x20 || pdf[start] === 0x0a || pdf[start] === 0x0d) start++;
  const bytes = literalAt(pdf, start) ?? hexAt(pdf, start);
  return bytes ? decodeText(bytes) : null;
}

/**
 * A document-information string, written inline or as an indirect object, as a literal or a hex
 * string; the last one in the file wins, as in a reader (later revisions come after earlier ones).
 */
function infoString(pdf: Buffer, key: string): string | null {
  const text = pdf.toString("latin1");
  const matches = [...text.matchAll(new RegExp(`/${key}\\s*(?:(\\d+)\\s+0\\s+R|(?=[(<]))`, "g"))];
  for (const match of matches.reverse()) {
    if (match[1]) {
      const header = new RegExp(`(?:^|[\\r\\n\\s])${match[1]}\\s+0\\s+obj\\s*`, "g");
      let found: RegExpExecArray | null;
      let last: number | null = null;
      while ((found = header.exec(text))) last = found.index + found[0].length;
      if (last === null) continue;
      const value = stringAt(pdf, last);
      if (value) return value;
    } else {
      const value = stringAt(pdf, match.index + match[0].length);
      if (value) return value;
    }
  }
  return null;
}

export function readCertificateMetadata(pdf: Buffer): { payload: string; signature: string } | null {
  const payload = infoString(pdf, "Subject");
  const signature = infoString(pdf, "Keywords");
  return payload && signature ? { payload, signature } : null;
}
