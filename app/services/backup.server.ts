import Database from "better-sqlite3";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { MANIFEST_FILE, MANIFEST_FORMAT, type BackedUpFile, type BackupManifest } from "../domain/backup-manifest";
import { describeMigrationLevel, type MigrationLevel } from "../domain/migration-level";
import { knownMigrations, migrationLevelOf } from "../../db/migration-level.server";
import { projectRoot } from "../../db/paths";
import { fileDigest } from "../utils/file-digest.server";
import { Refusal } from "../utils/refusal";
import { privateKeyFile, signingKeyFiles } from "./signing.server";

export const DATABASE_FILE = "database.sqlite";
export const KEYS_FOLDER = "keys";

/** Enough pages to copy any database in one step. */
const ALL_PAGES = 0x7fffffff;

/** The release that made a backup: package version if it has one, else the commit it runs from. */
function appVersion(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { name: string; version?: string };
  if (pkg.version) return { name: pkg.name, version: pkg.version };
  try {
    const commit = execFileSync("git", ["describe", "--always", "--dirty"], {
      cwd: projectRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    return { name: pkg.name, version: `commit ${commit}` };
  } catch {
    return { name: pkg.name, version: "unknown" };
  }
}

function refuseUnlessNewFolder(destination: string): void {
  if (!existsSync(destination)) return;
  if (!statSync(destination).isDirectory() || readdirSync(destination).length > 0) {
    throw new Refusal(`${destination} already exists and is not an empty folder. A backup goes into a new folder: give another name.`);
  }
}

function openSource(databasePath: string): Database.Database {
  if (!existsSync(databasePath))
    throw new Refusal(`There is no database at ${databasePath}. Set DATABASE_PATH to the database to back up.`);
  try {
    // Read-only: a backup must never change what it copies.
    const source = new Database(databasePath, { readonly: true, fileMustExist: true });
    source.pragma("busy_timeout = 5000");
    source.prepare("select count(*) from sqlite_master").get();
    return source;
  } catch (e) {
    throw new Refusal(
      `The database ${databasePath} could not be read (${(e as Error).message}). Check DATABASE_PATH and that this user may read the file and its folder.`,
    );
  }
}

/**
 * The copy is taken with SQLite's online backup in a single step, inside one read transaction: it is
 * a consistent snapshot including what is still in the WAL file, and writes by the running server
 * neither wait for it nor make it start over. It is then made a self-contained file (no WAL) and
 * checked for integrity before anything is recorded as backed up.
 */
async function copyDatabase(databasePath: string, copy: string): Promise<MigrationLevel> {
  const source = openSource(databasePath);
  try {
    await source.backup(copy, { progress: () => ALL_PAGES });
  } catch (e) {
    throw new Refusal(`Copying the database ${databasePath} failed (${(e as Error).message}). Nothing was backed up.`);
  } finally {
    source.close();
  }
  const copied = new Database(copy);
  try {
    copied.pragma("journal_mode = DELETE");
    const integrity = copied.pragma("integrity_check", { simple: true });
    if (integrity !== "ok")
      throw new Refusal(
        `The copy of ${databasePath} failed SQLite's integrity check (${String(integrity)}); the database itself may be damaged. Nothing was backed up.`,
      );
    return migrationLevelOf(copied);
  } finally {
    copied.close();
  }
}

export type BackupReport = { folder: string; manifest: BackupManifest };

/**
 * Copies the database and the certificate signing key into a new folder with a manifest of sizes and
 * checksums. It is written beside the destination under a temporary name and renamed at the end, so
 * a folder with the destination's name is always a complete backup.
 */
export async function backUp(options: { databasePath: string; keyFolder: string; destination: string }): Promise<BackupReport> {
  const databasePath = path.resolve(options.databasePath);
  const keyFolder = path.resolve(options.keyFolder);
  const destination = path.resolve(options.destination);
  refuseUnlessNewFolder(destination);
  const keyNames = signingKeyFiles(keyFolder);
  if (!keyNames.includes(privateKeyFile)) {
    throw new Refusal(
      `There is no certificate signing key (${privateKeyFile}) in ${keyFolder}. Without it, restored certificates could not be checked. Set CERT_KEY_DIR to the folder that holds it (or start the server once, which creates it), then back up again.`,
    );
  }

  mkdirSync(path.dirname(destination), { recursive: true });
  const work = `${destination}.partial-${randomBytes(4).toString("hex")}`;
  mkdirSync(path.join(work, KEYS_FOLDER), { recursive: true });
  try {
    const createdAt = new Date().toISOString();
    const migrationLevel = await copyDatabase(databasePath, path.join(work, DATABASE_FILE));
    for (const name of keyNames) {
      const target = path.join(work, KEYS_FOLDER, name);
      copyFileSync(path.join(keyFolder, name), target);
      chmodSync(target, statSync(path.join(keyFolder, name)).mode & 0o777);
    }
    const entries: Omit<BackedUpFile, "bytes" | "sha256">[] = [
      { path: DATABASE_FILE, kind: "database" },
      ...keyNames.map((name) => ({ path: `${KEYS_FOLDER}/${name}`, kind: "signing-key" as const })),
    ];
    const files: BackedUpFile[] = [];
    for (const entry of entries) files.push({ ...entry, ...(await fileDigest(path.join(work, entry.path)))! });
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      createdAt,
      app: appVersion(),
      source: { database: databasePath, signingKeyFolder: keyFolder },
      migrations: {
        latest: migrationLevel.latest,
        applied: migrationLevel.applied,
        level: describeMigrationLevel(migrationLevel, knownMigrations().length),
      },
      files,
    };
    writeFileSync(path.join(work, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    if (existsSync(destination)) rmdirSync(destination);
    renameSync(work, destination);
    return { folder: destination, manifest };
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
}
