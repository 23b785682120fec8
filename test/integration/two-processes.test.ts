import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { enrolments } from "../../db/schema";
import { openCohort, userId, withDemoData } from "./fixtures";

let cohortId = "";
beforeAll(async () => {
  await withDemoData();
  cohortId = openCohort(
    "BASE-GERI",
    { name: "并发报名测试班", startDate: "2026-11-01", endDate: "2027-01-31", capacity: 500 },
    { by: "registrar" },
  ).id;
});

function writer(prefix: string, n: number, startAt: number) {
  return new Promise<{ failures: number; errors: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "test/support/enrol-writer.ts",
        process.env.DATABASE_PATH!,
        cohortId,
        userId("registrar"),
        prefix,
        String(n),
        String(startAt),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (err += c));
    child.on("exit", (code) =>
      code === 0 ? resolve({ ...JSON.parse(out.trim().split("\n").at(-1)!), errors: err.trim() }) : reject(new Error(err)),
    );
  });
}

describe("two server processes on one database file", () => {
  it("both enrol at the same moment, and not one enrolment fails with SQLITE_BUSY", async () => {
    const startAt = Date.now() + 4000;
    const [a, b] = await Promise.all([writer("5", 100, startAt), writer("6", 100, startAt)]);
    expect([a, b].map((w) => w.errors).filter(Boolean)).toEqual([]);
    expect([a.failures, b.failures]).toEqual([0, 0]);
    expect(db().select({ n: count() }).from(enrolments).where(eq(enrolments.cohortId, cohortId)).get()!.n).toBe(200);
  }, 60_000);
});
