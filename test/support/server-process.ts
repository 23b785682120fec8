import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export type Exit = { code: number | null; signal: NodeJS.Signals | null; output: string };

export type ServerProcess = {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<Exit>;
  /** Resolves once the server listens; rejects with its output if it exits first. */
  listening: Promise<void>;
};

/** The real built server (`node build/server.js`, as `npm start` runs it) on a database of the test's choosing, without demo data. */
export async function spawnServer(env: Record<string, string>, options: { uid?: number; gid?: number } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ["build/server.js"], {
    cwd: process.cwd(),
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DEMO_DATA: "0", NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    ...options,
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  // "close", not "exit": by then everything the process printed has been read.
  const exited = new Promise<Exit>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, output })));
  const listening = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", () => output.includes("Listening on") && resolve());
    void exited.then((exit) => reject(new Error(`server exited (${exit.code ?? exit.signal}) before listening:\n${exit.output}`)));
  });
  listening.catch(() => undefined);
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited, listening };
}
