import { accessSync, constants, mkdirSync, statSync, type Stats } from "node:fs";
import path from "node:path";
import { processUser, Refusal } from "../app/utils/refusal";
import { defaultDataFolder } from "./paths";

/** The file's details, or null when it does not exist; a folder above it that cannot be entered is said so, not taken for a missing file. */
function found(file: string): Stats | null {
  try {
    return statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw new Refusal(
      `${file} cannot be reached by ${processUser()} (${code}): let that user into the folders above it, or set DATABASE_PATH to a place it can use.`,
    );
  }
}

function allowed(file: string, mode: number): boolean {
  try {
    accessSync(file, mode);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks that a database file can be opened for writing, before SQLite is asked to: SQLite opens a
 * read-only file read-only without a word and fails later, on the first write, as a 500 in front of a
 * user. Only the checkout's own data/ folder is made when missing: a folder named by DATABASE_PATH
 * that does not exist is more likely a typo than a new deployment, and starting on a new empty
 * database there would look like every record had been lost.
 */
export function checkDatabaseLocation(file: string): void {
  const resolved = path.resolve(file);
  const folder = path.dirname(resolved);
  if (!found(folder)) {
    if (folder !== defaultDataFolder()) {
      throw new Refusal(
        `The folder for the database, ${folder}, does not exist. Create it (mkdir -p ${folder}) and let ${processUser()} write to it, or set DATABASE_PATH to where the database really is.`,
      );
    }
    try {
      mkdirSync(folder, { recursive: true });
    } catch (e) {
      throw new Refusal(
        `The folder for the database, ${folder}, could not be created (${(e as Error).message}). Create it by hand and let ${processUser()} write to it.`,
      );
    }
  }
  if (!found(folder)!.isDirectory()) {
    throw new Refusal(
      `${folder} should be the folder holding the database, but it is not a folder. Set DATABASE_PATH to a file in a folder.`,
    );
  }
  if (!allowed(folder, constants.W_OK | constants.X_OK)) {
    throw new Refusal(
      `The folder of the database, ${folder}, is read-only for ${processUser()}. SQLite writes its -wal and -shm files beside the database: let that user write to the folder (chown or chmod), or move the database to a folder it can write to.`,
    );
  }
  const database = found(resolved);
  if (!database) return;
  if (!database.isFile()) {
    throw new Refusal(`The database path ${resolved} is not a file. Set DATABASE_PATH to the database file itself.`);
  }
  for (const companion of [resolved, `${resolved}-wal`, `${resolved}-shm`]) {
    if (found(companion) && !allowed(companion, constants.R_OK | constants.W_OK)) {
      throw new Refusal(
        `The database file ${companion} is read-only for ${processUser()}. Let that user read and write it (chown or chmod u+rw), or restore a backup to a place it can write to.`,
      );
    }
  }
}
