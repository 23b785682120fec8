import { performance } from "node:perf_hooks";
import { keepResults, keptResults, provinceDataset } from "./dataset-cache";
import { measureProvince, type RunResult } from "./measure";
import { printReport } from "./report";
import { buildApp } from "./server-process";
import { scaleName } from "./shape";

/**
 * `npm run bench -- --province [--scale 0.1]`: builds (or reuses) the province dataset of that
 * scale, builds the app as `npm start` does, measures the key pages on the server and prints one
 * table. Scale 1 is the default; `--workers N` runs the server as WORKERS=N (default: one per core).
 */
export async function provinceBench(args: string[]): Promise<void> {
  const at = args.indexOf("--scale");
  const scale = at >= 0 ? Number(args[at + 1]) : 1;
  if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be a number above 0 and at most 1, not ${args[at + 1]}`);
  const w = args.indexOf("--workers");
  const workers = w >= 0 ? args[w + 1] : "auto";
  const started = performance.now();
  const log = (line: string) => console.log(line);
  const dataset = await provinceDataset(scale, log);
  log("Building the app as `npm start` does");
  buildApp();
  log(`Measuring the key pages at scale ${scaleName(scale)} on the server (WORKERS=${workers})`);
  const result = await measureProvince(dataset, workers, log);
  keepResults(dataset, result);
  // Cost as the province grows: scale 1 against scale 0.1, whichever of the two was measured earlier.
  const other = scale === 1 ? 0.1 : scale === 0.1 ? 1 : null;
  const kept = other === null ? null : keptResults<RunResult>(other);
  const growth = kept ? (scale === 1 ? { from: kept, to: result } : { from: result, to: kept }) : null;
  printReport(result, dataset.manifest, growth);
  log(`(province bench took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
