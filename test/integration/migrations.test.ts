import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(path.join(tmpdir(), "care-migrate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The committed migrations up to and including `last`, as a database that stopped there would have them. */
function migrationsUpTo(last: number): string {
  const folder = path.join(dir, `upto-${last}`);
  cpSync(path.join(process.cwd(), "db", "migrations"), folder, { recursive: true });
  const journalFile = path.join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= last);
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}

describe("migrations on a database made by an earlier release", () => {
  it("keep one claim line per person and level, and count the lines holding each certificate", () => {
    const sqlite = new Database(path.join(dir, "old.sqlite"));
    sqlite.pragma("foreign_keys = OFF");
    const db = drizzle(sqlite);
    migrate(db, { migrationsFolder: migrationsUpTo(6) });
    // One person claimed twice for the same occupation and level, as the old code allowed.
    sqlite.exec(`
      insert into claims (id, policy_code, organisation_id, period_from, period_to, status) values ('k1', 'p', 'o', '2026-01-01', '2026-12-31', 'draft');
      insert into claim_lines (claim_id, policy_code, certificate_id, user_id, occupation_level, amount_fen, status) values
        ('k1', 'p', 'c1', 'u1', '养老护理员|师资', 500000, 'included'),
        ('k1', 'p', 'c2', 'u1', '养老护理员|师资', 500000, 'included'),
        ('k1', 'p', 'c3', 'u2', '养老护理员|师资', 500000, 'included');
    `);
    for (const [id, user] of [
      ["c1", "u1"],
      ["c2", "u1"],
      ["c3", "u2"],
      ["c4", "u3"],
    ]) {
      sqlite
        .prepare(
          `insert into certificates (id, serial, enrolment_id, user_id, organisation_id, organisation_code, organisation_name, program_code, program_version, program_title, certificate_title,
            holder_name, cohort_start, cohort_end, theory_hours, practice_hours, completion_date, issue_date, verify_base, payload, signature, pdf_sha256)
           values (?, ?, ?, ?, 'o', 'O', '基地', 'caregiver-instructor', 1, '师资', '证书', '某', '2026-01-01', '2026-12-31', 40, 40, '2026-06-01', '2026-06-02', 'x', '{}', 's', ?)`,
        )
        .run(id, `S-${id}`, `e-${id}`, user, `h-${id}`);
    }

    migrate(db, { migrationsFolder: path.join(process.cwd(), "db", "migrations") });

    const lines = sqlite.prepare("select certificate_id, status, reason from claim_lines order by id").all() as {
      certificate_id: string;
      status: string;
      reason: string | null;
    }[];
    expect(lines.map((l) => [l.certificate_id, l.status])).toEqual([
      ["c1", "included"],
      ["c2", "removed"],
      ["c3", "included"],
    ]);
    expect(lines[1].reason).toContain("同一人同一职业同一等级");
    const holds = Object.fromEntries(
      (sqlite.prepare("select id, claim_holds from certificates").all() as { id: string; claim_holds: number }[]).map((r) => [
        r.id,
        r.claim_holds,
      ]),
    );
    expect(holds).toEqual({ c1: 1, c2: 0, c3: 1, c4: 0 });
    // From now on the triggers keep the count.
    sqlite.prepare("update claim_lines set status = 'removed' where certificate_id = 'c1'").run();
    sqlite
      .prepare(
        "insert into claim_lines (claim_id, policy_code, certificate_id, user_id, occupation_level, amount_fen) values ('k1', 'p', 'c4', 'u3', '养老护理员|师资', 500000)",
      )
      .run();
    expect(sqlite.prepare("select claim_holds from certificates where id = 'c1'").pluck().get()).toBe(0);
    expect(sqlite.prepare("select claim_holds from certificates where id = 'c4'").pluck().get()).toBe(1);
    sqlite.close();
  });
});

describe("the province-scale migration on a database with rows", () => {
  it("indexes the existing audit entries for search, and keeps indexing new ones", () => {
    const sqlite = new Database(path.join(dir, "audit.sqlite"));
    sqlite.pragma("foreign_keys = OFF");
    const db = drizzle(sqlite);
    migrate(db, { migrationsFolder: migrationsUpTo(12) });
    sqlite.exec(`
      insert into audit_log (action, entity_type, entity_id, details) values
        ('claim.approve', 'claim', 'k1', '{"reason":"材料齐全，同意拨付"}'),
        ('user.create', 'user', 'u1', '{"name":"欧阳娜娜"}');
    `);
    migrate(db, { migrationsFolder: path.join(process.cwd(), "db", "migrations") });
    const find = (phrase: string) =>
      sqlite
        .prepare(
          "select a.action from audit_log a where a.id in (select rowid from audit_log_fts where audit_log_fts match ?) order by a.id",
        )
        .pluck()
        .all(`"${phrase}"`);
    expect(find("同意拨付")).toEqual(["claim.approve"]);
    expect(find("欧阳娜")).toEqual(["user.create"]);
    sqlite
      .prepare(
        "insert into audit_log (action, entity_type, entity_id, details) values ('claim.paid', 'claim', 'k1', '{\"reference\":\"富财拨〔2026〕12号\"}')",
      )
      .run();
    expect(find("财拨〔2026")).toEqual(["claim.paid"]);
    // Searching does not read the log itself: the plan goes through the full-text index.
    const plan = sqlite
      .prepare(
        "explain query plan select a.id from audit_log a where a.id in (select rowid from audit_log_fts where audit_log_fts match ?) order by a.id desc limit 50",
      )
      .all('"同意拨付"') as { detail: string }[];
    expect(plan.map((p) => p.detail).join("\n")).toMatch(/VIRTUAL TABLE INDEX/);
    expect(plan.map((p) => p.detail).join("\n")).not.toMatch(/SCAN a\b/);
    sqlite.close();
  });
});

describe("the migration that lets claim lines name what they pay for", () => {
  it("keeps every line with its id (the claims' history names lines by id) and its triggers, and leaves the file checkpointable", () => {
    const file = path.join(dir, "subjects.sqlite");
    const sqlite = new Database(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("foreign_keys = OFF");
    const db = drizzle(sqlite);
    migrate(db, { migrationsFolder: migrationsUpTo(21) });
    sqlite.exec(`
      insert into claims (id, policy_code, organisation_id, period_from, period_to, status) values ('k1', 'p', 'o', '2026-01-01', '2026-12-31', 'approved');
      insert into claim_lines (id, claim_id, policy_code, certificate_id, user_id, occupation_level, item, amount_fen, status) values
        (5, 'k1', 'p', 'c1', 'u1', '医疗护理员|初级', 'training', 150000, 'approved'),
        (9, 'k1', 'p', 'c1', 'u1', '医疗护理员|初级', 'appraisal', 20000, 'approved');
    `);

    migrate(db, { migrationsFolder: path.join(process.cwd(), "db", "migrations") });

    expect(sqlite.prepare("select id, item, amount_fen, status from claim_lines order by id").raw().all()).toEqual([
      [5, "training", 150000, "approved"],
      [9, "appraisal", 20000, "approved"],
    ]);
    expect(sqlite.prepare("select count(*) from sqlite_master where type = 'trigger' and tbl_name = 'claim_lines'").pluck().get()).toBe(6);
    expect(sqlite.prepare("select count(*) from sqlite_master where name = 'claim_lines_before_subjects'").pluck().get()).toBe(0);
    // A new line continues after the kept ids.
    sqlite
      .prepare(
        "insert into claim_lines (claim_id, policy_code, cohort_id, item, amount_fen) values ('k1', 'grant', 'cohort-1', 'cohort_grant', 1000000)",
      )
      .run();
    expect(sqlite.prepare("select max(id) from claim_lines").pluck().get()).toBe(10);
    // The province generator writes without the WAL and goes back to it before closing.
    sqlite.pragma("journal_mode = MEMORY");
    sqlite.pragma("journal_mode = WAL");
    expect(() => sqlite.pragma("wal_checkpoint(TRUNCATE)")).not.toThrow();
    sqlite.close();
  });

  it("give every sign-off its hospital, those recorded before included, and keep doing so on insert", () => {
    const sqlite = new Database(path.join(dir, "signoffs.sqlite"));
    sqlite.pragma("foreign_keys = OFF");
    const db = drizzle(sqlite);
    migrate(db, { migrationsFolder: migrationsUpTo(23) });
    sqlite.exec(`
      insert into departments (id, organisation_id, name, kind, capacity) values ('d1', 'h1', '老年医学科', 'geriatrics', 4), ('d2', 'h2', '康复医学科', 'rehabilitation', 4);
      insert into placements (id, enrolment_id, department_id, mentor_user_id, start_date, end_date, required_days) values
        ('p1', 'e1', 'd1', 'm', '2026-01-05', '2026-01-09', 5), ('p2', 'e2', 'd2', 'm', '2026-01-05', '2026-01-09', 5);
      insert into rotation_signoffs (placement_id, kind, date, mentor_user_id, status) values ('p1', 'day', '2026-01-05', 'm', 'pending'), ('p2', 'day', '2026-01-05', 'm', 'pending');
    `);

    migrate(db, { migrationsFolder: path.join(process.cwd(), "db", "migrations") });
    sqlite
      .prepare(
        "insert into rotation_signoffs (placement_id, kind, date, mentor_user_id, status) values ('p1', 'day', '2026-01-06', 'm', 'pending')",
      )
      .run();

    expect(sqlite.prepare("select placement_id, date, hospital_id from rotation_signoffs order by id").raw().all()).toEqual([
      ["p1", "2026-01-05", "h1"],
      ["p2", "2026-01-05", "h2"],
      ["p1", "2026-01-06", "h1"],
    ]);
    const plan = (
      sqlite.prepare("explain query plan select count(*) from rotation_signoffs where status = 'pending' and hospital_id = 'h1'").all() as {
        detail: string;
      }[]
    ).map((r) => r.detail);
    expect(plan.join(" | ")).toMatch(/rotation_signoffs_pending_idx \(hospital_id=\?\)/);
    sqlite.close();
  });

  it("point the notices already in people's inboxes at the subsidy pages' new address", () => {
    const sqlite = new Database(path.join(dir, "links.sqlite"));
    sqlite.pragma("foreign_keys = OFF");
    const db = drizzle(sqlite);
    migrate(db, { migrationsFolder: migrationsUpTo(27) });
    sqlite.exec(`
      insert into notifications (user_id, kind, params, link, dedupe_key) values
        ('u', 'claim_paid', '{}', '/finance/claims/k1', 'a'), ('u', 'claim_paid', '{}', '/finance?org=o', 'b'),
        ('u', 'certificate_issued', '{}', '/certificates/c1', 'c'), ('u', 'claim_paid', '{}', '/financed', 'd');
    `);

    migrate(db, { migrationsFolder: path.join(process.cwd(), "db", "migrations") });

    expect(sqlite.prepare("select link from notifications order by id").pluck().all()).toEqual([
      "/subsidy/claims/k1",
      "/subsidy?org=o",
      "/certificates/c1",
      "/financed",
    ]);
    sqlite.close();
  });
});
