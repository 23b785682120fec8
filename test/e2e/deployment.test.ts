import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dirs: string[] = [];
const servers: ChildProcess[] = [];
afterAll(() => {
  for (const s of servers) s.kill("SIGTERM");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts the built server on an empty database with these settings; resolves with its address, or with what it printed when it refused to start. */
async function start(env: Record<string, string>): Promise<{ url: string; child: ChildProcess } | { refused: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), "care-deploy-"));
  dirs.push(dir);
  const port = await freePort();
  const child = spawn(process.execPath, ["build/server.js"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_PATH: path.join(dir, "app.sqlite"),
      DEMO_DATA: "0",
      NODE_ENV: "test",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  servers.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start:\n${output}`)), 60_000);
    child.stdout!.on("data", (c: Buffer) => {
      output += c.toString();
      if (output.includes("Listening on")) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${port}`, child });
      }
    });
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    child.on("exit", () => {
      clearTimeout(timer);
      resolve({ refused: output });
    });
  });
}

const signInForm = (identifier: string) => new URLSearchParams({ identifier, password: "wrong-password" });

describe("behind a reverse proxy", () => {
  it("takes the client address from the proxy it was told about, so a forged X-Forwarded-For cannot dodge the per-address limit", async () => {
    const server = await start({ TRUST_PROXY: "1" });
    if (!("url" in server)) throw new Error(server.refused);
    let last = "";
    for (let i = 0; i < 31; i++) {
      const response = await fetch(`${server.url}/login`, {
        method: "POST",
        body: signInForm(`nobody${i}`),
        // The client forges a new address each time; our proxy appends the address it really saw.
        headers: { "X-Forwarded-For": `203.0.113.${i}, 198.51.100.7`, Origin: server.url },
      });
      last = await response.text();
    }
    expect(last).toContain("本网络登录失败次数过多");
  });

  it("refuses to start with a TRUST_PROXY that is not a number of proxies, saying what to set", async () => {
    const server = await start({ TRUST_PROXY: "true" });
    expect("refused" in server && server.refused).toContain("TRUST_PROXY=true is not a number of proxies");
  });
});

describe("a production server reached over plain HTTP", () => {
  it("says that sign-in needs HTTPS instead of silently dropping the session cookie, and works over HTTPS through the proxy", async () => {
    const server = await start({ NODE_ENV: "production", TRUST_PROXY: "1" });
    if (!("url" in server)) throw new Error(server.refused);
    const plain = await (await fetch(`${server.url}/login`)).text();
    expect(plain).toContain("只能通过 HTTPS 登录");
    const secure = await fetch(`${server.url}/login`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(await secure.text()).not.toContain("只能通过 HTTPS 登录");
    expect(secure.headers.get("strict-transport-security")).toContain("max-age");
  });
});

describe("one server process per core", () => {
  it("runs WORKERS processes on one database file, sharing sessions, and stops them all cleanly", async () => {
    const server = await start({ WORKERS: "2", DEMO_DATA: "1" });
    if (!("url" in server)) throw new Error(server.refused);
    const signIn = await fetch(`${server.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ identifier: "registrar", password: "Demo2026!" }),
      redirect: "manual",
      headers: { Origin: server.url, Connection: "close" },
    });
    expect(signIn.status).toBe(302);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    // New connections each time, so the requests go to both processes: each knows the session.
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${server.url}/home`, { headers: { Cookie: cookie, Connection: "close" }, redirect: "manual" }).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual(Array(10).fill(200));
    // The first process only supervises and never loads the app: it holds a fraction of a server process's memory.
    const rss = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m)![1]);
    const workers = execFileSync("pgrep", ["-P", String(server.child.pid)], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map(Number);
    expect(workers).toHaveLength(2);
    for (const pid of workers) expect(rss(server.child.pid!)).toBeLessThan(rss(pid) / 2);
    const exited = new Promise<number | null>((resolve) => server.child.once("exit", resolve));
    server.child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
