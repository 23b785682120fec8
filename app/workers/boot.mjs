// Starts a worker thread on TypeScript source: registers tsx in this thread, then loads the entry.
import { pathToFileURL } from "node:url";
import { workerData } from "node:worker_threads";

const { register } = await import(pathToFileURL(`${workerData.root}/node_modules/tsx/dist/esm/api/index.mjs`).href);
register();
await import(workerData.entry);
