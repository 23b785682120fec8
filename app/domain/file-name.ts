/**
 * File names inside a download (a zip of certificates): built from people's names, which may hold
 * anything a roster held. A name must stay one plain file wherever the archive is unpacked.
 */

/** Bytes of UTF-8 most file systems allow in one name. */
const MAX_NAME_BYTES = 255;

/** Characters that separate or have meaning in paths on some system, including their full-width and look-alike forms. */
const UNSAFE = /[\/\\:*?"<>|\uFF0F\uFF3C\u2215\u2044\u29F8\u29F9\uFE68\uFF1A\uFF0A\uFF1F\uFF02\uFF1C\uFF1E\uFF5C]/g;
// C0 and C1 controls, DEL, and the invisible marks that can reorder or hide what a name shows.
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** The longest beginning of `text`, in whole characters, that fits in `bytes` of UTF-8. */
function truncateToBytes(text: string, bytes: number): string {
  let out = "";
  for (const ch of text) {
    if (utf8Length(out + ch) > bytes) break;
    out += ch;
  }
  return out;
}

/**
 * One safe file-name part: separators and reserved characters become "_", control and invisible
 * characters are dropped, runs of dots cannot make "..", leading and trailing dots and spaces go,
 * and the result fits in `maxBytes` of UTF-8 without splitting a character (an emoji stays whole).
 * Never empty: `fallback` stands in for a name with nothing left.
 */
export function safeFileNamePart(text: string, maxBytes = 120, fallback = "_"): string {
  const cleaned = text
    .normalize("NFC")
    .replace(CONTROL, "")
    .replace(UNSAFE, "_")
    .replace(/\s+/g, " ")
    .replace(/\.{2,}/g, ".")
    .replace(/^[\s.]+|[\s.]+$/g, "");
  const cut = truncateToBytes(cleaned, maxBytes).replace(/[\s.]+$/g, "");
  return cut || fallback;
}

/** `<serial>-<name>.pdf`, safe, within the length file systems allow. */
export function certificateFileName(serial: string, holderName: string): string {
  const prefix = safeFileNamePart(serial, 40);
  const room = MAX_NAME_BYTES - utf8Length(`${prefix}-.pdf`) - 8; // 8 bytes kept for a "-2" suffix and more
  return `${prefix}-${safeFileNamePart(holderName, Math.min(room, 120))}.pdf`;
}

/**
 * Makes names unique within one archive, in order: the second "a.pdf" becomes "a-2.pdf", the third
 * "a-3.pdf", never clashing with a name given later or earlier. Compared case-insensitively, since
 * Windows and macOS unpack "A.pdf" and "a.pdf" onto one file.
 */
export function uniqueFileNames(names: string[]): string[] {
  const taken = new Set(names.map((n) => n.toLowerCase()));
  const used = new Set<string>();
  return names.map((name) => {
    if (!used.has(name.toLowerCase())) {
      used.add(name.toLowerCase());
      return name;
    }
    const dot = name.lastIndexOf(".");
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
    for (let n = 2; ; n++) {
      const candidate = `${stem}-${n}${ext}`;
      if (!used.has(candidate.toLowerCase()) && !taken.has(candidate.toLowerCase())) {
        used.add(candidate.toLowerCase());
        return candidate;
      }
    }
  });
}
