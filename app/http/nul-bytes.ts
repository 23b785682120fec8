/**
 * The bytes of `chunk` without its NUL bytes. React 18's streaming renderer can flush its whole 2 KB
 * buffer when a multi-byte character (all of Chinese) does not fit at its end, leaving NUL bytes
 * inside the HTML — even inside attribute values (react#26228, fixed only in React 19). NUL never
 * belongs in HTML and never occurs inside a UTF-8 sequence, so dropping every NUL byte is safe
 * whatever the chunking. The search is native (`indexOf`) and the kept runs are copied whole: a
 * byte-by-byte filter cost more than a millisecond on every long page.
 */
export function withoutNul(chunk: Buffer): Buffer {
  let nul = chunk.indexOf(0);
  if (nul < 0) return chunk;
  const kept: Buffer[] = [];
  let start = 0;
  while (nul >= 0) {
    if (nul > start) kept.push(chunk.subarray(start, nul));
    start = nul + 1;
    nul = chunk.indexOf(0, start);
  }
  if (start < chunk.length) kept.push(chunk.subarray(start));
  return Buffer.concat(kept);
}
