import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db/client.server";
import { RECENT_ENTRIES_FOR_SHORT_SEARCH } from "../../app/domain/audit-search";
import { auditQuery, listAudit, recordAudit } from "../../app/services/audit.server";
import { userId, withDemoData } from "./fixtures";

/**
 * The admin's search of the audit log on a log longer than the recent window a short search reads:
 * what it finds, and that no search walks the whole log.
 */
const OLD_ENTRIES = RECENT_ENTRIES_FOR_SHORT_SEARCH + 500;

beforeAll(async () => {
  await withDemoData();
  const registrar = userId("registrar");
  db().transaction((tx) => {
    recordAudit(tx, {
      actorUserId: registrar,
      action: "attendance.record",
      entityType: "cohort",
      entityId: "old",
      details: { note: "旧记录蒲公英" },
    });
    for (let i = 0; i < OLD_ENTRIES; i++)
      recordAudit(tx, { actorUserId: null, action: "filler.entry", entityType: "filler", entityId: String(i) });
    recordAudit(tx, {
      actorUserId: null,
      action: "attendance.record",
      entityType: "cohort",
      entityId: "recent",
      details: { note: "新记录蒲公英" },
    });
  });
});

const plan = (q: Parameters<typeof auditQuery>[0]) => {
  const { sql, params } = auditQuery(q).toSQL();
  return (
    db()
      .$client.prepare(`explain query plan ${sql}`)
      .all(...params) as { detail: string }[]
  ).map((r) => r.detail);
};

describe("searching the audit log", () => {
  it("finds a phrase of three or more characters anywhere in the log, newest first", () => {
    expect(listAudit({ text: "蒲公英" }).map((e) => e.entityId)).toEqual(["recent", "old"]);
  });

  it("finds one or two characters among the recent entries only", () => {
    expect(listAudit({ text: "公英" }).map((e) => e.entityId)).toEqual(["recent"]);
  });

  it("finds every entry of an actor by the beginning of their name, however old", () => {
    const registrarName = db().$client.prepare("select name from users where username = 'registrar'").pluck().get() as string;
    const found = listAudit({ text: registrarName.slice(0, 2), limit: 1000 });
    expect(found.some((e) => e.entityId === "old")).toBe(true);
    expect(found.every((e) => e.actorName === registrarName || e.entityId === "recent")).toBe(true);
  });

  it("reads the log by its indexes for every kind of search, never the whole table", () => {
    for (const text of ["蒲公英", "公英", "x"]) {
      const steps = plan({ text, limit: 50 });
      expect(
        steps.filter((d) => /^SCAN (audit_log|"audit_log")\b/.test(d)),
        `${text}: ${steps.join(" | ")}`,
      ).toEqual([]);
      expect(steps.some((d) => /audit_log_actor_idx/.test(d))).toBe(true);
    }
  });
});
