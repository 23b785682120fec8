import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadWorkCalendar } from "../../app/content/calendars.server";
import { endAfterWorkingDays, holidaysIn, isWorkingDay, nextWorkingDay, unpublishedYears, workingDaysIn } from "../../app/domain/dates";
import { placeCohort, rotationBoard } from "../../app/domain/rotation";

const cal = loadWorkCalendar();

describe("the 2026 calendar as the State Council published it", () => {
  it("takes the holidays out and puts the make-up weekend days in", () => {
    expect(isWorkingDay("2026-10-05", cal)).toBe(false); // Monday of 国庆节
    expect(isWorkingDay("2026-10-10", cal)).toBe(true); // Saturday worked for 国庆节
    expect(isWorkingDay("2026-09-20", cal)).toBe(true); // Sunday worked for 国庆节
    expect(isWorkingDay("2026-02-14", cal)).toBe(true); // Saturday before 春节
    expect(isWorkingDay("2026-02-23", cal)).toBe(false); // 正月初七, a Monday
    expect(isWorkingDay("2026-10-05")).toBe(true); // without the calendar: Monday to Friday
  });

  it("counts 应出勤天数 in working days across a holiday", () => {
    // 28 Sep – 10 Oct 2026: three days before 国庆, then 8, 9 and the worked Saturday the 10th.
    expect(workingDaysIn("2026-09-28", "2026-10-10", cal)).toEqual([
      "2026-09-28",
      "2026-09-29",
      "2026-09-30",
      "2026-10-08",
      "2026-10-09",
      "2026-10-10",
    ]);
    expect(endAfterWorkingDays("2026-09-28", 5, cal)).toBe("2026-10-09");
    expect(nextWorkingDay("2026-10-01", cal)).toBe("2026-10-08");
  });

  it("names the holidays a range spans, once each", () => {
    expect(holidaysIn("2026-09-20", "2026-10-12", cal)).toEqual([
      { name: "中秋节", from: "2026-09-25", to: "2026-09-27" },
      { name: "国庆节", from: "2026-10-01", to: "2026-10-07" },
    ]);
    expect(holidaysIn("2026-11-02", "2026-11-30", cal)).toEqual([]);
  });

  it("says which years are not the published arrangement", () => {
    expect(unpublishedYears("2026-03-01", "2026-12-31", cal)).toEqual([]);
    expect(unpublishedYears("2026-12-01", "2027-03-01", cal)).toEqual([2027]);
    expect(unpublishedYears("2028-01-01", "2028-02-01", cal)).toEqual([2028]);
  });

  it("has 2027's statutory days until the notice is entered", () => {
    expect(cal.years.get(2027)).toEqual({ published: false });
    for (const day of ["2027-01-01", "2027-02-05", "2027-02-08", "2027-04-05", "2027-05-01", "2027-06-09", "2027-09-15", "2027-10-01"])
      expect(cal.holidays.has(day), day).toBe(true);
  });
});

describe("auto-placement and the board", () => {
  const department = {
    id: "d1",
    organisationId: "h",
    name: "老年医学科",
    kind: "geriatrics" as const,
    capacity: 1,
    active: true,
    mentorIds: ["m1"],
  };
  it("start and count a block on working days only, around 国庆节 (the worked Saturday the 10th counts)", () => {
    const plan = placeCohort({
      departments: [department],
      trainees: [{ enrolmentId: "e1", personId: "p1", alreadyPlacedKinds: [] }],
      requirements: [{ departmentKind: "geriatrics", days: 5 }],
      window: { startDate: "2026-10-01", endDate: "2026-10-31" },
      existing: [],
      calendar: cal,
    });
    expect(plan.placements.map((p) => [p.start, p.end])).toEqual([["2026-10-08", "2026-10-13"]]);
  });

  it("counts free places on a worked Saturday and not on a holiday", () => {
    const board = rotationBoard(
      [department],
      [{ departmentId: "d1", start: "2026-10-10", end: "2026-10-10", label: "张三" }],
      "2026-10-05",
      "2026-10-05",
      cal,
    );
    expect(board.rows.d1[0].free).toBe(0);
  });
});

describe("calendar files", () => {
  function contentWith(name: string, text: string) {
    const root = mkdtempSync(path.join(tmpdir(), "calendar-"));
    mkdirSync(path.join(root, "calendars"));
    writeFileSync(path.join(root, "calendars", name), text);
    return root;
  }

  it("refuse a make-up working day that is not a weekend day, naming the file", () => {
    const root = contentWith(
      "2026.yaml",
      "year: 2026\npublished: true\nsource: x\nholidays: []\nworkdays:\n  - { date: 2026-10-09, for: 国庆节 }\n",
    );
    expect(() => loadWorkCalendar(root)).toThrow(/calendars\/2026.yaml: workdays: 2026-10-09 is not a Saturday or Sunday/);
  });

  it("refuse a file named for another year and a range outside its year", () => {
    const root = contentWith(
      "2026.yaml",
      "year: 2025\npublished: true\nsource: x\nholidays:\n  - { name: 春节, from: 2025-12-31, to: 2026-01-02 }\nworkdays: []\n",
    );
    expect(() => loadWorkCalendar(root)).toThrow(/is not the file's year[\s\S]*not a range within 2025/);
  });
});
