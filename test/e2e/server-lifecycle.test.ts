import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client.server";
import { spawnServer } from "../support/server-process";
import { openTo, unprivileged } from "../support/unprivileged";

const dir = mkdtempSync(path.join(tmpdir(), "care-lifecycle-"));
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("refusing to start", () => {
  /** A migrated database in a folder of its own, for the unprivileged user to own. */
  function databaseIn(name: string): { folder: string; file: string } {
    const folder = path.join(dir, name);
    mkdirSync(folder);
    const file = path.join(folder, "app.sqlite");
    openDatabase(file).$client.close();
    return { folder, file };
  }

  it("names the path and what to do, without a stack trace, for each database it cannot use safely", async () => {
    const newer = databaseIn("newer");
    const sqlite = new Database(newer.file);
    sqlite.prepare("insert into __drizzle_migrations (hash, created_at) values ('from-the-future', ?)").run(Date.UTC(2099, 0, 1));
    sqlite.close();
    const readOnlyFile = databaseIn("read-only-file");
    openTo(readOnlyFile.folder, 0o755);
    chmodSync(readOnlyFile.file, 0o444);
    const readOnlyFolder = databaseIn("read-only-folder");
    openTo(readOnlyFolder.folder, 0o555);
    const missing = path.join(dir, "not-made-yet", "app.sqlite");

    const cases = [
      { env: { DATABASE_PATH: newer.file }, says: [newer.file, "newer release"] },
      { env: { DATABASE_PATH: readOnlyFile.file }, says: [`The database file ${readOnlyFile.file} is read-only`], as: unprivileged },
      { env: { DATABASE_PATH: readOnlyFolder.file }, says: [`The folder of the database, ${readOnlyFolder.folder}, is read-only`], as: unprivileged },
      { env: { DATABASE_PATH: missing }, says: [`mkdir -p ${path.dirname(missing)}`] },
    ];
    const exits = await Promise.all(cases.map(async (c) => (await spawnServer(c.env, c.as)).exited));
    exits.forEach((exit, i) => {
      expect(exit.code, exit.output).toBe(1);
      expect(exit.output).toMatch(/^Not starting: /m);
      for (const words of cases[i].says) expect(exit.output).toContain(words);
      expect(exit.output).not.toMatch(/^\s+at /m);
      expect(exit.output).not.toContain("Listening");
    });
    expect(existsSync(path.dirname(missing))).toBe(false);
    chmodSync(readOnlyFolder.folder, 0o755);
  }, 60_000);
});
