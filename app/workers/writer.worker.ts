/**
 * The background writer: long write transactions (a 2,000-person roster) run here, on this thread's
 * own database connection, so the server's event loop keeps answering everyone else meanwhile.
 * Tasks arrive one at a time; each answer carries the task's id.
 */
import { parentPort } from "node:worker_threads";
import { writerTasks, type WriterTask } from "../services/writer-tasks.server";

parentPort!.on("message", async (message: { id: number; task: WriterTask }) => {
  try {
    const result = await writerTasks[message.task.kind](message.task as never);
    parentPort!.postMessage({ id: message.id, ok: true, result });
  } catch (e) {
    parentPort!.postMessage({ id: message.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
parentPort!.postMessage({ ready: true });
