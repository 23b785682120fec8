import { createHash } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";

/** Size and SHA-256 of a file, read as a stream: a database can be larger than memory wants to hold. */
export async function fileDigest(file: string): Promise<{ bytes: number; sha256: string } | null> {
  if (!existsSync(file) || !statSync(file).isFile()) return null;
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest("hex") };
}
