/** What `npm run backup` writes beside the files it copied, and `npm run restore` checks before using any of them. */
export const MANIFEST_FILE = "manifest.json";
export const MANIFEST_FORMAT = "care-training-backup/1";

export type BackedUpFile = { path: string; kind: "database" | "signing-key"; bytes: number; sha256: string };

export type BackupManifest = {
  format: typeof MANIFEST_FORMAT;
  createdAt: string;
  app: { name: string; version: string };
  source: { database: string; signingKeyFolder: string };
  migrations: { latest: string | null; applied: number; level: string };
  files: BackedUpFile[];
};

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * A path inside the backup folder, in the form backup writes: relative, forward slashes, no "..".
 * Anything else in a manifest would let an edited backup read or overwrite files elsewhere.
 */
export function isInsideBackup(relative: string): boolean {
  if (relative === "" || relative.startsWith("/") || relative.includes("\\") || relative.includes("\0")) return false;
  return relative.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function readFileEntry(entry: unknown, index: number): Checked<BackedUpFile> {
  if (!isRecord(entry)) return { ok: false, problem: `files[${index}] is not an object` };
  const { path, kind, bytes, sha256 } = entry;
  if (typeof path !== "string" || !isInsideBackup(path))
    return { ok: false, problem: `files[${index}].path ${JSON.stringify(path)} is not a plain path inside the backup folder` };
  if (kind !== "database" && kind !== "signing-key")
    return { ok: false, problem: `${path}: kind ${JSON.stringify(kind)} is neither "database" nor "signing-key"` };
  if (typeof bytes !== "number" || !Number.isSafeInteger(bytes) || bytes < 0)
    return { ok: false, problem: `${path}: bytes is not a whole number` };
  if (typeof sha256 !== "string" || !/^[0-9a-f]{64}$/.test(sha256))
    return { ok: false, problem: `${path}: sha256 is not 64 hexadecimal digits` };
  return { ok: true, value: { path, kind, bytes, sha256 } };
}

/** The manifest's text, read strictly: a restore trusts nothing it cannot account for. */
export function parseManifest(text: string): Checked<BackupManifest> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, problem: "it is not valid JSON" };
  }
  if (!isRecord(data) || data.format !== MANIFEST_FORMAT) return { ok: false, problem: `its format is not ${MANIFEST_FORMAT}` };
  if (!Array.isArray(data.files)) return { ok: false, problem: "it lists no files" };
  const files: BackedUpFile[] = [];
  for (const [index, entry] of data.files.entries()) {
    const file = readFileEntry(entry, index);
    if (!file.ok) return file;
    files.push(file.value);
  }
  if (files.filter((f) => f.kind === "database").length !== 1) return { ok: false, problem: "it does not list exactly one database file" };
  if (new Set(files.map((f) => f.path)).size !== files.length) return { ok: false, problem: "it lists a file twice" };
  const keyNames = files.filter((f) => f.kind === "signing-key").map((f) => f.path.split("/").pop());
  if (new Set(keyNames).size !== keyNames.length) return { ok: false, problem: "it lists two key files with the same name" };
  return { ok: true, value: { ...(data as BackupManifest), files } };
}

/** Every way the files found differ from the files listed; empty when the backup is whole. */
export function fileProblems(listed: BackedUpFile[], found: ReadonlyMap<string, { bytes: number; sha256: string } | null>): string[] {
  const problems: string[] = [];
  for (const file of listed) {
    const actual = found.get(file.path) ?? null;
    if (!actual) problems.push(`${file.path} is missing`);
    else if (actual.bytes !== file.bytes) problems.push(`${file.path} has ${actual.bytes} bytes, the manifest says ${file.bytes}`);
    else if (actual.sha256 !== file.sha256)
      problems.push(`${file.path} does not match its SHA-256 checksum: it changed after the backup was made`);
  }
  return problems;
}

/** The private key must come back with the database, or certificates issued before the backup no longer verify. */
export function hasPrivateKey(manifest: BackupManifest, privateKeyName: string): boolean {
  return manifest.files.some((f) => f.kind === "signing-key" && f.path.split("/").pop() === privateKeyName);
}
