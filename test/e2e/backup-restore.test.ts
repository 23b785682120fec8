import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCharacter } from "../../app/domain/resident-id";
import { qrLink, type CertificatePayload } from "../../app/domain/certificate";
import { spawnServer, type Exit, type ServerProcess } from "../support/server-process";

const dir = mkdtempSync(path.join(tmpdir(), "care-backup-"));
const live = path.join(dir, "live", "app.sqlite");
const backup = path.join(dir, "backup");
const restored = { DATABASE_PATH: path.join(dir, "restored", "app.sqlite"), CERT_KEY_DIR: path.join(dir, "restored-keys") };
let certificate: { serial: string; link: string };
let server: ServerProcess | undefined;
let writer: ChildProcess | undefined;

/** One of the npm scripts as `npm run backup` runs it: the built script, with plain node and the given environment. */
function script(name: "backup" | "restore", args: string[], env: Record<string, string>): Promise<Exit> {
  const child = spawn(process.execPath, [`build/scripts/${name}.js`, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, output })));
}

/** Another process adding numbered audit rows, one per transaction, every millisecond or so, until killed. */
function startWriter(file: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `const db = new (require("better-sqlite3"))(process.argv[1]);
       db.pragma("journal_mode = WAL"); db.pragma("busy_timeout = 5000");
       const insert = db.prepare("insert into audit_log (action, entity_type, entity_id) values ('test.write', 'test', ?)");
       let n = 0;
       setInterval(() => { insert.run(String(++n)); if (n === 50) console.log("writing"); }, 1);`,
      file,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve) => child.stdout!.once("data", () => resolve(child)));
}

const writtenRows = (sqlite: Database.Database) =>
  sqlite.prepare("select cast(entity_id as integer) from audit_log where action = 'test.write' order by id").pluck().all() as number[];

beforeAll(async () => {
  // A certificate issued through the app's own services, into a database of this file's own.
  mkdirSync(path.dirname(live));
  process.env.DATABASE_PATH = live;
  const { cohortWithTrainees, completeEnrolment, userId, withDemoData } = await import("../integration/fixtures");
  const { getCertificate, issueCertificate } = await import("../../app/services/certificates.server");
  await withDemoData();
  const first17 = "33010519800101101";
  const { cohort, enrolmentIds } = await cohortWithTrainees("BASE-GERI", [
    { name: "钱备份", mobile: "13500000301", idNumber: first17 + checkCharacter(first17) },
  ]);
  await completeEnrolment(cohort, enrolmentIds[0]);
  const issued = await issueCertificate(userId("registrar"), enrolmentIds[0]);
  if (!issued.ok) throw new Error(issued.errors._form);
  const c = getCertificate(issued.value)!;
  const link = new URL(qrLink(c.verifyBase, JSON.parse(c.payload) as CertificatePayload, c.signature));
  certificate = { serial: c.serial, link: link.pathname + link.search };
}, 60_000);

afterAll(() => {
  writer?.kill("SIGKILL");
  if (server && server.child.exitCode === null) server.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("backup and restore", () => {
  it("backs up a consistent copy of the database and the signing key while another process keeps writing", async () => {
    writer = await startWriter(live);
    const { db } = await import("../../db/client.server");
    const committedBefore = writtenRows(db().$client).length;
    const result = await script("backup", [backup], { DATABASE_PATH: live });
    const committedAfter = writtenRows(db().$client).length;
    writer.kill("SIGKILL");
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`Backed up the database ${live}`);
    expect(result.output).toContain("Backed up 5 key file(s)");
    expect(committedAfter).toBeGreaterThan(committedBefore); // the writes went on during the backup

    const manifest = JSON.parse(readFileSync(path.join(backup, "manifest.json"), "utf8"));
    // The app secret that activation codes are checked with travels with the signing key.
    // The Ed25519 key and its public half, the PDF-signing key and its certificate, and the app secret.
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual([
      "database.sqlite",
      "keys/app-secret.key",
      "keys/certificate-signing-key.pdf-certificate.pem",
      "keys/certificate-signing-key.pdf.pem",
      "keys/certificate-signing-key.pem",
      "keys/certificate-signing-key.pub.pem",
    ]);
    expect(manifest.migrations.level).toMatch(/^\d{4}_\S+ \((\d+) of \1\)$/);
    expect(manifest).toMatchObject({ app: { name: "care-training" }, source: { database: live, signingKeyFolder: path.dirname(live) } });

    // A snapshot: every row committed before the backup began, then an unbroken run, nothing half-written.
    const copy = new Database(path.join(backup, "database.sqlite"), { readonly: true });
    const rows = writtenRows(copy);
    expect(rows.length).toBeGreaterThanOrEqual(committedBefore);
    expect(rows).toEqual(rows.map((_, i) => i + 1));
    expect(copy.prepare("select count(*) from certificates where serial = ?").pluck().get(certificate.serial)).toBe(1);
    copy.close();
    expect(existsSync(path.join(backup, "database.sqlite-wal"))).toBe(false);
  });

  it("restores into a fresh folder, where the real server verifies the certificate issued before the backup", async () => {
    mkdirSync(path.dirname(restored.DATABASE_PATH));
    const result = await script("restore", [backup], restored);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`Restored the database to ${restored.DATABASE_PATH}`);
    expect(result.output).toContain(path.join(restored.CERT_KEY_DIR, "certificate-signing-key.pem"));
    expect(result.output).toContain(path.join(restored.CERT_KEY_DIR, "app-secret.key"));

    server = await spawnServer(restored);
    await server.listening;
    const page = await (await fetch(`${server.url}${certificate.link}`)).text();
    expect(page).toContain(certificate.serial);
    expect(page).toContain('data-status="valid"');
    expect(page).toContain("二维码中的数字签名有效"); // signed with the restored key, not a new one
    const published = await (await fetch(`${server.url}/.well-known/certificate-signing-key.pem`)).text();
    expect(published).toBe(readFileSync(path.join(path.dirname(live), "certificate-signing-key.pub.pem"), "utf8"));
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("refuses a tampered backup and a database a server has open, changing nothing", async () => {
    const tampered = path.join(dir, "tampered");
    cpSync(backup, tampered, { recursive: true });
    const copy = path.join(tampered, "database.sqlite");
    const bytes = readFileSync(copy);
    bytes[bytes.length - 100] ^= 0xff;
    writeFileSync(copy, bytes);
    const elsewhere = { DATABASE_PATH: path.join(dir, "elsewhere", "app.sqlite"), CERT_KEY_DIR: path.join(dir, "elsewhere") };
    mkdirSync(path.dirname(elsewhere.DATABASE_PATH));

    const [fromTampered, ontoLive] = await Promise.all([
      script("restore", [tampered], elsewhere),
      script("restore", [backup, "--force"], restored),
    ]);
    expect(fromTampered.code).toBe(1);
    expect(fromTampered.output).toContain("database.sqlite does not match its SHA-256 checksum");
    expect(fromTampered.output).toContain("Nothing was restored");
    expect(fromTampered.output).not.toMatch(/^\s+at /m);
    expect(existsSync(elsewhere.DATABASE_PATH)).toBe(false);
    expect(existsSync(path.join(elsewhere.CERT_KEY_DIR, "certificate-signing-key.pem"))).toBe(false);

    expect(ontoLive.code).toBe(1);
    expect(ontoLive.output).toContain(`The database ${restored.DATABASE_PATH} is in use`);
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);

    server!.child.kill("SIGTERM");
    expect((await server!.exited).code).toBe(0);
  });
});
