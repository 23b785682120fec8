import type { Manifest } from "./dataset-cache";
import { LEVEL_BUDGET_SECONDS, type Latency, type PageResult, type RunResult } from "./measure";
import { scaleName, shapeAt, type Shape } from "./shape";

/**
 * The figures as one table, with the targets beside them. Targets are reported, not asserted: a
 * figure beyond its target is marked ✗ and nothing fails.
 */
export const TARGETS = {
  cpuMs: 25,
  /** Cost at scale 1 over cost at scale 0.1. */
  scaleGrowth: 1.5,
  /** Cohort progress over its hand-written query. */
  progressOverSql: 3,
  p95At50: 250,
  rssMb: 300,
} as const;

const mark = (ok: boolean) => (ok ? " " : "✗");
const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(1) : n.toFixed(0)) : "—");

function cell(l: Latency, target?: number): string {
  if (l.skippedSeconds !== undefined) return `not run, ≥${l.skippedSeconds.toFixed(0)} s` + (target === undefined ? "" : mark(false));
  const text = `${ms(l.p50)}/${ms(l.p95)}/${ms(l.p99)}`;
  return target === undefined ? text : text + mark(l.p95 <= target);
}

/** Pages whose CPU is compared with their hand-written query: the three heaviest that have one, and cohort progress. */
function comparedWithSql(pages: PageResult[]): Set<string> {
  const heaviest = pages
    .filter((p) => p.sqlMs !== undefined)
    .sort((a, b) => b.cpuMs - a.cpuMs)
    .slice(0, 3)
    .map((p) => p.key);
  return new Set([...heaviest, "cohort-progress"]);
}

export function shapeLine(manifest: Manifest): string {
  const wanted = shapeAt(manifest.scale);
  const names: Record<keyof Shape, string> = {
    bases: "bases",
    cohorts: "cohorts",
    trainees: "trainees",
    learningEvents: "learning events",
    certificates: "certificates",
    claims: "claims",
    claimLines: "claim lines",
    placements: "placements",
    signoffs: "sign-offs",
    auditRows: "audit rows",
  };
  return (Object.keys(names) as (keyof Shape)[])
    .map((k) => `${names[k]} ${manifest.counts[k].toLocaleString("en")} (${wanted[k].toLocaleString("en")})`)
    .join(", ");
}

export function printReport(
  result: RunResult,
  manifest: Manifest,
  growth: { from: RunResult; to: RunResult } | null,
  print: (line: string) => void = console.log,
): void {
  const compared = comparedWithSql(result.pages);
  const growthOf = (key: string) => {
    if (!growth) return null;
    const a = growth.from.pages.find((p) => p.key === key);
    const b = growth.to.pages.find((p) => p.key === key);
    return a && b && a.cpuMs > 0 ? b.cpuMs / a.cpuMs : null;
  };
  print("");
  print(`Province at scale ${scaleName(result.scale)} — ${result.machine}; server WORKERS=${result.workers ?? "1"}`);
  print(`  dataset: ${shapeLine(manifest)} (wanted in brackets)`);
  print(
    `  generated on ${result.generatedOn} in ${result.generationSeconds.toFixed(0)} s${result.built ? "" : " (kept from an earlier run)"}; ` +
      `${manifest.unplaced} trainees left unplaced by auto-placement, ${manifest.pendingSignoffs} late sign-offs pending; measured cohort: ${result.cohortTrainees} trainees`,
  );
  const n = (l: 1 | 10 | 50) => result.pages.filter((p) => p.levels[l].skippedSeconds === undefined).map((p) => p.levels[l].requests);
  const range = (v: number[]) => (Math.min(...v) === Math.max(...v) ? `${v[0]}` : `${Math.min(...v)}–${Math.max(...v)}`);
  print(
    `  each page: server CPU per request over ${range(n(1))} sequential requests (c=1), then ${range(n(10))} requests at 10 connections and ${range(n(50))} at 50 ` +
      `(fewer for slow pages; a level is not run when its fewest requests would take over ${LEVEL_BUDGET_SECONDS} s one after another); ` +
      `latency p50/p95/p99 in ms; errors at c=1/10/50; "wall s" is the three levels' wall time, "load" the 1-min load average when they began`,
  );
  print("");
  const growthHead = growth ? `1 ÷ 0.1` : "";
  const head = [
    "page".padEnd(30),
    "as".padEnd(12),
    "CPU ms".padStart(8),
    growthHead.padStart(8),
    "÷ SQL".padStart(7),
    "c=1".padStart(16),
    "c=10".padStart(17),
    "c=50".padStart(18),
    "errors".padStart(8),
    "wall s".padStart(7),
    "load".padStart(6),
  ].join(" ");
  print(head);
  print("-".repeat(head.length));
  for (const p of result.pages) {
    const g = growthOf(p.key);
    const errors = p.levels[1].errors + p.levels[10].errors + p.levels[50].errors;
    const byLevel = ([1, 10, 50] as const)
      .map((l) => (p.levels[l].skippedSeconds === undefined ? String(p.levels[l].errors) : "-"))
      .join("/");
    const ratio = p.sqlMs && compared.has(p.key) ? p.cpuMs / p.sqlMs : null;
    const ratioOk = p.key !== "cohort-progress" || ratio === null || ratio <= TARGETS.progressOverSql;
    const wall = p.levels[1].seconds + p.levels[10].seconds + p.levels[50].seconds;
    print(
      [
        p.label.padEnd(30),
        p.role.padEnd(12),
        (ms(p.cpuMs) + mark(p.cpuMs <= TARGETS.cpuMs)).padStart(8),
        (g === null ? (growth ? "—" : "") : g.toFixed(2) + mark(g <= TARGETS.scaleGrowth)).padStart(8),
        (ratio === null ? "" : ratio.toFixed(1) + mark(ratioOk)).padStart(7),
        cell(p.levels[1]).padStart(16),
        cell(p.levels[10]).padStart(17),
        cell(p.levels[50], TARGETS.p95At50).padStart(18),
        (byLevel + mark(errors === 0)).padStart(8),
        wall.toFixed(1).padStart(7),
        p.levels[1].load.toFixed(1).padStart(6),
      ].join(" "),
    );
  }
  print("-".repeat(head.length));
  print(
    `targets: CPU ≤ ${TARGETS.cpuMs} ms a request; cost at scale 1 ≤ ${TARGETS.scaleGrowth} × at scale 0.1${growth ? "" : " (shown once both scales have been measured)"}; ` +
      `cohort progress ≤ ${TARGETS.progressOverSql} × its hand-written SQL (÷ SQL is shown for the three heaviest pages too); p95 ≤ ${TARGETS.p95At50} ms at 50 connections; no errors; RSS ≤ ${TARGETS.rssMb} MB`,
  );
  const rssOk = result.rss.peak <= TARGETS.rssMb;
  const each =
    result.rss.each && result.rss.each.length > 1
      ? ` (after, by process: ${result.rss.each.map((mb) => mb.toFixed(0)).join(" + ")} MB)`
      : "";
  const pss = result.rss.pss === undefined ? "" : `; PSS after ${result.rss.pss.toFixed(0)} MB (pages the processes share counted once)`;
  print(
    `server memory (RSS): ${result.rss.before.toFixed(0)} MB before, ${result.rss.after.toFixed(0)} MB after, peak ${result.rss.peak.toFixed(0)} MB ${rssOk ? "✓" : "✗"}${each}${pss}`,
  );
  print(`load average (1 min): ${result.load.start.toFixed(2)} at the start, ${result.load.end.toFixed(2)} at the end`);
  const misses = result.pages.filter((p) => p.cpuMs > TARGETS.cpuMs).map((p) => p.label);
  const slow = result.pages
    .filter((p) => p.levels[50].skippedSeconds !== undefined || p.levels[50].p95 > TARGETS.p95At50)
    .map((p) => p.label);
  const failed = result.pages.filter((p) => p.firstError).map((p) => `${p.label} (${p.firstError})`);
  print(
    `over ${TARGETS.cpuMs} ms CPU: ${misses.join(", ") || "none"}; p95 over ${TARGETS.p95At50} ms at 50: ${slow.join(", ") || "none"}; errors: ${failed.join(", ") || "none"}`,
  );
  if (growth) {
    const grown = result.pages
      .filter((p) => (growthOf(p.key) ?? 0) > TARGETS.scaleGrowth)
      .map((p) => `${p.label} ×${growthOf(p.key)!.toFixed(1)}`);
    print(
      `cost growing more than ${TARGETS.scaleGrowth}× from scale 0.1 (measured ${growth.from.measuredAt.slice(0, 10)}) to 1 (measured ${growth.to.measuredAt.slice(0, 10)}): ${grown.join(", ") || "none"}`,
    );
  }
}
