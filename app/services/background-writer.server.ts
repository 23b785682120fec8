import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { projectRoot } from "../../db/client.server";
import type { WriterResult, WriterTask } from "./writer-tasks.server";

/**
 * One worker thread with its own database connection, for writes long enough to hold the event
 * loop (decision 013). SQLite takes one writer at a time anyway, so one worker is enough; tasks
 * queue in the order they arrive. Reads elsewhere go on meanwhile (WAL). A crashed worker fails the
 * tasks in hand and is started again for the next. The thread holds some 50 MB (its own JavaScript
 * engine and connection), so it is started by the first task and stopped when none has come for
 * IDLE_MS: a server that imports nothing does not carry it.
 */
const IDLE_MS = 120_000;
let idleTimer: NodeJS.Timeout | undefined;
let worker: Worker | undefined;
let ready: Promise<void> | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

/**
 * The built server starts the worker's built file with plain node; running from the TypeScript
 * sources (tests, `npm run dev`), this module is itself a .ts file and the worker is loaded through tsx.
 */
const fromSources = fileURLToPath(import.meta.url).endsWith(".ts");

function start(): Promise<void> {
  const root = projectRoot;
  worker = fromSources
    ? new Worker(path.join(root, "app", "workers", "boot.mjs"), {
        workerData: { root, entry: pathToFileURL(path.join(root, "app", "workers", "writer.worker.ts")).href },
      })
    : new Worker(path.join(root, "build", "app", "workers", "writer.worker.js"));
  worker.unref();
  const started = worker;
  ready = new Promise((resolve, reject) => {
    started.on("message", (message: { ready?: true; id?: number; ok?: boolean; result?: unknown; error?: string }) => {
      if (message.ready) return resolve();
      const waiting = pending.get(message.id!);
      pending.delete(message.id!);
      if (message.ok) waiting?.resolve(message.result);
      else waiting?.reject(new Error(message.error));
    });
    started.on("error", (e) => {
      reject(e);
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
    started.on("exit", () => {
      if (worker === started) worker = undefined;
    });
  });
  return ready;
}

/** Stops the thread once it has had nothing to do for IDLE_MS; a later task starts it again. */
function stopWhenIdle() {
  clearTimeout(idleTimer);
  if (pending.size > 0) return;
  idleTimer = setTimeout(() => {
    if (pending.size === 0) void stopBackgroundWriter();
  }, IDLE_MS);
  idleTimer.unref();
}

export async function runInBackground<K extends WriterTask["kind"]>(task: Extract<WriterTask, { kind: K }>): Promise<WriterResult<K>> {
  clearTimeout(idleTimer);
  if (!worker) await start();
  else await ready;
  const id = nextId++;
  return new Promise<WriterResult<K>>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    worker!.postMessage({ id, task });
  }).finally(stopWhenIdle);
}

/** Whether the thread is running now (it is not until a task needs it, nor after IDLE_MS idle). */
export function backgroundWriterRunning(): boolean {
  return worker !== undefined;
}

export async function stopBackgroundWriter(): Promise<void> {
  const w = worker;
  worker = undefined;
  await w?.terminate();
}
