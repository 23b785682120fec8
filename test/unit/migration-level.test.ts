import { describe, expect, it } from "vitest";
import { describeMigrationLevel, migrationLevel } from "../../app/domain/migration-level";

const known = [
  { tag: "0000_init", when: 100 },
  { tag: "0001_more", when: 200 },
  { tag: "0002_last", when: 300 },
];

describe("migrationLevel", () => {
  it("is current when every known migration is applied", () => {
    expect(migrationLevel(known, [100, 200, 300])).toEqual({ state: "current", applied: 3, latest: "0002_last", pending: [], unknown: [] });
    expect(describeMigrationLevel(migrationLevel(known, [100, 200, 300]), 3)).toBe("0002_last (3 of 3)");
  });

  it("is behind, naming what the next start applies, on an older or a new database", () => {
    expect(migrationLevel(known, [100])).toMatchObject({ state: "behind", latest: "0000_init", pending: ["0001_more", "0002_last"] });
    expect(migrationLevel(known, [])).toMatchObject({
      state: "behind",
      applied: 0,
      latest: null,
      pending: ["0000_init", "0001_more", "0002_last"],
    });
  });

  it("is ahead when the database has a migration this release does not ship, even if the rest match", () => {
    const level = migrationLevel(known, [100, 200, 300, 400]);
    expect(level).toMatchObject({ state: "ahead", unknown: [400], latest: "0002_last" });
    expect(describeMigrationLevel(level, 3)).toBe("0002_last (3 of 3), plus 1 from a newer release");
  });
});
