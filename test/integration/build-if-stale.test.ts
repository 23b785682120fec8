import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const script = path.join(process.cwd(), "scripts", "build-if-stale.mjs");
const OUTPUTS = ["build/server.js", "build/index.js", "build/app/workers/writer.worker.js", "build/scripts/backup.js", "public/build/x.js"];

/** A checkout in miniature: sources, perhaps a build, perhaps the build tools, and an `npm` that records being asked to build. */
function checkout(options: { built?: "before" | "after"; tools?: boolean }) {
  const root = mkdtempSync(path.join(tmpdir(), "stale-"));
  const file = (name: string, at: number) => {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), "x");
    utimesSync(path.join(root, name), at, at);
  };
  const sourcesAt = 2_000_000_000;
  file("app/routes/home.tsx", sourcesAt);
  file("server.ts", sourcesAt - 100);
  if (options.built) for (const o of OUTPUTS) file(o, options.built === "after" ? sourcesAt + 10 : sourcesAt - 10);
  if (options.built) utimesSync(path.join(root, "public/build"), sourcesAt + (options.built === "after" ? 10 : -10), sourcesAt);
  if (options.tools) mkdirSync(path.join(root, "node_modules/@remix-run/dev"), { recursive: true });
  mkdirSync(path.join(root, "bin"));
  writeFileSync(path.join(root, "bin/npm"), `#!/bin/sh\necho "$@" > "${root}/asked-to-build"\n`);
  chmodSync(path.join(root, "bin/npm"), 0o755);
  const run = spawnSync(process.execPath, [script], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, PATH: `${path.join(root, "bin")}:${process.env.PATH}` },
  });
  const asked = existsSync(path.join(root, "asked-to-build")) ? readFileSync(path.join(root, "asked-to-build"), "utf8").trim() : null;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, asked };
}

describe("npm start builds only when it must", () => {
  it("builds when there is no build, saying so on stderr so a script's output stays clean", () => {
    const run = checkout({ tools: true });
    expect(run).toMatchObject({ status: 0, asked: "run build --silent", stdout: "" });
    expect(run.stderr).toContain("no build yet");
  });

  it("builds again when a source is newer than the build", () => {
    expect(checkout({ built: "before", tools: true })).toMatchObject({ status: 0, asked: "run build --silent" });
  });

  it("starts at once on a build newer than its sources", () => {
    expect(checkout({ built: "after", tools: true })).toMatchObject({ status: 0, asked: null, stderr: "" });
  });

  it("refuses, saying what to do, when the build is stale and the build tools are not installed", () => {
    const run = checkout({ built: "before", tools: false });
    expect(run).toMatchObject({ status: 1, asked: null });
    expect(run.stderr).toContain("npm run build");
  });
});
