import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { eq, isNull } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departments, enrolments, programVersions } from "../../db/schema";
import { loader as approvals } from "../../app/routes/hospital.$orgId.approvals";
import { loader as hospitalHome } from "../../app/routes/hospital.$orgId._index";
import { loader as board } from "../../app/routes/hospital.$orgId.board";
import { backfillProgress } from "../../app/services/completion.server";
import { cohortProgress } from "../../app/services/cohorts.server";
import { contextFor, orgId, userId, withDemoData } from "./fixtures";

const PLACEMENTS = 40_000;

beforeAll(async () => {
  await withDemoData();
  // Years of rotations: 40,000 placements of 2,000 trainees, a few entries of each still waiting.
  const sqlite = db().$client;
  const hospital = orgId("HZ-GERI");
  const dept = db().select().from(departments).where(eq(departments.organisationId, hospital)).get()!;
  const version = db()
    .select()
    .from(programVersions)
    .all()
    .find((v) => v.programCode === "caregiver-instructor")!;
  const cohortId = randomUUID();
  const insertUser = sqlite.prepare("insert into users (id, name, password_hash) values (?, ?, '!')");
  const insertEnrolment = sqlite.prepare("insert into enrolments (id, cohort_id, user_id, program_version_id) values (?, ?, ?, ?)");
  const insertPlacement = sqlite.prepare(
    "insert into placements (id, enrolment_id, department_id, mentor_user_id, start_date, end_date, required_days) values (?, ?, ?, ?, ?, ?, 10)",
  );
  const insertSignoff = sqlite.prepare(
    "insert into rotation_signoffs (placement_id, kind, date, mentor_user_id, status) values (?, 'day', ?, ?, ?)",
  );
  sqlite.transaction(() => {
    sqlite
      .prepare(
        "insert into cohorts (id, organisation_id, program_version_id, name, start_date, end_date, capacity) values (?, ?, ?, '历年轮训', '2016-01-01', '2026-12-31', 5000)",
      )
      .run(cohortId, orgId("BASE-GERI"), version.id);
    const enrolmentIds = Array.from({ length: 2000 }, (_, i) => {
      const userId = randomUUID();
      const enrolmentId = randomUUID();
      insertUser.run(userId, `历年学员${i}`);
      insertEnrolment.run(enrolmentId, cohortId, userId, version.id);
      return enrolmentId;
    });
    for (let i = 0; i < PLACEMENTS; i++) {
      const id = randomUUID();
      const day = new Date(Date.UTC(2016, 0, 1) + (i % 3650) * 86_400_000).toISOString().slice(0, 10);
      insertPlacement.run(id, enrolmentIds[i % 2000], dept.id, userId("mentor"), day, day);
      insertSignoff.run(id, day, userId("mentor"), i % 1000 === 0 ? "pending" : "approved");
    }
    // Another hospital of the province with a queue of its own, which is none of this coordinator's business.
    const other = sqlite.prepare("select * from organisations where id = ?").get(hospital) as Record<string, unknown>;
    const otherId = randomUUID();
    sqlite
      .prepare("insert into organisations (id, code, name, kind, region_code) values (?, 'OTHER-HOSP', '另一家医院', ?, ?)")
      .run(otherId, other.kind, other.region_code);
    sqlite
      .prepare("insert into departments (id, organisation_id, name, kind, capacity) values ('other-dept', ?, '老年医学科', ?, 4)")
      .run(otherId, dept.kind);
    for (let i = 0; i < 30; i++) {
      const id = randomUUID();
      insertPlacement.run(id, enrolmentIds[i], "other-dept", userId("mentor"), "2026-01-05", "2026-01-09");
      insertSignoff.run(id, "2026-01-05", userId("mentor"), "pending");
    }
  })();
}, 60_000);

const get = (url: string) => new Request(`http://localhost${url}`);

describe("a hospital with years of history", () => {
  it("answers the approvals page a page at a time, however many placements there are, with the hospital's own queue only", async () => {
    const hospital = orgId("HZ-GERI");
    const page = await approvals({
      request: get(`/hospital/${hospital}/approvals`),
      context: contextFor("coordinator"),
      params: { orgId: hospital },
    });
    expect(page.pending).toHaveLength(40);
    expect(page.info).toMatchObject({ total: 40, hasNext: false });
    const home = await hospitalHome({
      request: get(`/hospital/${hospital}`),
      context: contextFor("coordinator"),
      params: { orgId: hospital },
    });
    expect(home.pending).toBe(40);
  });

  it("puts on the board only the placements in the weeks shown", async () => {
    const hospital = orgId("HZ-GERI");
    const week = await board({
      request: get(`/hospital/${hospital}/board?from=2020-06-01&weeks=1`),
      context: contextFor("coordinator"),
      params: { orgId: hospital },
    });
    const names = Object.values(week.rows).flatMap((cells) => cells.flatMap((c) => c.occupants));
    // The trainees placed on the seven days shown, and nobody from the other ten years.
    const first = (Date.UTC(2020, 5, 1) - Date.UTC(2016, 0, 1)) / 86_400_000;
    const expected = new Set(
      Array.from({ length: PLACEMENTS }, (_, i) => i)
        .filter((i) => i % 3650 >= first && i % 3650 < first + 7)
        .map((i) => `历年学员${i % 2000}`),
    );
    expect(new Set(names.filter((n: string) => n.startsWith("历年学员")))).toEqual(expected);
  });
});

describe("progress stored on each enrolment", () => {
  it("is filled in for enrolments from before it was stored, a little at a time, and then read as stored", async () => {
    const missing = () => db().select({ id: enrolments.id }).from(enrolments).where(isNull(enrolments.progress)).all().length;
    expect(missing()).toBeGreaterThan(2000);
    expect(await backfillProgress(500)).toBeGreaterThan(2000);
    expect(missing()).toBe(0);
    const demoCohort = db().select().from(enrolments).all()[0].cohortId;
    expect(cohortProgress(demoCohort).every((r) => r.completion.status === "in_progress" || r.completion.status === "completed")).toBe(
      true,
    );
  });
});
