/**
 * Reads one roster file for `bench/run.ts`, in a process of its own so that the peak memory it
 * reports is the reading's alone: the peak is taken over the first reading, which also finds the
 * code cold, as the first upload after a start would; the readings after it show the usual time.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { readRoster } from "../app/services/spreadsheets.server";

const file = new Uint8Array(readFileSync(process.argv[2]));
const timed = () => {
  const start = performance.now();
  const read = readRoster(file);
  return { ms: performance.now() - start, outcome: read.ok ? `${read.value.length} rows` : read.errors.roster };
};
const baselineKb = process.resourceUsage().maxRSS;
const first = timed();
const peakGrowthMb = (process.resourceUsage().maxRSS - baselineKb) / 1024;
const warm = Array.from({ length: 5 }, () => timed().ms).sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ outcome: first.outcome, firstMs: first.ms, warmMs: warm[2], peakGrowthMb }));
