import { closeSync, copyFileSync, cpSync, fsyncSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { shanghaiDate } from "../../app/domain/dates";
import { boardWindow } from "../../app/domain/rotation";
import type { Dataset } from "./dataset-cache";
import { districtPolicyCode, districtPolicyWindow } from "./district-policies";
import { concurrent, percentile, sequential, signIn, type Run, type Sample } from "./http-load";
import { identifiers, keyPages } from "./key-pages";
import { findFixtures } from "./schema-sql";
import { cpuMs, loadAverage, memoryMb, startServer } from "./server-process";
import { DEMO_PASSWORD } from "../../db/seed/demo";

/**
 * Each key page measured on the built server: server CPU per request over a run of sequential
 * requests (from the kernel's account of the server process, so it includes SQLite and every
 * thread, and nothing of the client), latency at 1, 10 and 50 connections, errors; the server's
 * memory before and after; and the hand-written query each page's numbers are compared with.
 * The server runs on a copy of the dataset, so every run starts from the same records.
 */

export interface Latency {
  /** Set when the level was not run: its fewest requests, one after another, would have taken this long. */
  skippedSeconds?: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  errors: number;
  /** Wall time of the whole level. */
  seconds: number;
  /** Load average of the machine when the level started. */
  load: number;
}

export interface PageResult {
  key: string;
  label: string;
  role: string;
  cpuMs: number;
  levels: { 1: Latency; 10: Latency; 50: Latency };
  firstError?: string;
  /** CPU of the hand-written query, per run. */
  sqlMs?: number;
}

export interface RunResult {
  scale: number;
  measuredAt: string;
  machine: string;
  generatedOn: string;
  generationSeconds: number;
  built: boolean;
  /** `each`: every process after the load, the first being the one started (the supervisor when there are several). */
  rss: { before: number; after: number; peak: number; each?: number[]; pss?: number };
  load: { start: number; end: number };
  cohortTrainees: number;
  /** The server's WORKERS setting. */
  workers: string;
  pages: PageResult[];
}

/**
 * Requests per level: enough to read percentiles from, and for the CPU figure at least a second of
 * requests (the kernel counts CPU in 10 ms steps); few enough that a slow page keeps CI short.
 */
export const LEVELS: Record<1 | 10 | 50, Run> = {
  1: { least: 5, wanted: 300, enough: { requests: 30, ms: 1000 }, maxMs: 4000 },
  10: { least: 10, wanted: 50, maxMs: 4000 },
  50: { least: 50, wanted: 100, maxMs: 4000 },
};

/**
 * A level is not run when its fewest requests would keep the server busy longer than this: a page
 * that takes a second alone answers 50 connections in about 50 s, far past any target, and running
 * it would only make the bench too long for CI.
 */
export const LEVEL_BUDGET_SECONDS = 15;

function latency(sample: Sample, seconds: number, load: number): Latency {
  return {
    p50: percentile(sample.latencies, 50),
    p95: percentile(sample.latencies, 95),
    p99: percentile(sample.latencies, 99),
    requests: sample.latencies.length,
    errors: sample.errors,
    seconds,
    load,
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, (performance.now() - start) / 1000];
}

/** CPU of one run of a query on this process, in ms: repeated until 300 ms have been spent or 50 runs made. */
function queryCpuMs(run: () => unknown[]): number {
  run();
  const start = process.cpuUsage();
  const began = performance.now();
  let runs = 0;
  while (runs < 5 || (runs < 50 && performance.now() - began < 300)) {
    run();
    runs++;
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / runs;
}

function flushToDisk(file: string): void {
  const fd = openSync(file, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export async function measureProvince(dataset: Dataset, workers: string, log: (line: string) => void): Promise<RunResult> {
  const work = mkdtempSync(path.join(tmpdir(), "care-province-"));
  try {
    const databaseFile = path.join(work, "province.sqlite");
    copyFileSync(dataset.databaseFile, databaseFile);
    // Written out before anything is timed: at scale 1 the kernel would otherwise still be flushing
    // gigabytes of the copy to disk while the first pages are measured.
    flushToDisk(databaseFile);
    cpSync(dataset.keyDir, path.join(work, "keys"), { recursive: true });
    const readonly = new Database(databaseFile, { readonly: true });
    const fixtures = findFixtures(readonly, shanghaiDate(new Date().toISOString()));
    readonly.close();

    const loadStart = loadAverage();
    const server = await startServer({ databaseFile, keyDir: path.join(work, "keys"), contentDir: dataset.contentDir, workers });
    const pages: PageResult[] = [];
    let rss: RunResult["rss"];
    try {
      const cookies: Record<string, string | undefined> = {};
      for (const [role, identifier] of Object.entries(identifiers(fixtures)))
        cookies[role] = await signIn(server.url, identifier, DEMO_PASSWORD);
      // Browsers keep their connections open, so the fifty connections are opened once, here, and
      // not inside the first page's measurement (which then paid for every handshake and hand-over).
      await concurrent(server.url, { method: "GET", path: "/login", expect: [200] }, 50, { least: 100, wanted: 100, maxMs: 0 });
      const before = memoryMb(server.pid);
      for (const page of keyPages(fixtures)) {
        const request = { ...page.request, cookie: cookies[page.role] };
        // Warm-up: the first requests of a page compile and cache what later ones reuse, in every
        // worker (four connections reach each of them); what is measured is the server as it runs.
        const warm = await concurrent(server.url, request, 4, { least: 8, wanted: 40, maxMs: 1500 });
        let index = warm.latencies.length;
        const load1 = loadAverage();
        const cpu0 = cpuMs(server.pid);
        const [one, s1] = await timed(() => sequential(server.url, request, LEVELS[1], index));
        const cpu = (cpuMs(server.pid) - cpu0) / one.latencies.length;
        index += one.latencies.length;
        const alone = one.latencies.reduce((a, b) => a + b, 0) / one.latencies.length / 1000;
        const level = async (connections: 10 | 50): Promise<[Latency, string | undefined]> => {
          const estimate = LEVELS[connections].least * alone;
          if (estimate > LEVEL_BUDGET_SECONDS)
            return [{ ...latency({ latencies: [], errors: 0 }, 0, loadAverage()), skippedSeconds: estimate }, undefined];
          const load = loadAverage();
          const [sample, seconds] = await timed(() => concurrent(server.url, request, connections, LEVELS[connections], index));
          index += sample.latencies.length;
          return [latency(sample, seconds, load), sample.firstError];
        };
        const [ten, tenError] = await level(10);
        const [fifty, fiftyError] = await level(50);
        pages.push({
          key: page.key,
          label: page.label,
          role: page.role,
          cpuMs: cpu,
          levels: { 1: latency(one, s1, load1), 10: ten, 50: fifty },
          firstError: one.firstError ?? tenError ?? fiftyError,
        });
        log(`  ${page.label}: ${cpu.toFixed(1)} ms CPU a request`);
      }
      const after = memoryMb(server.pid);
      rss = { before: before.rss, after: after.rss, peak: after.peak, each: after.each, pss: after.pss };
    } finally {
      await server.stop();
    }

    // The floor: the same numbers read by hand, on the same file, with nothing else running.
    const sqlite = new Database(databaseFile, { readonly: true });
    const extra = {
      policyCode: districtPolicyCode(fixtures.base.regionCode),
      window: districtPolicyWindow(dataset.manifest.generatedOn),
      board: boardWindow(null, null, fixtures.today),
    };
    for (const page of keyPages(fixtures)) {
      if (!page.reference) continue;
      const reference = page.reference;
      pages.find((p) => p.key === page.key)!.sqlMs = queryCpuMs(() => reference(sqlite, fixtures, extra));
    }
    sqlite.close();

    return {
      scale: dataset.manifest.scale,
      measuredAt: new Date().toISOString(),
      machine: `${process.platform} ${process.arch}, ${cpus().length} CPUs, Node ${process.version}`,
      generatedOn: dataset.manifest.generatedOn,
      generationSeconds: dataset.manifest.seconds,
      built: dataset.built,
      rss,
      load: { start: loadStart, end: loadAverage() },
      cohortTrainees: fixtures.cohort.enrolmentIds.length,
      workers,
      pages,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
