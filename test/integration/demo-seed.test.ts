import { describe, expect, it, vi } from "vitest";
import { and, count, eq, inArray, isNull } from "drizzle-orm";
import { db } from "../../db/client.server";
import { DEMO_PASSWORD, seedDemo } from "../../db/seed/demo";
import { auditLog, certificates, claims, cohorts, enrolments, users } from "../../db/schema";
import { hashPassword } from "../../app/auth/password.server";
import { seedDemoData } from "../../app/demo/demo-activity.server";
import { publishProgramVersions } from "../../app/services/program-versions.server";

// Lets a test stop a start half-way, as a crash or a kill would, at the n-th certificate.
const crash = vi.hoisted(() => ({ atCall: Infinity, calls: 0 }));
vi.mock("../../app/services/certificates.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../app/services/certificates.server")>();
  return {
    ...real,
    issueCertificate: (...args: Parameters<typeof real.issueCertificate>) => {
      if (++crash.calls === crash.atCall) throw new Error("the server stopped");
      return real.issueCertificate(...args);
    },
  };
});

const ACTIVITY_COHORTS = [
  "2025年富阳第1期养老护理员师资培训班",
  "2026年富阳第2期养老护理员师资培训班",
  "2026年富阳第1期医疗护理员培训班",
  "2026年第1期养老护理员师资培训班",
];

function demoState() {
  const cohortIds = db()
    .select({ id: cohorts.id })
    .from(cohorts)
    .where(inArray(cohorts.name, ACTIVITY_COHORTS))
    .all()
    .map((c) => c.id);
  const inCohorts = cohortIds.length ? inArray(enrolments.cohortId, cohortIds) : undefined;
  return {
    activityCohorts: cohortIds.length,
    users: db().select({ n: count() }).from(users).get()!.n,
    enrolments: cohortIds.length ? db().select({ n: count() }).from(enrolments).where(inCohorts).get()!.n : 0,
    certificates: cohortIds.length
      ? db()
          .select({ n: count() })
          .from(certificates)
          .innerJoin(enrolments, eq(enrolments.id, certificates.enrolmentId))
          .where(and(inCohorts, isNull(certificates.supersededById)))
          .get()!.n
      : 0,
    claims: db()
      .select({ status: claims.status })
      .from(claims)
      .all()
      .map((c) => c.status),
  };
}

describe("demo data at start", () => {
  it("finishes the demo activity on the next start when a start stopped after the alliance was created or half-way through", async () => {
    publishProgramVersions();
    const hash = await hashPassword(DEMO_PASSWORD);
    // A first start created the alliance and stopped before any activity.
    expect(seedDemo(db(), hash)).toBe(true);
    const alliance = demoState();
    expect(alliance.activityCohorts).toBe(0);

    // The next start stops again, at the fifth certificate.
    crash.atCall = 5;
    await expect(seedDemoData(hash)).rejects.toThrow("the server stopped");
    const halfWay = demoState();
    expect(halfWay).toMatchObject({ activityCohorts: 4, enrolments: 36, certificates: 4, claims: [] });

    // The one after finishes the job without adding anything twice.
    crash.atCall = Infinity;
    expect(await seedDemoData(hash)).toBe(false);
    const done = demoState();
    // The instructors' subsidy and the 示范基地 award, each paid once.
    expect(done).toEqual({ activityCohorts: 4, users: alliance.users + 36, enrolments: 36, certificates: 36, claims: ["paid", "paid"] });
    expect(db().select({ n: count() }).from(auditLog).where(eq(auditLog.action, "system.seed-demo-activity")).get()!.n).toBe(1);

    // Later starts change nothing.
    const callsBefore = crash.calls;
    expect(await seedDemoData(hash)).toBe(false);
    expect(demoState()).toEqual(done);
    expect(crash.calls).toBe(callsBefore);
  });
});
