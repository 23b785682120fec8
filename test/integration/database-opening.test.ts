import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { db, KEPT_STATEMENTS, openDatabase } from "../../db/client.server";
import { isRefusal } from "../../app/utils/refusal";
import { refuseLostSigningKey } from "../../app/services/signing.server";
import { openTo, unprivileged } from "../support/unprivileged";

const dir = mkdtempSync(path.join(tmpdir(), "care-open-"));
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What opening the database threw: a Refusal, with its message. */
function refusalOf(open: () => unknown): string {
  try {
    open();
  } catch (e) {
    expect(isRefusal(e), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error("opened without a word");
}

function migratedDatabase(name: string): string {
  const file = path.join(dir, name);
  openDatabase(file).$client.close();
  return file;
}

/** setup:production as an unprivileged user, for whom read-only means read-only. */
function setupProductionAs(databasePath: string) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/setup-production.ts"], {
    env: { ...process.env, DATABASE_PATH: databasePath, ADMIN_PASSWORD: "first-admin-pw" },
    encoding: "utf8",
    ...unprivileged,
  });
}

describe("opening the database refuses, naming the path and what to do", () => {
  it("a database a newer release has migrated, and leaves it untouched", () => {
    const file = migratedDatabase("newer.sqlite");
    const sqlite = new Database(file);
    sqlite.prepare("insert into __drizzle_migrations (hash, created_at) values ('from-the-future', ?)").run(Date.UTC(2099, 0, 1));
    const before = sqlite.prepare("select count(*) from __drizzle_migrations").pluck().get();
    sqlite.close();

    const message = refusalOf(() => openDatabase(file));
    expect(message).toContain(file);
    expect(message).toContain("newer release");
    expect(message).toContain("1 migration(s) this release does not know");
    const after = new Database(file, { readonly: true });
    expect(after.prepare("select count(*) from __drizzle_migrations").pluck().get()).toBe(before);
    after.close();
  });

  it("a folder that does not exist, without creating it", () => {
    const folder = path.join(dir, "no-such-folder");
    const message = refusalOf(() => openDatabase(path.join(folder, "app.sqlite")));
    expect(message).toContain(`${folder}, does not exist`);
    expect(message).toContain(`mkdir -p ${folder}`);
    expect(existsSync(folder)).toBe(false);
  });

  it("a file that is not a database", () => {
    const file = path.join(dir, "notes.sqlite");
    writeFileSync(file, "this is not a database, but a note someone saved under the wrong name".repeat(100));
    const message = refusalOf(() => openDatabase(file));
    expect(message).toContain(`${file} is not a usable SQLite database`);
    expect(message).toContain("npm run restore");
  });

  it("a read-only database file: setup:production says so, without a stack trace, and changes nothing", () => {
    const folder = path.join(dir, "read-only-file");
    mkdirSync(folder);
    const file = migratedDatabase("read-only-file/app.sqlite");
    openTo(folder, 0o755);
    chmodSync(file, 0o444);
    const mtime = statSync(file).mtimeMs;
    const result = setupProductionAs(file);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain(`The database file ${file} is read-only for user`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });

  it("a read-only folder: setup:production says so, without a stack trace", () => {
    const folder = path.join(dir, "read-only-folder");
    mkdirSync(folder);
    const file = migratedDatabase("read-only-folder/app.sqlite");
    openTo(folder, 0o555);
    const result = setupProductionAs(file);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain(`The folder of the database, ${folder}, is read-only for user`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    chmodSync(folder, 0o755);
  });
});

describe("the certificate signing key", () => {
  it("may be made anew on a database without certificates, but is refused as lost when certificates were signed with it", () => {
    const keyFolder = path.join(dir, "keys-elsewhere");
    process.env.CERT_KEY_DIR = keyFolder;
    const sqlite = db().$client;
    try {
      expect(() => refuseLostSigningKey()).not.toThrow();
      // A certificate row alone is enough here: what it belongs to does not matter.
      sqlite.pragma("foreign_keys = OFF");
      sqlite
        .prepare(
          `insert into certificates (id, serial, enrolment_id, user_id, organisation_id, organisation_code, organisation_name, program_code, program_version, program_title, certificate_title,
            holder_name, cohort_start, cohort_end, theory_hours, practice_hours, completion_date, issue_date, verify_base, payload, signature, pdf_sha256)
           values (?, '2026-AAAA-BBBB-C', 'e1', 'u1', 'o', 'O', '基地', 'family-caregiver', 1, '培训', '证书', '某', '2026-01-01', '2026-12-31', 40, 40, '2026-06-01', '2026-06-02', 'x', '{}', 's', 'h')`,
        )
        .run(randomUUID());
      sqlite.pragma("foreign_keys = ON");
      const message = refusalOf(() => refuseLostSigningKey());
      expect(message).toContain(`missing from ${keyFolder}`);
      expect(message).toContain("1 certificate(s)");
      expect(message).toContain("CERT_KEY_DIR");
    } finally {
      delete process.env.CERT_KEY_DIR;
    }
  });
});

describe("kept statements", () => {
  it("hands a statement out again by its SQL, with the result mode a caller left on it reset", () => {
    const sqlite = openDatabase(path.join(dir, "kept.sqlite")).$client;
    const first = sqlite.prepare("select 1 as one, 2 as two");
    expect(first.raw().all()).toEqual([[1, 2]]);
    const again = sqlite.prepare("select 1 as one, 2 as two");
    expect(again).toBe(first);
    expect(again.all()).toEqual([{ one: 1, two: 2 }]);
    expect(sqlite.prepare("select 1 as one, 2 as two").pluck().get()).toBe(1);
    expect(sqlite.prepare("select 1 as one, 2 as two").get()).toEqual({ one: 1, two: 2 });
    sqlite.close();
  });

  it("does not share a statement that is still being iterated, and keeps at most KEPT_STATEMENTS", () => {
    const sqlite = openDatabase(path.join(dir, "kept-busy.sqlite")).$client;
    const outer = sqlite.prepare("select value from json_each('[1,2]')");
    const seen: number[] = [];
    for (const row of outer.iterate() as Iterable<{ value: number }>) {
      const inner = sqlite.prepare("select value from json_each('[1,2]')");
      expect(inner).not.toBe(outer);
      seen.push(row.value, ...(inner.pluck().all() as number[]));
    }
    expect(seen).toEqual([1, 1, 2, 2, 1, 2]);
    const oldest = sqlite.prepare("select 0");
    for (let i = 1; i <= KEPT_STATEMENTS; i++) sqlite.prepare(`select ${i}`);
    expect(sqlite.prepare("select 0")).not.toBe(oldest);
    sqlite.close();
  });
});
