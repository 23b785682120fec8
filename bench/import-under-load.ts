/**
 * What other people notice while a registrar imports a 2,000-person roster: the real server (the
 * production build) runs on its own database with demo data, one client commits the roster, and
 * others keep loading the sign-in page and a public verification page meanwhile.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { checkCharacter } from "../app/domain/resident-id";

/** A port nothing listens on now, for a server of the bench's own. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function importUnderLoad(line: (name: string, value: string, target: string, ok: boolean) => void) {
  const dir = mkdtempSync(path.join(tmpdir(), "care-bench-load-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ["build/server.js"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_PATH: path.join(dir, "app.sqlite"),
      CERT_KEY_DIR: dir,
      NODE_ENV: "test",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = "";
      server.stdout!.on("data", (c: Buffer) => {
        out += c;
        if (out.includes("Listening on")) resolve();
      });
      server.stderr!.on("data", (c: Buffer) => (out += c));
      server.on("exit", () => reject(new Error(`server stopped:\n${out}`)));
    });
    const sqlite = new Database(path.join(dir, "app.sqlite"), { readonly: true });
    const serial = sqlite.prepare("select serial from certificates limit 1").pluck().get() as string;
    const cohort = sqlite
      .prepare(
        "select k.id, k.organisation_id as org from cohorts k join organisations o on o.id = k.organisation_id where k.name = '2026年第4期失能老人家庭照护者培训班'",
      )
      .get() as { id: string; org: string };
    sqlite.close();

    const signIn = await fetch(`${base}/login`, {
      method: "POST",
      body: new URLSearchParams({ identifier: "registrar", password: "Demo2026!" }),
      redirect: "manual",
    });
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    // The cohort's capacity is raised for the bench directly in the file: the roster must fit.
    const writable = new Database(path.join(dir, "app.sqlite"));
    writable.pragma("busy_timeout = 5000");
    writable.prepare("update cohorts set capacity = 3000 where id = ?").run(cohort.id);
    writable.close();
    const rows = Array.from({ length: 2000 }, (_, i) => {
      const first17 = `3301051985${String(1 + (i % 12)).padStart(2, "0")}${String(1 + (i % 28)).padStart(2, "0")}${String(i).padStart(3, "0").slice(-3)}`;
      return {
        row: i + 2,
        name: `导入学员${i}`,
        mobile: `135${String(i).padStart(8, "0")}`,
        idNumber: first17 + checkCharacter(first17),
        employer: "",
      };
    });
    // Distinct ID numbers: the sequence part repeats every 1,000, so the birth date tells them apart.
    const ids = new Set(rows.map((r) => r.idNumber));
    if (ids.size !== rows.length) throw new Error("bench roster has repeated ID numbers");

    // Other people: two on the sign-in page and two checking a certificate, each every 50 ms or so
    // (about 80 requests a second in all), measured first alone and then during the import.
    const probe = async (url: string, into: number[], until: () => boolean) => {
      while (!until()) {
        const t0 = performance.now();
        await (await fetch(url)).arrayBuffer();
        into.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const traffic = (samples: { login: number[]; verify: number[] }, until: () => boolean) =>
      [...Array(2)].flatMap(() => [probe(`${base}/login`, samples.login, until), probe(`${base}/v/${serial}`, samples.verify, until)]);
    const quiet = { login: [] as number[], verify: [] as number[] };
    const quietUntil = performance.now() + 3000;
    await Promise.all(traffic(quiet, () => performance.now() > quietUntil));
    line("GET /login p95 with no import", `${percentile(quiet.login, 95).toFixed(0)} ms`, "(for reference)", true);
    line("GET /v/<serial> p95 with no import", `${percentile(quiet.verify, 95).toFixed(0)} ms`, "(for reference)", true);

    const samples = { login: [] as number[], verify: [] as number[] };
    let importing = true;
    const probes = traffic(samples, () => !importing);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    const commit = await fetch(`${base}/bases/${cohort.org}/cohorts/${cohort.id}/enrol`, {
      method: "POST",
      headers: { Cookie: cookie },
      body: new URLSearchParams({ intent: "commit", payload: JSON.stringify(rows) }),
      redirect: "manual",
    });
    const seconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 300));
    importing = false;
    await Promise.all(probes);
    line("commit of a 2,000-person roster", `${seconds.toFixed(1)} s`, "< 10 s", commit.status === 302 && seconds < 10);
    line("  GET /login p95 meanwhile", `${percentile(samples.login, 95).toFixed(0)} ms`, "< 200 ms", percentile(samples.login, 95) < 200);
    line(
      "  GET /v/<serial> p95 meanwhile",
      `${percentile(samples.verify, 95).toFixed(0)} ms`,
      "< 200 ms",
      percentile(samples.verify, 95) < 200,
    );
    line("  requests answered meanwhile", String(samples.login.length + samples.verify.length), "(for reference)", true);
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  }
}
