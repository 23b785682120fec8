import Database from "better-sqlite3";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { existsSync } from "node:fs";
import { describeMigrationLevel } from "../app/domain/migration-level";
import { Refusal } from "../app/utils/refusal";
import { checkDatabaseLocation } from "./database-location.server";
import { knownMigrations, migrationLevelOf } from "./migration-level.server";
import { defaultDatabasePath, migrationsFolder } from "./paths";
import * as schema from "./schema";

export { defaultDatabasePath, projectRoot } from "./paths";

export type AppDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** What SQLite's complaint means for whoever has to fix it. */
function sqliteRefusal(file: string, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return error;
  const problem = (error as Error).message;
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return new Refusal(
      `${file} is not a usable SQLite database (${problem}). Point DATABASE_PATH at the right file, or restore a backup: npm run restore -- BACKUP_FOLDER.`,
    );
  }
  if (code.startsWith("SQLITE_READONLY")) {
    return new Refusal(
      `The database ${file} cannot be written (${problem}). Let the server's user write the file and its folder, or restore a backup to a writable place.`,
    );
  }
  if (code.startsWith("SQLITE_BUSY")) {
    return new Refusal(
      `The database ${file} is locked by another process (${problem}), perhaps a restore in progress. Wait for it to finish and start again.`,
    );
  }
  return new Refusal(
    `The database ${file} could not be opened (${problem}). Check the file and its folder, or restore a backup: npm run restore -- BACKUP_FOLDER.`,
  );
}

/** Migrations drizzle does not know would be passed over in silence, and the code run on tables it does not understand. */
function refuseNewerRelease(sqlite: Database.Database, file: string): void {
  const level = migrationLevelOf(sqlite);
  if (level.state !== "ahead") return;
  throw new Refusal(
    `The database ${file} comes from a newer release of this application: it has ${level.unknown.length} migration(s) this release does not know (its level: ${describeMigrationLevel(level, knownMigrations().length)}). Run the newer release on it, or restore a backup made by this release; nothing was changed.`,
  );
}

/**
 * Everything that can be known about a database file without migrating it: where it is, who may
 * write it, that it is a database, and that no newer release has migrated it. The server runs this
 * before loading the app, so that a database it cannot use is reported in a moment.
 */
export function checkDatabase(file: string = defaultDatabasePath()): void {
  if (file === ":memory:") return;
  checkDatabaseLocation(file);
  if (!existsSync(file)) return;
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(file, { fileMustExist: true });
    sqlite.pragma("busy_timeout = 5000");
    refuseNewerRelease(sqlite, file);
  } catch (e) {
    throw sqliteRefusal(file, e);
  } finally {
    sqlite?.close();
  }
}

/**
 * Opens (and migrates) a database, refusing with a message that names the file and what to do when it
 * cannot be used safely: a missing or read-only folder, a read-only file, a file that is not a
 * database, or one that a newer release has migrated.
 */
export function openDatabase(file: string = defaultDatabasePath()): AppDatabase {
  if (file !== ":memory:") checkDatabaseLocation(file);
  let sqlite: Database.Database | undefined;
  let db: BetterSQLite3Database<typeof schema>;
  try {
    sqlite = new Database(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    sqlite.pragma("synchronous = NORMAL");
    refuseNewerRelease(sqlite, file);
    db = drizzle(sqlite, { schema });
    migrate(db, { migrationsFolder: migrationsFolder() });
    reuseStatements(sqlite);
  } catch (e) {
    sqlite?.close();
    throw sqliteRefusal(file, e);
  }
  // A deferred transaction that reads before it writes cannot wait for the write lock when another
  // process (a second server, a script) took it meanwhile: SQLite answers SQLITE_BUSY at once. Every
  // transaction here therefore takes the write lock first and waits its turn (busy_timeout).
  const deferred = db.transaction.bind(db);
  db.transaction = ((fn, config) => deferred(fn, { behavior: "immediate", ...config })) as typeof db.transaction;
  return db as AppDatabase;
}

let shared: AppDatabase | undefined;

/** The process-wide connection, opened (and migrated) on first use. */
export function db(): AppDatabase {
  shared ??= openDatabase();
  return shared;
}

/**
 * Moves everything in the WAL file into the database file before closing, so the database file alone
 * is the whole database once the process has stopped.
 */
export function closeDatabase(): void {
  if (shared?.$client.open) {
    shared.$client.pragma("wal_checkpoint(TRUNCATE)");
    shared.$client.close();
  }
  shared = undefined;
}

/**
 * Moves the WAL into the database file from a connection of its own, for a process that never
 * opened the app's (the supervisor of several server processes, once they have all stopped).
 */
export function checkpointDatabase(file: string = defaultDatabasePath()): void {
  if (file === ":memory:" || !existsSync(file)) return;
  const sqlite = new Database(file, { fileMustExist: true });
  try {
    sqlite.pragma("busy_timeout = 5000");
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    sqlite.close();
  }
}

export type Transaction = Parameters<Parameters<AppDatabase["transaction"]>[0]>[0];
export type Executor = AppDatabase | Transaction;

/** How many prepared statements a connection keeps: every query the app makes, with room to spare. */
export const KEPT_STATEMENTS = 1000;

/**
 * Makes the connection keep the statements it prepares, by SQL text, and hand them out again.
 * The query builder prepares its statement on every call, and compiling SQL cost more than running
 * it on most pages (about 5 ms a page). A kept statement is given back with its result mode reset
 * (another caller may have asked for raw rows or single values); one still being iterated is not
 * shared, and the least recently used ones go beyond KEPT_STATEMENTS.
 */
function reuseStatements(sqlite: Database.Database): void {
  const compile = sqlite.prepare.bind(sqlite);
  const kept = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const statement = kept.get(source);
    if (!statement) {
      const fresh = compile(source);
      kept.set(source, fresh);
      if (kept.size > KEPT_STATEMENTS) kept.delete(kept.keys().next().value!);
      return fresh;
    }
    if (statement.busy) return compile(source);
    kept.delete(source); // to the end: most recently used
    kept.set(source, statement);
    if (statement.reader) statement.pluck(false).expand(false).raw(false);
    return statement;
  }) as typeof sqlite.prepare;
}

/**
 * A raw statement, prepared once per connection (the connection keeps it). For loops over
 * thousands of rows inside one transaction (a roster, a batch).
 */
export function prepared(sql: string): Database.Statement {
  return db().$client.prepare(sql);
}

/**
 * `column in (…values)` bound as one JSON parameter: any number of values, never one bound
 * variable each (SQLite refuses more than 32,766 of those).
 */
export function inJsonList(column: SQLWrapper, values: readonly (string | number)[]): SQL {
  return sql`${column} in (select value from json_each(${JSON.stringify(values)}))`;
}
