import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { projectRoot } from "../../db/client.server";
import type { WriterResult, WriterTask } from "./writer-tasks.server";

/**
 * One worker thread with its own database connection, for writes long enough to hold the event
 * loop (decision 013). SQLite takes one writer at a time anyway, so one worker is enough; tasks
 * queue in the order they arrive. Reads elsewhere go on meanwhile (WAL). A crashed worker fails the
 * tasks in hand and is started again for the next.
 */
let worker: Worker | undefined;
let ready: Promise<void> | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

function start(): Promise<void> {
  const root = projectRoot;
  worker = new Worker(path.join(root, "app", "workers", "boot.mjs"), {
    workerData: { root, entry: pathToFileURL(path.join(root, "app", "workers", "writer.worker.ts")).href },
  });
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

/** Starts the worker ahead of its first task (at server start), so that task does not wait for it. */
export function warmUpBackgroundWriter(): Promise<void> {
  return worker ? ready! : start();
}

export async function runInBackground<K extends WriterTask["kind"]>(task: Extract<WriterTask, { kind: K }>): Promise<WriterResult<K>> {
  if (!worker) await start();
  else await ready;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    worker!.postMessage({ id, task });
  });
}

export async function stopBackgroundWriter(): Promise<void> {
  const w = worker;
  worker = undefined;
  await w?.terminate();
}
