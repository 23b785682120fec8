import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { mkdirSync } from "node:fs";
import path from "node:path";
import * as schema from "./schema";

export type AppDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Files on disk are found from the project root: server code is bundled into build/. */
export const projectRoot = process.env.APP_ROOT ?? process.cwd();

export function defaultDatabasePath(): string {
  return process.env.DATABASE_PATH ?? path.join(projectRoot, "data", "app.sqlite");
}

export function openDatabase(file: string = defaultDatabasePath()): AppDatabase {
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: path.join(projectRoot, "db", "migrations") });
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

export function closeDatabase(): void {
  shared?.$client.close();
  shared = undefined;
}

export type Transaction = Parameters<Parameters<AppDatabase["transaction"]>[0]>[0];
export type Executor = AppDatabase | Transaction;
