import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnServer, type ServerProcess } from "../support/server-process";

const dirs: string[] = [];
const servers: ServerProcess[] = [];
afterAll(() => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A production server on an empty database; resolves once it listens, with what it printed. */
async function startProduction(env: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "care-public-url-"));
  dirs.push(dir);
  const server = await spawnServer({ DATABASE_PATH: path.join(dir, "app.sqlite"), NODE_ENV: "production", ...env });
  servers.push(server);
  await server.listening;
  const output = server.output();
  server.child.kill("SIGTERM");
  await server.exited;
  return output;
}

describe("starting in production", () => {
  it("warns in one line when PUBLIC_URL is not set, saying what QR codes would carry instead", async () => {
    const output = await startProduction({ PUBLIC_URL: "" });
    const lines = output.split("\n").filter((l) => l.includes("PUBLIC_URL"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("PUBLIC_URL is not set");
    expect(lines[0]).toMatch(/QR code http:\/\/localhost:\d+\/v\//);
  });

  it("says nothing about it when PUBLIC_URL is set", async () => {
    const output = await startProduction({ PUBLIC_URL: "https://cert.example.gov.cn" });
    expect(output).toContain("Listening on");
    expect(output).not.toContain("PUBLIC_URL");
  });
});
