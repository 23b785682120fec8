import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { freePort } from "../import-under-load";
import { projectRoot } from "../../db/paths";

/**
 * The built server (`server.ts` over the production build), started as people start it, on a copy
 * of the province database, with what the kernel says about the process: CPU time spent (every
 * thread of it: the request loop, the background writer, SQLite) and memory held.
 */

/** Clock ticks per second of /proc's CPU times (100 on Linux almost everywhere). */
const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** The process and every process it started (the workers of WORKERS=N), as the kernel lists them. */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const listed = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      if (listed) children = children.concat(listed.split(/\s+/).map(Number));
    }
  } catch {
    // The process ended between listing and reading: it has no children left.
  }
  return [pid, ...children.flatMap(processTree)];
}

/** User plus system CPU time the server (all its processes) has spent so far, in milliseconds (10 ms steps). */
export function cpuMs(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + processCpuMs(p), 0);
}

function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/** A "Field:   1234 kB" line of a /proc file, in MB. */
function megabytes(text: string, field: string): number {
  return Number(text.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"))?.[1] ?? NaN) / 1024;
}

/**
 * Memory of the server (all its processes together, and each of them) now and at its highest so far,
 * in MB. RSS counts pages the processes share (node's own code, the app's modules before they are
 * touched) once in each process; PSS shares them out, so its sum is what the server costs the machine.
 */
export function memoryMb(pid: number): { rss: number; peak: number; pss: number; each: number[] } {
  const each = processTree(pid).map((p) => {
    const status = readFileSync(`/proc/${p}/status`, "utf8");
    return {
      rss: megabytes(status, "VmRSS"),
      peak: megabytes(status, "VmHWM"),
      pss: megabytes(readFileSync(`/proc/${p}/smaps_rollup`, "utf8"), "Pss"),
    };
  });
  const sum = (field: "rss" | "peak" | "pss") => each.reduce((total, m) => total + m[field], 0);
  return { rss: sum("rss"), peak: sum("peak"), pss: sum("pss"), each: each.map((m) => m.rss) };
}

/** The production build of this checkout, as `npm start` makes it (once per bench run). */
export function buildApp(): void {
  execFileSync("npm", ["run", "build", "--silent"], {
    cwd: projectRoot,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
}

/** The 1-minute load average of the machine. */
export function loadAverage(): number {
  return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
}

export interface RunningServer {
  pid: number;
  url: string;
  /** What the server has printed since it started listening (its error messages, if any). */
  output(): string;
  stop(): Promise<void>;
}

export async function startServer(input: {
  databaseFile: string;
  keyDir: string;
  contentDir: string;
  workers: string;
}): Promise<RunningServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["build/server.js"], {
    cwd: projectRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_PATH: input.databaseFile,
      CERT_KEY_DIR: input.keyDir,
      CONTENT_DIR: input.contentDir,
      // As in production (React's production build, no demo data); plain HTTP because it is local.
      NODE_ENV: "production",
      // The pages alone: the day's reminder run (once a day at 07:00 in production) would otherwise
      // start on every copy of the database, in the middle of the measurements.
      JOB_TICK_SECONDS: "0",
      ALLOW_HTTP: "1",
      WORKERS: input.workers,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 120 s:\n${output}`)), 120_000);
    child.stdout!.on("data", (c: Buffer) => {
      output += c;
      if (output.includes("Listening on")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on("data", (c: Buffer) => (output += c));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server stopped (exit ${code}):\n${output}`));
    });
  });
  child.removeAllListeners("exit");
  const started = output.length;
  return {
    pid: child.pid!,
    url: `http://127.0.0.1:${port}`,
    output: () => output.slice(started),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
