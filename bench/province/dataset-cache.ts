import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { knownMigrations } from "../../db/migration-level.server";
import { projectRoot } from "../../db/paths";
import { DATASET_VERSION, scaleName, type Shape } from "./shape";

/**
 * Province datasets are built once per scale and kept in `.cache/province-<scale>/` (git-ignored):
 * a scale-1 build takes minutes. A kept dataset is used only if it was made by this generator
 * version on this release's migrations; any new migration (an index, a column, a table) means a
 * rebuild, so the bench always measures the schema of the checkout it runs in.
 */

export interface Manifest {
  datasetVersion: number;
  migrations: string[];
  scale: number;
  generatedOn: string;
  seconds: number;
  phases: Record<string, number>;
  counts: Shape;
  unplaced: number;
  pendingSignoffs: number;
}

export interface Dataset {
  folder: string;
  databaseFile: string;
  keyDir: string;
  contentDir: string;
  manifest: Manifest;
  /** Whether it was built by this run (else it was kept from an earlier one). */
  built: boolean;
}

export function datasetFolder(scale: number): string {
  return path.join(projectRoot, ".cache", `province-${scaleName(scale)}`);
}

function files(folder: string) {
  return {
    databaseFile: path.join(folder, "province.sqlite"),
    keyDir: path.join(folder, "keys"),
    contentDir: path.join(folder, "content"),
    manifest: path.join(folder, "manifest.json"),
  };
}

function currentManifest(folder: string): Manifest | null {
  const f = files(folder);
  if (!existsSync(f.manifest) || !existsSync(f.databaseFile)) return null;
  const manifest = JSON.parse(readFileSync(f.manifest, "utf8")) as Manifest;
  const migrations = knownMigrations().map((m) => m.tag);
  const current = manifest.datasetVersion === DATASET_VERSION && JSON.stringify(manifest.migrations) === JSON.stringify(migrations);
  return current ? manifest : null;
}

/** The dataset of `scale`, kept or built now (in a folder of its own, moved into place only when finished). */
export async function provinceDataset(scale: number, log: (line: string) => void): Promise<Dataset> {
  const folder = datasetFolder(scale);
  const kept = currentManifest(folder);
  if (kept) return { folder, ...files(folder), manifest: kept, built: false };

  log(`Building the province dataset at scale ${scaleName(scale)} (kept in ${path.relative(projectRoot, folder)} for later runs)`);
  mkdirSync(path.dirname(folder), { recursive: true });
  const building = `${folder}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "generate.ts"), building, String(scale)], {
    cwd: projectRoot,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let summary = "";
  createInterface({ input: child.stdout! }).on("line", (line) => {
    if (line.startsWith("{")) summary = line;
    else log(line);
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0 || !summary) {
    rmSync(building, { recursive: true, force: true });
    throw new Error(`the province generator stopped (exit ${code})`);
  }
  const made = JSON.parse(summary) as Omit<Manifest, "datasetVersion" | "migrations">;
  const manifest: Manifest = { datasetVersion: DATASET_VERSION, migrations: knownMigrations().map((m) => m.tag), ...made };
  writeFileSync(files(building).manifest, JSON.stringify(manifest, null, 2));
  rmSync(folder, { recursive: true, force: true });
  renameSync(building, folder);
  return { folder, ...files(folder), manifest, built: true };
}

/** The figures last measured at `scale`, if its dataset is still current. */
export function keptResults<T>(scale: number): T | null {
  const folder = datasetFolder(scale);
  const file = path.join(folder, "results.json");
  return currentManifest(folder) && existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : null;
}

export function keepResults(dataset: Dataset, results: unknown): void {
  writeFileSync(path.join(dataset.folder, "results.json"), JSON.stringify(results, null, 2));
}
