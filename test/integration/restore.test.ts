import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, defaultDatabasePath } from "../../db/client.server";
import { backUp } from "../../app/services/backup.server";
import { restore } from "../../app/services/restore.server";
import { ensureSigningKey, signingKeyDir } from "../../app/services/signing.server";

const dir = mkdtempSync(path.join(tmpdir(), "care-restore-"));
const backup = path.join(dir, "backup");
const now = new Date("2026-12-01T08:00:00Z");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  db().$client.prepare("insert into audit_log (action, entity_type, entity_id) values ('test.mark', 'test', 'in-the-backup')").run();
  ensureSigningKey();
  await backUp({ databasePath: defaultDatabasePath(), keyFolder: signingKeyDir(), destination: backup });
});

/** A folder to restore into, with DATABASE_PATH and the key folder inside it. */
function target(name: string) {
  const folder = path.join(dir, name);
  mkdirSync(folder);
  return { folder, databasePath: path.join(folder, "app.sqlite"), keyFolder: folder };
}

const marks = (file: string) => {
  const sqlite = new Database(file, { readonly: true });
  const rows = sqlite.prepare("select entity_id from audit_log where action = 'test.mark'").pluck().all();
  sqlite.close();
  return rows;
};

describe("restore", () => {
  it("refuses to replace a database without --force, and with it keeps the one it replaces", async () => {
    const t = target("existing");
    const other = new Database(t.databasePath);
    other.exec("create table kept (note text); insert into kept values ('what was there before');");
    other.close();

    await expect(restore({ source: backup, ...t, force: false, now })).rejects.toThrow(
      `Already there: ${t.databasePath}. To replace it with the backup, run the restore again with --force`,
    );
    expect(readdirSync(t.folder)).toEqual(["app.sqlite"]);

    const report = await restore({ source: backup, ...t, force: true, now });
    const aside = path.join(t.folder, "app.before-restore-20261201T080000Z.sqlite");
    expect(report.keptAside).toEqual([aside]);
    expect(marks(t.databasePath)).toEqual(["in-the-backup"]);
    const kept = new Database(aside, { readonly: true });
    expect(kept.prepare("select note from kept").pluck().get()).toBe("what was there before");
    kept.close();
  });

  it("refuses a database another connection has open, even with --force", async () => {
    const t = target("open");
    await restore({ source: backup, ...t, force: false, now });
    const server = new Database(t.databasePath);
    server.pragma("journal_mode = WAL");
    server.prepare("select count(*) from audit_log").get(); // as a server does at start
    try {
      await expect(restore({ source: backup, ...t, force: true, now })).rejects.toThrow(`The database ${t.databasePath} is in use`);
    } finally {
      server.close();
    }
    expect(readdirSync(t.folder).filter((f) => f.includes("before-restore"))).toEqual([]);
  });

  it("leaves an identical key alone, refuses a different one without --force and keeps it aside with --force", async () => {
    const t = target("keys");
    const key = path.join(t.keyFolder, "certificate-signing-key.pem");
    await restore({ source: backup, ...t, force: false, now });
    rmSync(t.databasePath);
    expect((await restore({ source: backup, ...t, force: false, now })).keys.unchanged).toContain(key);

    rmSync(t.databasePath);
    writeFileSync(key, "another deployment's key");
    await expect(restore({ source: backup, ...t, force: false, now })).rejects.toThrow(`Already there: ${key}`);
    const report = await restore({ source: backup, ...t, force: true, now });
    expect(report.keptAside).toEqual([`${key}.before-restore-20261201T080000Z`]);
    expect(readFileSync(key, "utf8")).toBe(readFileSync(path.join(backup, "keys", "certificate-signing-key.pem"), "utf8"));
  });

  it("moves aside a WAL file left by another database, which would otherwise be read into the restored one", async () => {
    const t = target("stale-wal");
    writeFileSync(`${t.databasePath}-wal`, "left behind by a database that is gone");
    const report = await restore({ source: backup, ...t, force: false, now });
    expect(report.keptAside).toEqual([path.join(t.folder, "app.before-restore-20261201T080000Z.sqlite-wal")]);
    expect(existsSync(`${t.databasePath}-wal`)).toBe(false);
    expect(marks(t.databasePath)).toEqual(["in-the-backup"]);
  });
});

describe("backup", () => {
  it("refuses when there is no signing key to take with the database, and leaves no folder behind", async () => {
    const destination = path.join(dir, "no-key-backup");
    await expect(backUp({ databasePath: defaultDatabasePath(), keyFolder: path.join(dir, "empty"), destination })).rejects.toThrow(
      "There is no certificate signing key",
    );
    expect(existsSync(destination)).toBe(false);
  });

  it("refuses a destination that already holds files", async () => {
    await expect(backUp({ databasePath: defaultDatabasePath(), keyFolder: signingKeyDir(), destination: backup })).rejects.toThrow(
      "already exists and is not an empty folder",
    );
  });
});
