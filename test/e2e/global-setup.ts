import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    databasePath: string;
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

/** Builds the app and starts the real server, with demo data, on its own database file. */
export async function setup(project: TestProject) {
  const root = process.cwd();
  // The build people run: a production build (vitest's NODE_ENV=test would make a development one).
  execFileSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  dir = mkdtempSync(path.join(tmpdir(), "care-e2e-"));
  const databasePath = path.join(dir, "e2e.sqlite");
  const port = await freePort();
  server = spawn(process.execPath, ["build/server.js"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_PATH: databasePath, NODE_ENV: "test" },
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
}

export async function teardown() {
  server?.kill("SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
}
