import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(path.join(tmpdir(), "care-prod-"));
const file = path.join(dir, "prod.sqlite");
const run = (adminUsername = "chief", databasePath = file) =>
  spawnSync(
    process.execPath,
    ["--import", "tsx", "scripts/setup-production.ts", "--alliance", "测试联盟", "--admin-username", adminUsername],
    {
      env: { ...process.env, DATABASE_PATH: databasePath, ADMIN_PASSWORD: "first-admin-pw" },
      encoding: "utf8",
    },
  );

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("production setup", () => {
  it("creates the alliance and one admin, with no demo data, and refuses to run twice", () => {
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    const sqlite = new Database(file, { readonly: true });
    expect(sqlite.prepare("select kind, name from organisations").all()).toEqual([{ kind: "alliance", name: "测试联盟" }]);
    expect(sqlite.prepare("select u.username, r.role from users u join role_assignments r on r.user_id = u.id").all()).toEqual([
      { username: "chief", role: "admin" },
    ]);
    const hash = (sqlite.prepare("select password_hash as h from users").get() as { h: string }).h;
    expect(hash).toMatch(/^\$argon2id\$/);
    sqlite.close();

    const second = run();
    expect(second.status).toBe(1);
    expect(second.stderr).toContain("already has accounts");
  });

  it.each([
    ["a mobile number, which sign-in would read as one", "13800000000", "cannot look like a mobile number"],
    ["a mobile number written with +86", "+86 138 0000 0000", "cannot look like a mobile number"],
    ["too short", "ab", "3–32 letters"],
    ["empty", "", "3–32 letters"],
  ])("refuses an admin username that is %s, and creates nothing", (_, adminUsername, message) => {
    const elsewhere = path.join(dir, `refused-${Math.random().toString(36).slice(2)}.sqlite`);
    const result = run(adminUsername, elsewhere);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(existsSync(elsewhere)).toBe(false);
  });
});
