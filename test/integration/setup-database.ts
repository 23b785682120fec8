import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

const dir = mkdtempSync(path.join(tmpdir(), "care-it-"));
process.env.DATABASE_PATH = path.join(dir, "test.sqlite");

afterAll(async () => {
  const { closeDatabase } = await import("../../db/client.server");
  closeDatabase();
  rmSync(dir, { recursive: true, force: true });
});
