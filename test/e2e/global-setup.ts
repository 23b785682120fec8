import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { SMTPServer } from "smtp-server";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    databasePath: string;
    /** Where the mail server the app sends to keeps each message, one .eml file each. */
    mailDir: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

let server: ChildProcess | undefined;
let dir: string | undefined;
let mail: SMTPServer | undefined;

/** A mail server on this machine for the app to send to, keeping every message as a file. */
async function startMailServer(mailDir: string): Promise<string> {
  mkdirSync(mailDir, { recursive: true });
  let n = 0;
  mail = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        writeFileSync(path.join(mailDir, `${String(++n).padStart(4, "0")}.eml`), Buffer.concat(chunks));
        done();
      });
    },
  });
  await new Promise<void>((resolve) => mail!.listen(0, "127.0.0.1", resolve));
  return `smtp://127.0.0.1:${(mail.server.address() as { port: number }).port}`;
}

/** Builds the app and starts the real server, with demo data, on its own database file. */
export async function setup(project: TestProject) {
  const root = process.cwd();
  // The build people run: a production build (vitest's NODE_ENV=test would make a development one).
  execFileSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  dir = mkdtempSync(path.join(tmpdir(), "care-e2e-"));
  const databasePath = path.join(dir, "e2e.sqlite");
  const port = await freePort();
  const mailDir = path.join(dir, "mail");
  const smtpUrl = await startMailServer(mailDir);
  server = spawn(process.execPath, ["build/server.js"], {
    cwd: root,
    // Scheduled work every second, so e-mail goes out while a test waits for it.
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_PATH: databasePath,
      NODE_ENV: "test",
      SMTP_URL: smtpUrl,
      MAIL_FROM: "医养培训 <noreply@care.test>",
      JOB_TICK_SECONDS: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Listening on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    server!.stdout!.on("data", onData);
    server!.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    server!.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  project.provide("baseURL", `http://127.0.0.1:${port}`);
  project.provide("databasePath", databasePath);
  project.provide("mailDir", mailDir);
}

export async function teardown() {
  server?.kill("SIGTERM");
  await new Promise<void>((resolve) => (mail ? mail.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
}
