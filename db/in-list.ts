import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * `column in values`, bound as one JSON parameter rather than one parameter a value, so a list of
 * any length stays within SQLite's limit on bound parameters.
 */
export function inList(column: SQLiteColumn, values: string[]): SQL {
  return sql`${column} in (select value from json_each(${JSON.stringify(values)}))`;
}
