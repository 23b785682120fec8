import Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import {
  fileProblems,
  hasPrivateKey,
  MANIFEST_FILE,
  parseManifest,
  type BackedUpFile,
  type BackupManifest,
} from "../domain/backup-manifest";
import { describeMigrationLevel } from "../domain/migration-level";
import { checkDatabaseLocation } from "../../db/database-location.server";
import { claimExclusively } from "../../db/exclusive-claim.server";
import { knownMigrations, migrationLevelOf } from "../../db/migration-level.server";
import { fileDigest } from "../utils/file-digest.server";
import { Refusal } from "../utils/refusal";
import { privateKeyFile } from "./signing.server";

/** Reads the manifest and checks every file it lists against its size and checksum, before anything is touched. */
async function verifiedManifest(folder: string): Promise<BackupManifest> {
  const manifestPath = path.join(folder, MANIFEST_FILE);
  if (!existsSync(manifestPath))
    throw new Refusal(`${folder} has no ${MANIFEST_FILE}: it is not a backup made by npm run backup. Nothing was restored.`);
  const parsed = parseManifest(readFileSync(manifestPath, "utf8"));
  if (!parsed.ok) throw new Refusal(`The manifest ${manifestPath} cannot be used: ${parsed.problem}. Nothing was restored.`);
  const found = new Map<string, { bytes: number; sha256: string } | null>();
  for (const file of parsed.value.files) found.set(file.path, await fileDigest(path.join(folder, file.path)));
  const problems = fileProblems(parsed.value.files, found);
  if (problems.length > 0) {
    throw new Refusal(
      `The backup in ${folder} does not match its manifest, so it cannot be trusted:\n  - ${problems.join("\n  - ")}\nNothing was restored. Use another backup.`,
    );
  }
  if (!hasPrivateKey(parsed.value, privateKeyFile)) {
    throw new Refusal(
      `The backup in ${folder} holds no certificate signing key (${privateKeyFile}); certificates issued before it would no longer verify. Nothing was restored.`,
    );
  }
  return parsed.value;
}

/** A database from a newer release would be refused at start: better to refuse before replacing anything. */
function levelOfBackup(file: string): string {
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
    const level = migrationLevelOf(sqlite);
    const described = describeMigrationLevel(level, knownMigrations().length);
    if (level.state === "ahead")
      throw new Refusal(
        `The backed-up database comes from a newer release of this application (${described}). Restore it with that release. Nothing was restored.`,
      );
    return described;
  } catch (e) {
    if (e instanceof Refusal) throw e;
    throw new Refusal(
      `The backed-up database ${file} cannot be read as a SQLite database (${(e as Error).message}). Nothing was restored.`,
    );
  } finally {
    sqlite?.close();
  }
}

/** Copies beside the target under a temporary name, flushes and checks it, then renames it into place. */
async function placeFile(from: string, to: string, expected: BackedUpFile, mode?: number): Promise<void> {
  const temporary = `${to}.restoring-${randomBytes(4).toString("hex")}`;
  try {
    copyFileSync(from, temporary);
    if (mode !== undefined) chmodSync(temporary, mode);
    const fd = openSync(temporary, "r+");
    fsyncSync(fd);
    closeSync(fd);
    const written = await fileDigest(temporary);
    if (written?.sha256 !== expected.sha256)
      throw new Refusal(`Writing ${to} failed: the copy does not match the backup. Check the disk; ${to} was left as it was.`);
    renameSync(temporary, to);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** "app.sqlite" → "app.before-restore-20260102T030405Z.sqlite": kept, never overwritten, still recognisable. */
function asideName(file: string, stamp: string): string {
  const { dir, name, ext } = path.parse(file);
  if (ext === ".pem") return path.join(dir, `${name}${ext}.before-restore-${stamp}`);
  return path.join(dir, `${name}.before-restore-${stamp}${ext}`);
}

export type RestoreReport = {
  backup: { folder: string; createdAt: string; app: string };
  database: { path: string; bytes: number; level: string };
  keys: { folder: string; restored: string[]; unchanged: string[] };
  keptAside: string[];
};

/**
 * Puts a backup back: the database at the database path and the key files in the key folder. Refuses
 * — before changing anything — a backup that does not match its manifest, a database another process
 * has open, and (without force) a database or a different key already in place. What is replaced is
 * renamed aside, never deleted.
 */
export async function restore(options: {
  source: string;
  databasePath: string;
  keyFolder: string;
  force: boolean;
  now?: Date;
}): Promise<RestoreReport> {
  const source = path.resolve(options.source);
  const target = path.resolve(options.databasePath);
  const keyFolder = path.resolve(options.keyFolder);
  const manifest = await verifiedManifest(source);
  const databaseEntry = manifest.files.find((f) => f.kind === "database")!;
  const keyEntries = manifest.files.filter((f) => f.kind === "signing-key");
  const level = levelOfBackup(path.join(source, databaseEntry.path));
  checkDatabaseLocation(target);

  const claim = existsSync(target) ? claimExclusively(target) : null;
  if (claim && !claim.ok && claim.reason === "in use") {
    throw new Refusal(
      `The database ${target} is in use: another process (a running server, a backup) has it open. Stop the server first, then restore again. Nothing was restored.`,
    );
  }
  try {
    const keyTargets = await Promise.all(
      keyEntries.map(async (entry) => {
        const to = path.join(keyFolder, path.basename(entry.path));
        const present = await fileDigest(to);
        return { entry, to, present, same: present?.sha256 === entry.sha256 };
      }),
    );
    const inTheWay = [...(existsSync(target) ? [target] : []), ...keyTargets.filter((k) => k.present && !k.same).map((k) => k.to)];
    if (inTheWay.length > 0 && !options.force) {
      throw new Refusal(
        `Already there: ${inTheWay.join(", ")}. To replace ${inTheWay.length === 1 ? "it" : "them"} with the backup, run the restore again with --force; what is there now will be kept beside it, renamed "….before-restore-…". Nothing was restored.`,
      );
    }

    const stamp = (options.now ?? new Date())
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z");
    const keptAside: string[] = [];
    const putAside = (file: string) => {
      const aside = asideName(file, stamp);
      renameSync(file, aside);
      keptAside.push(aside);
    };

    mkdirSync(keyFolder, { recursive: true });
    for (const key of keyTargets) {
      if (key.same) continue;
      if (key.present) putAside(key.to);
      await placeFile(path.join(source, key.entry.path), key.to, key.entry, path.basename(key.to) === privateKeyFile ? 0o600 : 0o644);
    }
    // A WAL or shared-memory file left by another database would be read as part of the restored one.
    for (const file of [target, `${target}-wal`, `${target}-shm`, `${target}-journal`]) if (existsSync(file)) putAside(file);
    await placeFile(path.join(source, databaseEntry.path), target, databaseEntry);

    return {
      backup: { folder: source, createdAt: manifest.createdAt, app: `${manifest.app?.name ?? "?"} ${manifest.app?.version ?? ""}`.trim() },
      database: { path: target, bytes: databaseEntry.bytes, level },
      keys: {
        folder: keyFolder,
        restored: keyTargets.filter((k) => !k.same).map((k) => k.to),
        unchanged: keyTargets.filter((k) => k.same).map((k) => k.to),
      },
      keptAside,
    };
  } finally {
    if (claim?.ok) claim.release();
  }
}
