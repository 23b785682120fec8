import { describe, expect, it } from "vitest";
import { evaluateCompletion } from "../../app/domain/completion";
import { buildStudyRecord, completionEventsOf, formatDuration, formatTenths, type StudyRecordRows } from "../../app/domain/study-record";
import { sampleRules } from "../support/rules";

/** The sample programme split as version 3 splits: 1 h of module one online, 0.5 h of module two; 8.5 h in class. */
const split = sampleRules({
  version: 3,
  modules: [
    {
      code: "m1",
      title: "模块一",
      theoryHours: 4,
      onlineHours: 1,
      lessons: [
        { code: "l1", title: "第一课" },
        { code: "l2", title: "第二课" },
      ],
    },
    { code: "m2", title: "模块二", theoryHours: 2, onlineHours: 0.5, lessons: [{ code: "l1", title: "第一课" }] },
  ],
});
/** The same programme as published before the split: finished modules count their whole theory hours. */
const old = sampleRules();

const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 10, day, hour)).toISOString();

function rows(): StudyRecordRows {
  return {
    views: [
      // 40 min + 35 min on module one: 75 min, 1.2 h, capped at its 1 h share.
      { moduleCode: "m1", lessonCode: "l1", opened: 3, firstOpenedAt: at(2), seconds: 2400 },
      { moduleCode: "m1", lessonCode: "l2", opened: 1, firstOpenedAt: at(3), seconds: 2100 },
      // 17 min 59 s on module two: 0.2 h (1079 s, 2 whole tenths of 360 s).
      { moduleCode: "m2", lessonCode: "l1", opened: 2, firstOpenedAt: at(4), seconds: 1079 },
    ],
    lessonsRead: [
      { moduleCode: "m1", lessonCode: "l1", completedAt: at(2, 10) },
      { moduleCode: "m1", lessonCode: "l2", completedAt: at(3, 10) },
      { moduleCode: "m2", lessonCode: "l1", completedAt: at(4, 10) },
    ],
    attempts: [
      { kind: "quiz", moduleCode: "m1", startedAt: at(3, 11), submittedAt: at(3, 12), scorePercent: 100, passed: true },
      { kind: "quiz", moduleCode: "m2", startedAt: at(4, 11), submittedAt: at(4, 12), scorePercent: 50, passed: false },
      { kind: "exam", moduleCode: null, startedAt: at(6), submittedAt: at(6, 10), scorePercent: 60, passed: false },
      { kind: "exam", moduleCode: null, startedAt: at(8), submittedAt: at(8, 10), scorePercent: 90, passed: true },
    ],
    attendance: [
      { sessionId: 2, date: "2026-11-05", title: "课堂理论二", kind: "theory", sessionHours: 4, hours: 3 },
      { sessionId: 1, date: "2026-11-05", title: "课堂理论一", kind: "theory", sessionHours: 4, hours: 4 },
      { sessionId: 3, date: "2026-11-06", title: "实操", kind: "practice", sessionHours: 6, hours: 6 },
    ],
    practicals: [
      {
        id: 11,
        skillCode: "hand-hygiene",
        result: "fail",
        examiner: "王丽华",
        examiner2: null,
        itemMarks: JSON.stringify({ a: true, b: false }),
        score: 60,
        assessedOn: "2026-11-06",
      },
      {
        id: 12,
        skillCode: "hand-hygiene",
        result: "pass",
        examiner: "王丽华",
        examiner2: "李强",
        itemMarks: JSON.stringify({ a: true, b: true }),
        score: 100,
        assessedOn: "2026-11-06",
      },
      {
        id: 10,
        skillCode: "turning",
        result: "pass",
        examiner: "王丽华",
        examiner2: null,
        itemMarks: null,
        score: null,
        assessedOn: "2026-11-07",
      },
      {
        id: 13,
        skillCode: "turning",
        result: "fail",
        examiner: "王丽华",
        examiner2: null,
        itemMarks: null,
        score: null,
        assessedOn: "2026-11-01",
      },
    ],
  };
}

const recordOf = (rules = split, r = rows()) => buildStudyRecord(rules, r, evaluateCompletion(rules, completionEventsOf(r, [])));

describe("a study record", () => {
  it("credits each module its study time in whole tenths, capped at its online share", () => {
    const record = recordOf();
    expect(record.modules.map((m) => [m.code, m.seconds, m.creditedTenths, m.shareTenths])).toEqual([
      ["m1", 4500, 10, 10],
      ["m2", 1079, 2, 5],
    ]);
  });

  it("has totals that are the sums of its rows", () => {
    const { modules, attendance, practicals, attempts, totals } = recordOf();
    expect(modules.flatMap((m) => m.lessons).reduce((n, l) => n + l.seconds, 0)).toBe(modules.reduce((n, m) => n + m.seconds, 0));
    expect(totals.onlineTenths).toBe(modules.reduce((n, m) => n + m.creditedTenths, 0));
    expect(totals.onlineTenths).toBe(12);
    expect(totals.onlineRequiredTenths).toBe(15);
    expect(totals.classroomHours).toBe(attendance.filter((a) => a.kind === "theory").reduce((n, a) => n + a.hours, 0));
    expect(totals.classroomHours).toBe(7);
    expect(totals.classroomRequiredTenths).toBe(85);
    expect(totals.theoryTenths).toBe(totals.onlineTenths + totals.classroomHours * 10);
    expect(totals.practiceHours).toBe(6);
    expect(totals.examAttempts).toBe(attempts.filter((a) => a.kind === "exam").length);
    expect(totals.examPassed).toBe(true);
    // The latest assessment of each skill counts: a pass on the same day after a fail, a pass after an earlier fail.
    expect(practicals.filter((p) => p.counts).map((p) => [p.skillCode, p.result])).toEqual([
      ["hand-hygiene", "pass"],
      ["turning", "pass"],
    ]);
    expect(totals.skillsPassed).toBe(2);
  });

  it("agrees with the completion evaluated from the same rows, and says where one does not", () => {
    const record = recordOf();
    expect(record.disagreements).toEqual([]);
    const completion = evaluateCompletion(split, completionEventsOf(rows(), []));
    expect(record.totals.theoryTenths).toBe(Math.round(completion.progress.theoryHours * 10));
    expect(record.totals.onlineTenths).toBe(Math.round(completion.progress.onlineHours! * 10));
    expect(record.status).toBe("in_progress");
    expect(record.missing).toEqual(completion.missing);

    const stale = { ...completion, progress: { ...completion.progress, practiceHours: 2 } };
    expect(buildStudyRecord(split, rows(), stale).disagreements).toEqual(["practiceHours: 6 / 2"]);
  });

  it("lists the attempts by start and the sessions by date, naming modules and skills by title", () => {
    const record = recordOf();
    expect(record.attempts.map((a) => [a.kind, a.moduleTitle, a.passed])).toEqual([
      ["quiz", "模块一", true],
      ["quiz", "模块二", false],
      ["exam", null, false],
      ["exam", null, true],
    ]);
    expect(record.attendance.map((a) => a.title)).toEqual(["课堂理论一", "课堂理论二", "实操"]);
    const scored = record.practicals.find((p) => p.score === 100)!;
    expect(scored).toMatchObject({ skillTitle: "七步洗手法", examiners: ["王丽华", "李强"], itemsMet: 2, itemsMarked: 2 });
    expect(record.practicals.find((p) => p.score === null)).toMatchObject({ itemsMet: null, itemsMarked: null });
  });

  it("keeps study under a lesson code the version does not list in its module's time, and lists it", () => {
    const r = rows();
    r.views.push({ moduleCode: "m2", lessonCode: "old-lesson", opened: 1, firstOpenedAt: at(1), seconds: 721 });
    const record = recordOf(split, r);
    const m2 = record.modules.find((m) => m.code === "m2")!;
    expect(m2.lessons.map((l) => [l.code, l.inVersion])).toEqual([
      ["l1", true],
      ["old-lesson", false],
    ]);
    expect(m2.seconds).toBe(1800);
    expect(m2.creditedTenths).toBe(5);
    expect(record.disagreements).toEqual([]);
  });

  it("lists study under a module the version does not have, counting it toward nothing", () => {
    const r = rows();
    r.views.push({ moduleCode: "gone", lessonCode: "x", opened: 1, firstOpenedAt: at(1), seconds: 3600 });
    const record = recordOf(split, r);
    expect(record.modules.at(-1)).toMatchObject({ code: "gone", inVersion: false, seconds: 3600, creditedTenths: 0 });
    expect(record.totals.onlineTenths).toBe(12);
    expect(record.disagreements).toEqual([]);
  });

  it("in a version without online shares, shows study time only and credits finished modules their whole hours", () => {
    const record = recordOf(old);
    expect(record.totals.split).toBe(false);
    expect(record.modules.map((m) => [m.code, m.shareTenths, m.seconds, m.finished, m.creditedTenths])).toEqual([
      ["m1", null, 4500, true, 40],
      // Every lesson read but the quiz failed: not finished, nothing credited, whatever the time studied.
      ["m2", null, 1079, false, 0],
    ]);
    expect(record.totals).toMatchObject({
      onlineTenths: 40,
      onlineRequiredTenths: null,
      classroomRequiredTenths: null,
      theoryTenths: 110,
      theoryRequired: 10,
    });
    expect(record.disagreements).toEqual([]);
  });

  it("of a trainee who has done nothing yet, is all zeros and lists every lesson", () => {
    const empty = { views: [], lessonsRead: [], attempts: [], attendance: [], practicals: [] };
    const record = recordOf(split, empty);
    expect(record.modules.flatMap((m) => m.lessons)).toHaveLength(3);
    expect(record.modules.flatMap((m) => m.lessons).every((l) => l.opened === 0 && l.firstOpenedAt === null && l.readAt === null)).toBe(
      true,
    );
    expect(record.totals).toMatchObject({
      onlineTenths: 0,
      classroomHours: 0,
      theoryTenths: 0,
      practiceHours: 0,
      examAttempts: 0,
      examPassed: false,
      skillsPassed: 0,
    });
    expect(record.disagreements).toEqual([]);
  });
});

describe("formatting hours and durations", () => {
  it("shows tenths of an hour with one decimal only when there is one", () => {
    expect([0, 5, 10, 12, 85, 160].map(formatTenths)).toEqual(["0", "0.5", "1", "1.2", "8.5", "16"]);
  });

  it("shows durations exact to the second", () => {
    expect([0, 59, 60, 1930, 3600, 3725].map(formatDuration)).toEqual(["0", "59秒", "1分", "32分10秒", "1小时", "1小时2分5秒"]);
  });
});
