import Database from "better-sqlite3";

export type ExclusiveClaim = { ok: true; release: () => void } | { ok: false; reason: "in use" | "not a database" };

const codeOf = (e: unknown) => String((e as { code?: unknown }).code ?? "");

/**
 * Takes an existing database file for this process alone, or finds that someone else has it open. A
 * connection in WAL mode that has read the database keeps a shared lock on the file for as long as it
 * stays open, even when idle (a server reads at start), so leaving WAL mode — which needs every other
 * connection gone — fails at once if a server, a backup or anything else has the database open. When nobody has, leaving WAL mode also moves whatever a crashed
 * process left in the WAL file into the database file, and the exclusive lock then keeps others out
 * until the claim is released.
 */
export function claimExclusively(file: string): ExclusiveClaim {
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { fileMustExist: true, timeout: 0 });
  } catch (e) {
    if (codeOf(e).startsWith("SQLITE_BUSY")) return { ok: false, reason: "in use" };
    throw e;
  }
  try {
    sqlite.pragma("journal_mode = DELETE");
    sqlite.pragma("locking_mode = EXCLUSIVE");
    sqlite.exec("BEGIN EXCLUSIVE");
  } catch (e) {
    sqlite.close();
    if (codeOf(e).startsWith("SQLITE_BUSY") || codeOf(e).startsWith("SQLITE_LOCKED")) return { ok: false, reason: "in use" };
    if (codeOf(e) === "SQLITE_NOTADB" || codeOf(e).startsWith("SQLITE_CORRUPT")) return { ok: false, reason: "not a database" };
    throw e;
  }
  return {
    ok: true,
    release: () => {
      sqlite.exec("ROLLBACK");
      sqlite.close();
    },
  };
}
