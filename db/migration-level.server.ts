import type Database from "better-sqlite3";
import { readFileSync } from "node:fs";
import path from "node:path";
import { migrationLevel, type KnownMigration, type MigrationLevel } from "../app/domain/migration-level";
import { migrationsFolder } from "./paths";

/** This release's migrations, from drizzle-kit's journal (read from disk each time: it is small). */
export function knownMigrations(): KnownMigration[] {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder(), "meta", "_journal.json"), "utf8")) as { entries: KnownMigration[] };
  return journal.entries.map(({ tag, when }) => ({ tag, when }));
}

/** The timestamps drizzle recorded for the migrations applied to this database; none on a new file. */
export function appliedMigrationTimestamps(sqlite: Database.Database): number[] {
  const table = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get();
  if (!table) return [];
  return (sqlite.prepare("select created_at from __drizzle_migrations").pluck().all() as (number | string)[]).map(Number);
}

export function migrationLevelOf(sqlite: Database.Database): MigrationLevel {
  return migrationLevel(knownMigrations(), appliedMigrationTimestamps(sqlite));
}
