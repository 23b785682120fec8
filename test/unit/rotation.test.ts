import { describe, expect, it } from "vitest";
import { addDays, endAfterWorkingDays, isWorkingDay, weekStart, workingDaysIn } from "../../app/domain/dates";
import {
  boardWindow,
  departmentChangeProblems,
  firstDayOverbooked,
  firstDayOverCapacity,
  placeCohort,
  placementProblems,
  placementRecord,
  rotationBoard,
  signOffTiming,
  type Department,
  type Slot,
} from "../../app/domain/rotation";

const cohort = { startDate: "2026-11-02", endDate: "2026-12-31" };
// Unless a test says otherwise, each enrolment is a different person.
const slot = (enrolmentId: string, departmentId: string, start: string, end: string, personId = `person-${enrolmentId}`): Slot => ({
  personId,
  enrolmentId,
  departmentId,
  start,
  end,
});

describe("working days", () => {
  it("counts Monday to Friday", () => {
    expect(isWorkingDay("2026-11-23")).toBe(true); // Monday
    expect(isWorkingDay("2026-11-28")).toBe(false); // Saturday
    expect(endAfterWorkingDays("2026-11-23", 5)).toBe("2026-11-27");
    expect(endAfterWorkingDays("2026-11-25", 5)).toBe("2026-12-01");
    expect(workingDaysIn("2026-11-27", "2026-11-30")).toEqual(["2026-11-27", "2026-11-30"]);
    expect(weekStart("2026-11-29")).toBe("2026-11-23");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });
});

describe("placement rules", () => {
  const existing = [slot("a", "geri", "2026-11-02", "2026-11-13"), slot("b", "geri", "2026-11-09", "2026-11-20")];

  it("finds the first day a department would be over capacity", () => {
    expect(firstDayOverCapacity(slot("c", "geri", "2026-11-05", "2026-11-12"), 2, existing)).toBe("2026-11-09");
    expect(firstDayOverCapacity(slot("c", "geri", "2026-11-05", "2026-11-12"), 3, existing)).toBeNull();
    expect(firstDayOverCapacity(slot("c", "rehab", "2026-11-05", "2026-11-12"), 1, existing)).toBeNull();
  });

  it("refuses an overlap with the trainee's own placement elsewhere", () => {
    expect(placementProblems(slot("a", "rehab", "2026-11-13", "2026-11-20"), { capacity: 5 }, existing, cohort)).toEqual([
      { kind: "overlap", with: existing[0] },
    ]);
    expect(placementProblems(slot("a", "rehab", "2026-11-14", "2026-11-20"), { capacity: 5 }, existing, cohort)).toEqual([]);
  });

  it("refuses an overlap with the same person's placement made for another of their enrolments, naming the earliest", () => {
    const elsewhere = [
      slot("a2", "neuro", "2026-11-16", "2026-11-27", "person-a"),
      slot("a3", "hospice", "2026-11-09", "2026-11-13", "person-a"),
    ];
    expect(placementProblems(slot("a", "rehab", "2026-11-12", "2026-11-18"), { capacity: 5 }, [...existing, ...elsewhere], cohort)).toEqual(
      [{ kind: "overlap", with: existing[0] }],
    );
    expect(placementProblems(slot("a", "rehab", "2026-11-16", "2026-11-18"), { capacity: 5 }, [...existing, ...elsewhere], cohort)).toEqual(
      [{ kind: "overlap", with: elsewhere[0] }],
    );
    // Another person on the same days is no overlap.
    expect(placementProblems(slot("z", "rehab", "2026-11-16", "2026-11-18"), { capacity: 5 }, [...existing, ...elsewhere], cohort)).toEqual(
      [],
    );
  });

  it("refuses dates outside the cohort and an end before the start", () => {
    expect(placementProblems(slot("c", "rehab", "2026-10-30", "2026-11-06"), { capacity: 5 }, existing, cohort)).toEqual([
      { kind: "outsideCohort" },
    ]);
    expect(placementProblems(slot("c", "rehab", "2026-11-06", "2026-11-05"), { capacity: 5 }, existing, cohort)).toEqual([
      { kind: "endBeforeStart" },
    ]);
  });

  it("refuses a full department", () => {
    expect(placementProblems(slot("c", "geri", "2026-11-10", "2026-11-11"), { capacity: 2 }, existing, cohort)).toEqual([
      { kind: "overCapacity", date: "2026-11-10" },
    ]);
  });
});

describe("placeCohort", () => {
  const departments: Department[] = [
    { id: "geri", name: "老年医学科", kind: "geriatrics", capacity: 2, mentorIds: ["m1", "m2"] },
    { id: "rehab", name: "康复医学科", kind: "rehabilitation", capacity: 1, mentorIds: ["m3"] },
  ];
  const requirements = [
    { departmentKind: "geriatrics" as const, days: 10 },
    { departmentKind: "rehabilitation" as const, days: 5 },
  ];
  const trainees = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ enrolmentId: `e${i + 1}`, personId: `p${i + 1}`, alreadyPlacedKinds: [] }));

  it("places everyone within capacity, without overlaps, sharing the mentors", () => {
    const plan = placeCohort({ departments, trainees: trainees(3), requirements, window: cohort, existing: [] });
    expect(plan.unplaced).toEqual([]);
    expect(plan.placements).toHaveLength(6);
    for (const p of plan.placements) {
      const others = plan.placements.filter((q) => q !== p);
      const dept = departments.find((d) => d.id === p.departmentId)!;
      expect(placementProblems(p, dept, others, cohort)).toEqual([]);
      expect(p.start >= cohort.startDate && p.end <= cohort.endDate).toBe(true);
    }
    const geri = plan.placements.filter((p) => p.departmentId === "geri");
    expect(new Set(geri.slice(0, 2).map((p) => p.mentorId))).toEqual(new Set(["m1", "m2"]));
    expect(plan.placements.find((p) => p.enrolmentId === "e1" && p.departmentId === "geri")).toMatchObject({
      start: "2026-11-02",
      end: "2026-11-13",
      requiredDays: 10,
    });
  });

  it("lists what cannot fit, and why", () => {
    const short = { startDate: "2026-11-02", endDate: "2026-11-20" };
    const plan = placeCohort({ departments, trainees: trainees(3), requirements, window: short, existing: [] });
    // Two fit geriatrics side by side, the third has no room; rehab takes one at a time, 5 days each.
    expect(plan.unplaced).toEqual([{ enrolmentId: "e3", departmentKind: "geriatrics", days: 10, reason: "noRoom" }]);
    const none = placeCohort({ departments: departments.slice(0, 1), trainees: trainees(1), requirements, window: cohort, existing: [] });
    expect(none.unplaced).toEqual([{ enrolmentId: "e1", departmentKind: "rehabilitation", days: 5, reason: "noDepartment" }]);
    const noMentor = placeCohort({
      departments: [{ ...departments[1], mentorIds: [] }],
      trainees: trainees(1),
      requirements: requirements.slice(1),
      window: cohort,
      existing: [],
    });
    expect(noMentor.unplaced).toEqual([{ enrolmentId: "e1", departmentKind: "rehabilitation", days: 5, reason: "noMentor" }]);
  });

  it("respects placements already made and never starts before the earliest day", () => {
    const existing = [slot("x", "rehab", "2026-11-02", "2026-12-31")];
    const plan = placeCohort({
      departments,
      trainees: [{ enrolmentId: "e1", personId: "p1", alreadyPlacedKinds: ["geriatrics"] }],
      requirements,
      window: cohort,
      existing,
    });
    expect(plan.placements).toEqual([]);
    expect(plan.unplaced).toEqual([{ enrolmentId: "e1", departmentKind: "rehabilitation", days: 5, reason: "noRoom" }]);
    const later = placeCohort({
      departments,
      trainees: trainees(1),
      requirements: requirements.slice(0, 1),
      window: cohort,
      existing: [],
      earliestStart: "2026-11-21",
    });
    expect(later.placements[0]).toMatchObject({ start: "2026-11-23", end: "2026-12-04" });
  });

  it("never places a person on days they spend in a placement of another of their enrolments", () => {
    // p1 is in neurology for another cohort for the first two weeks; their geriatrics block comes after.
    const existing = [slot("other-cohort", "neuro", "2026-11-02", "2026-11-13", "p1")];
    const plan = placeCohort({ departments, trainees: trainees(1), requirements: requirements.slice(0, 1), window: cohort, existing });
    expect(plan.placements).toHaveLength(1);
    expect(plan.placements[0]).toMatchObject({
      personId: "p1",
      enrolmentId: "e1",
      departmentId: "geri",
      start: "2026-11-16",
      end: "2026-11-27",
    });
    // The same slot for someone else starts at once.
    const other = placeCohort({
      departments,
      trainees: [{ enrolmentId: "e9", personId: "p9", alreadyPlacedKinds: [] }],
      requirements: requirements.slice(0, 1),
      window: cohort,
      existing,
    });
    expect(other.placements[0]).toMatchObject({ start: "2026-11-02" });
  });

  it("keeps one person's two enrolments in the same run apart", () => {
    const twice = [
      { enrolmentId: "e1", personId: "p1", alreadyPlacedKinds: [] },
      { enrolmentId: "e2", personId: "p1", alreadyPlacedKinds: [] },
    ];
    const plan = placeCohort({ departments, trainees: twice, requirements: requirements.slice(0, 1), window: cohort, existing: [] });
    expect(plan.placements.map((p) => [p.enrolmentId, p.start, p.end])).toEqual([
      ["e1", "2026-11-02", "2026-11-13"],
      ["e2", "2026-11-16", "2026-11-27"],
    ]);
  });
});

describe("department edits against what is booked", () => {
  const today = "2026-11-10";
  const booked = [
    { start: "2026-11-02", end: "2026-11-06" }, // over
    { start: "2026-11-09", end: "2026-11-20" },
    { start: "2026-11-16", end: "2026-11-27" },
    { start: "2026-11-18", end: "2026-11-19" },
  ];
  const settings = { kind: "geriatrics" as const, capacity: 4, active: true };

  it("finds the first day from today with more bookings than places, and how many", () => {
    expect(firstDayOverbooked(booked, 3, today)).toBeNull();
    expect(firstDayOverbooked(booked, 2, today)).toEqual({ date: "2026-11-18", booked: 3 });
    expect(firstDayOverbooked(booked, 1, today)).toEqual({ date: "2026-11-16", booked: 2 });
    expect(firstDayOverbooked(booked, 0, today)).toEqual({ date: "2026-11-10", booked: 1 });
    // Past days do not count: three were never in at once from 2026-11-20 on.
    expect(firstDayOverbooked(booked, 1, "2026-11-20")).toEqual({ date: "2026-11-20", booked: 2 });
    expect(firstDayOverbooked(booked, 1, "2026-11-21")).toBeNull();
  });

  it("refuses fewer places than are booked, another kind once used, and closing with placements to come", () => {
    expect(departmentChangeProblems(settings, { ...settings, capacity: 3 }, booked, today)).toEqual([]);
    expect(departmentChangeProblems(settings, { ...settings, capacity: 2 }, booked, today)).toEqual([
      { kind: "capacityBelowBookings", date: "2026-11-18", booked: 3 },
    ]);
    expect(departmentChangeProblems(settings, { ...settings, kind: "neurology" }, booked, today)).toEqual([{ kind: "kindInUse" }]);
    expect(departmentChangeProblems(settings, { ...settings, kind: "neurology" }, [], today)).toEqual([]);
    expect(departmentChangeProblems(settings, { ...settings, active: false }, booked, today)).toEqual([
      { kind: "closedWithPlacements", placements: 3, lastDay: "2026-11-27" },
    ]);
    // Only past placements: closing is fine, the kind still cannot change.
    expect(departmentChangeProblems(settings, { ...settings, active: false }, booked.slice(0, 1), today)).toEqual([]);
    expect(departmentChangeProblems(settings, { ...settings, kind: "other" }, booked.slice(0, 1), today)).toEqual([{ kind: "kindInUse" }]);
    // Raising capacity or keeping it is never refused, whatever is booked.
    expect(departmentChangeProblems({ ...settings, capacity: 1 }, { ...settings, capacity: 1 }, booked, today)).toEqual([]);
  });
});

describe("sign-off timing and completion of a placement", () => {
  const p = { start: "2026-11-02", end: "2026-11-13" };
  it("opens on the first day and closes seven days after the end", () => {
    expect(signOffTiming(p, "2026-11-01")).toBe("notStarted");
    expect(signOffTiming(p, "2026-11-02")).toBe("onTime");
    expect(signOffTiming(p, "2026-11-20")).toBe("onTime");
    expect(signOffTiming(p, "2026-11-21")).toBe("late");
  });

  it("is complete when the days are attended and the evaluation passed, counting approved entries only", () => {
    const days = (n: number, status = "approved") =>
      Array.from({ length: n }, (_, i) => ({ id: i + 1, kind: "day", status, passed: null }));
    const evaluation = (passed: boolean, id = 100, status = "approved") => ({ id, kind: "evaluation", status, passed });
    expect(placementRecord(5, [...days(5), evaluation(true)]).complete).toBe(true);
    expect(placementRecord(5, [...days(4), evaluation(true)]).complete).toBe(false);
    expect(placementRecord(5, [...days(5), evaluation(false)]).complete).toBe(false);
    expect(placementRecord(5, [...days(5), evaluation(false, 100), evaluation(true, 101)]).complete).toBe(true);
    expect(placementRecord(5, [...days(4), ...days(1, "pending"), evaluation(true)])).toMatchObject({ attendedDays: 4, complete: false });
  });
});

describe("board window", () => {
  const today = "2026-11-25"; // a Wednesday

  it("falls back to this week for an impossible or missing date, and says so for an impossible one", () => {
    expect(boardWindow("2026-13-45", null, today)).toEqual({ from: "2026-11-23", to: "2027-01-17", weekCount: 8, invalidFrom: true });
    expect(boardWindow("2026-02-30", "2", today)).toMatchObject({ from: "2026-11-23", invalidFrom: true });
    expect(boardWindow("garbage", "2", today)).toMatchObject({ from: "2026-11-23", invalidFrom: true });
    expect(boardWindow(null, null, today)).toMatchObject({ from: "2026-11-23", invalidFrom: false });
    expect(boardWindow("", null, today)).toMatchObject({ from: "2026-11-23", invalidFrom: false });
    expect(boardWindow("2026-12-03", "1", today)).toEqual({ from: "2026-11-30", to: "2026-12-06", weekCount: 1, invalidFrom: false });
  });

  it("shows a whole number of weeks from 1 to 26", () => {
    const weeks = (w: string | null) => boardWindow(null, w, today).weekCount;
    expect([weeks("0"), weeks("3"), weeks("26"), weeks("27"), weeks("100000"), weeks("9".repeat(400))]).toEqual([1, 3, 26, 26, 26, 26]);
    expect([weeks(null), weeks(""), weeks("-5"), weeks("2.5"), weeks("abc"), weeks("1e3")]).toEqual([8, 8, 8, 8, 8, 8]);
  });
});

describe("rotationBoard", () => {
  it("shows who is where each week and the places left on the busiest day", () => {
    const board = rotationBoard(
      [{ id: "geri", capacity: 2 }],
      [
        { ...slot("a", "geri", "2026-11-02", "2026-11-13"), label: "甲" },
        { ...slot("b", "geri", "2026-11-12", "2026-11-20"), label: "乙" },
      ],
      "2026-11-04",
      "2026-11-22",
    );
    expect(board.weeks).toEqual(["2026-11-02", "2026-11-09", "2026-11-16"]);
    expect(board.rows.geri.map((c) => [c.occupants, c.free])).toEqual([
      [["甲"], 1],
      [["甲", "乙"], 0],
      [["乙"], 1],
    ]);
  });
});
