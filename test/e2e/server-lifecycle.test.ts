import { request } from "node:http";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client.server";
import { spawnServer, type ServerProcess } from "../support/server-process";
import { openTo, unprivileged } from "../support/unprivileged";

const dir = mkdtempSync(path.join(tmpdir(), "care-lifecycle-"));
chmodSync(dir, 0o755);
const databasePath = path.join(dir, "app.sqlite");
let server: ServerProcess;

beforeAll(async () => {
  server = await spawnServer({ DATABASE_PATH: databasePath });
  await server.listening;
}, 60_000);

afterAll(() => {
  if (server.child.exitCode === null) server.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

async function health() {
  const response = await fetch(`${server.url}/healthz`);
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

describe("/healthz", () => {
  it("answers 200 without a session when the database, migrations and signing key are in order, and is never cached", async () => {
    const { status, headers, body } = await health();
    expect(status).toBe(200);
    expect(body).toEqual({ ok: true, database: "ok", migrations: "current", signingKey: "present" });
    expect(headers.get("cache-control")).toBe("no-store");
    expect(headers.get("set-cookie")).toBeNull();
  });

  it("answers 503, saying what is wrong, when the signing key has gone from disk", async () => {
    const key = path.join(dir, "certificate-signing-key.pem");
    renameSync(key, `${key}.away`);
    try {
      const { status, body } = await health();
      expect(status).toBe(503);
      expect(body).toEqual({ ok: false, database: "ok", migrations: "current", signingKey: "missing" });
    } finally {
      renameSync(`${key}.away`, key);
    }
    expect((await health()).status).toBe(200);
  });
});

describe("stopping", () => {
  it("on SIGTERM takes no new connections, finishes the request in flight, checkpoints the database and exits 0", async () => {
    const wal = `${databasePath}-wal`;
    expect(statSync(wal).size).toBeGreaterThan(0); // the migrations are still in the WAL file

    // A sign-in whose form arrives in two parts: the request is in flight until the second part is sent.
    const body = "identifier=nobody&password=not-the-password";
    const responded = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${server.url}/login?index`,
        { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) } },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString()));
          res.on("end", () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on("error", reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        server.child.kill("SIGTERM");
        setTimeout(() => req.end(body.slice(10)), 1_000);
      }, 500);
    });
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(server.output()).toContain("SIGTERM: taking no new connections; finishing 1 request(s) in flight");
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    expect(server.child.exitCode).toBeNull();

    const response = await responded;
    expect(response.status).toBeLessThan(500);
    expect(response.text.length).toBeGreaterThan(0);
    const exit = await server.exited;
    expect(exit.code, exit.output).toBe(0);
    expect(exit.output).toContain("Database checkpointed and closed. Stopped.");
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    const sqlite = new Database(databasePath, { readonly: true });
    expect(sqlite.prepare("select count(*) from __drizzle_migrations").pluck().get()).toBeGreaterThan(0);
    sqlite.close();
  });
});

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
      {
        env: { DATABASE_PATH: readOnlyFolder.file },
        says: [`The folder of the database, ${readOnlyFolder.folder}, is read-only`],
        as: unprivileged,
      },
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
