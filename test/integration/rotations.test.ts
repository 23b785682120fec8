import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { db } from "../../db/client.server";
import { auditLog, departments, enrolments, placements, programVersions, rotationSignoffs } from "../../db/schema";
import * as dates from "../../app/domain/dates";
import { workCalendar } from "../../app/content/calendars.server";
import { checkCharacter } from "../../app/domain/resident-id";
import { createCohort, enrolPeople, getCohort } from "../../app/services/cohorts.server";
import { enrolmentCompletion } from "../../app/services/completion.server";
import { today } from "../../app/services/clock.server";
import {
  autoPlaceCohort,
  boardFor,
  createPlacement,
  deletePlacement,
  endPlacementEarly,
} from "../../app/services/rotations/placements.server";
import { decideSignoff, signOff } from "../../app/services/rotations/signoffs.server";
import { hospitalDepartments, saveDepartment } from "../../app/services/rotations/departments.server";
import { loader as boardLoader } from "../../app/routes/hospital.$orgId.board";
import { contextFor, orgId, userId, withDemoData } from "./fixtures";

// Working days as the hospital counts them: holidays out, make-up weekend days in.
const { addDays } = dates;
const nextWorkingDay = (d: string) => dates.nextWorkingDay(d, workCalendar());
const endAfterWorkingDays = (d: string, n: number) => dates.endAfterWorkingDays(d, n, workCalendar());
const workingDaysIn = (from: string, to: string) => dates.workingDaysIn(from, to, workCalendar());

const hospital = () => orgId("HZ-GERI");
const coordinator = () => ({ userId: userId("coordinator"), isCoordinator: true });
const mentorOf = (username: string) => ({ userId: userId(username), isCoordinator: false });
const evaluation = (passed: boolean) => ({
  kind: "evaluation" as const,
  scores: { attitude: 4, skills: 4, communication: 5, safety: 4 },
  passed,
  comments: "认真负责",
});
let enrolmentIds: string[] = [];
let cohortId = "";
const start = addDays(today(), -60);

function dept(kind: string) {
  return hospitalDepartments(hospital()).find((d) => d.kind === kind)!;
}

beforeAll(async () => {
  await withDemoData();
  const version = db()
    .select()
    .from(programVersions)
    .all()
    .find((v) => v.programCode === "hospice-care")!;
  const created = createCohort(userId("registrar"), orgId("BASE-GERI"), {
    programVersionId: version.id,
    name: "安宁疗护班",
    startDate: start,
    endDate: addDays(today(), 60),
    capacity: 10,
    instructorIds: [],
  });
  if (!created.ok) throw new Error("cohort");
  cohortId = created.value;
  const people = ["33010519700101101", "33010519710202202", "33010519720303303"].map((f, i) => ({
    row: i + 2,
    name: `学员${i + 1}`,
    mobile: `1350000100${i}`,
    idNumber: f + checkCharacter(f),
    employer: "",
  }));
  const result = await enrolPeople(userId("registrar"), getCohort(cohortId)!, people, "roster");
  if (!result.ok) throw new Error("enrol");
  enrolmentIds = db()
    .select()
    .from(enrolments)
    .where(eq(enrolments.cohortId, cohortId))
    .all()
    .map((e) => e.id);
});

describe("departments", () => {
  it("are edited by the coordinator, with mentors of the hospital only", () => {
    const hospice = dept("hospice");
    expect(
      saveDepartment(userId("coordinator"), hospital(), hospice.id, {
        name: hospice.name,
        kind: "hospice",
        capacity: 1,
        mentorIds: [userId("registrar")],
        active: true,
      }),
    ).toEqual({ ok: false, errors: { mentorIds: "error.choose" } });
    expect(
      saveDepartment(userId("coordinator"), hospital(), null, {
        name: "老年医学科",
        kind: "geriatrics",
        capacity: 2,
        mentorIds: [],
        active: true,
      }),
    ).toEqual({ ok: false, errors: { name: "department.nameTaken" } });
    expect(
      saveDepartment(userId("coordinator"), hospital(), hospice.id, {
        name: hospice.name,
        kind: "hospice",
        capacity: 1,
        mentorIds: hospice.mentorIds,
        active: true,
      }).ok,
    ).toBe(true);
    expect(dept("hospice").capacity).toBe(1);
  });
});

describe("placing by hand", () => {
  it("refuses more required days than the dates hold working days, holidays taken out", () => {
    // 5–9 October 2026: Monday to Friday, but 5–7 are 国庆节; only the 8th and 9th are worked.
    const input = {
      enrolmentId: enrolmentIds[2],
      departmentId: dept("hospice").id,
      mentorUserId: userId("mentor.rehab"),
      startDate: "2026-10-05",
      endDate: "2026-10-09",
      requiredDays: 5,
    };
    expect(createPlacement(userId("coordinator"), hospital(), input)).toEqual({
      ok: false,
      errors: { requiredDays: "rotation.requiredOverWorkingDays" },
      params: { requiredDays: { n: 2 } },
    });
  });

  const s = nextWorkingDay(addDays(today(), -40));
  const e = endAfterWorkingDays(s, 5);

  it("refuses over capacity, overlaps, dates outside the cohort and a mentor of another department, changing nothing", () => {
    const hospice = dept("hospice");
    const base = { departmentId: hospice.id, mentorUserId: userId("mentor.rehab"), startDate: s, endDate: e, requiredDays: 5 };
    expect(createPlacement(userId("coordinator"), hospital(), { ...base, enrolmentId: enrolmentIds[0] }).ok).toBe(true);
    // The message names the first full day, and an overlap the other placement.
    expect(createPlacement(userId("coordinator"), hospital(), { ...base, enrolmentId: enrolmentIds[1] })).toEqual({
      ok: false,
      errors: { departmentId: "rotation.overCapacity" },
      params: { departmentId: { date: s } },
    });
    expect(
      createPlacement(userId("coordinator"), hospital(), { ...base, enrolmentId: enrolmentIds[1], startDate: addDays(s, -3) }),
    ).toMatchObject({
      params: { departmentId: { date: s } },
    });
    const neuro = dept("neurology");
    expect(
      createPlacement(userId("coordinator"), hospital(), {
        ...base,
        departmentId: neuro.id,
        mentorUserId: userId("mentor"),
        enrolmentId: enrolmentIds[0],
      }),
    ).toEqual({
      ok: false,
      errors: { enrolmentId: "rotation.overlap" },
      params: { enrolmentId: { department: "安宁疗护病区", start: s, end: e } },
    });
    expect(
      createPlacement(userId("coordinator"), hospital(), {
        ...base,
        departmentId: neuro.id,
        mentorUserId: userId("mentor"),
        enrolmentId: enrolmentIds[1],
        startDate: addDays(start, -7),
      }),
    ).toEqual({ ok: false, errors: { startDate: "rotation.outsideCohort" } });
    expect(createPlacement(userId("coordinator"), hospital(), { ...base, departmentId: neuro.id, enrolmentId: enrolmentIds[1] })).toEqual({
      ok: false,
      errors: { mentorUserId: "rotation.mentorNotInDepartment" },
    });
    expect(db().select().from(placements).where(eq(placements.departmentId, neuro.id)).all()).toEqual([]);
  });
});

describe("signing off", () => {
  const placementOf = (enrolmentId: string) => db().select().from(placements).where(eq(placements.enrolmentId, enrolmentId)).get()!;

  it("only the placement's mentor signs; the coordinator's entries are marked as entered on their behalf", () => {
    const p = placementOf(enrolmentIds[0]);
    const onTime = addDays(p.endDate, 3);
    expect(signOff(mentorOf("mentor"), p.id, { kind: "day", date: p.startDate }, onTime)).toEqual({
      ok: false,
      errors: { _form: "rotation.notYourTrainee" },
    });
    expect(signOff(mentorOf("mentor.rehab"), p.id, { kind: "day", date: p.startDate }, onTime)).toMatchObject({
      ok: true,
      value: { status: "approved" },
    });
    expect(signOff(coordinator(), p.id, { kind: "day", date: addDays(p.startDate, 1) }, onTime)).toMatchObject({ ok: true });
    const rows = db().select().from(rotationSignoffs).where(eq(rotationSignoffs.placementId, p.id)).all();
    expect(rows.map((r) => [r.onBehalf, r.mentorUserId, r.enteredBy])).toEqual([
      [false, userId("mentor.rehab"), userId("mentor.rehab")],
      [true, userId("mentor.rehab"), userId("coordinator")],
    ]);
  });

  it("refuses a day outside the placement, in the future, twice, or before the placement starts", () => {
    const p = placementOf(enrolmentIds[0]);
    const onTime = addDays(p.endDate, 1);
    expect(signOff(mentorOf("mentor.rehab"), p.id, { kind: "day", date: addDays(p.endDate, 1) }, onTime)).toEqual({
      ok: false,
      errors: { date: "rotation.dateOutsidePlacement" },
    });
    expect(signOff(mentorOf("mentor.rehab"), p.id, { kind: "day", date: p.startDate }, onTime)).toEqual({
      ok: false,
      errors: { date: "rotation.dayAlreadySigned" },
    });
    expect(signOff(mentorOf("mentor.rehab"), p.id, { kind: "day", date: p.endDate }, addDays(p.endDate, -1))).toEqual({
      ok: false,
      errors: { date: "error.futureDate" },
    });
    expect(signOff(mentorOf("mentor.rehab"), p.id, { kind: "skill", date: p.startDate, skillCode: "no-such-skill" }, onTime)).toEqual({
      ok: false,
      errors: { skillCode: "error.choose" },
    });
  });

  it("refuses the evaluation before the placement's last day, next to the date, writing nothing", () => {
    const p = placementOf(enrolmentIds[0]);
    const refused = { ok: false, errors: { date: "rotation.evaluationBeforeLastDay" }, params: { date: { date: p.endDate } } };
    // Signed on the first day, dated the first day.
    expect(signOff(mentorOf("mentor.rehab"), p.id, { ...evaluation(true), date: p.startDate }, p.startDate)).toEqual(refused);
    // Signed after the end but dated before the last day.
    expect(signOff(mentorOf("mentor.rehab"), p.id, { ...evaluation(true), date: addDays(p.endDate, -1) }, addDays(p.endDate, 2))).toEqual(
      refused,
    );
    // Dated the last day but signed before it; nor may the coordinator type one in early.
    expect(signOff(mentorOf("mentor.rehab"), p.id, { ...evaluation(true), date: p.endDate }, addDays(p.endDate, -1))).toEqual(refused);
    expect(signOff(coordinator(), p.id, { ...evaluation(true), date: p.startDate }, p.startDate)).toEqual(refused);
    expect(
      db()
        .select()
        .from(rotationSignoffs)
        .where(and(eq(rotationSignoffs.placementId, p.id), eq(rotationSignoffs.kind, "evaluation")))
        .all(),
    ).toEqual([]);
  });

  it("takes the evaluation on the new last day once a placement is ended early", () => {
    const neuro = dept("neurology");
    const s = nextWorkingDay(addDays(today(), -40));
    const created = createPlacement(userId("coordinator"), hospital(), {
      enrolmentId: enrolmentIds[1],
      departmentId: neuro.id,
      mentorUserId: userId("mentor"),
      startDate: s,
      endDate: endAfterWorkingDays(s, 5),
      requiredDays: 5,
    });
    if (!created.ok) throw new Error("placement");
    const lastDay = workingDaysIn(s, endAfterWorkingDays(s, 5))[2];
    expect(signOff(mentorOf("mentor"), created.value, { ...evaluation(false), date: lastDay }, addDays(lastDay, 1))).toMatchObject({
      ok: false,
      errors: { date: "rotation.evaluationBeforeLastDay" },
    });
    expect(endPlacementEarly(userId("coordinator"), hospital(), created.value, { date: lastDay, reason: "调岗" }).ok).toBe(true);
    expect(signOff(mentorOf("mentor"), created.value, { ...evaluation(false), date: lastDay }, addDays(lastDay, 1))).toMatchObject({
      ok: true,
      value: { status: "approved" },
    });
  });

  it("needs a reason and the coordinator's approval more than seven days after the end", () => {
    const p = placementOf(enrolmentIds[0]);
    const late = addDays(p.endDate, 8);
    const day = workingDaysIn(p.startDate, p.endDate)[2];
    expect(signOff(mentorOf("mentor.rehab"), p.id, { kind: "day", date: day }, late)).toEqual({
      ok: false,
      errors: { lateReason: "rotation.lateNeedsReason" },
    });
    const pending = signOff(mentorOf("mentor.rehab"), p.id, { kind: "day", date: day, lateReason: "纸质签到表遗漏" }, late);
    expect(pending).toMatchObject({ ok: true, value: { status: "pending" } });
    const before = enrolmentCompletion(enrolmentIds[0]);
    if (!pending.ok) return;
    expect(decideSignoff(userId("coordinator"), hospital(), pending.value.id, true)).toEqual({ ok: true, value: true });
    expect(decideSignoff(userId("coordinator"), hospital(), pending.value.id, true)).toEqual({
      ok: false,
      errors: { _form: "rotation.notPending" },
    });
    expect(before.missing).toContainEqual({ kind: "rotation", departmentKind: "hospice", have: 0, need: 5 });
  });

  it("a mentor who is also a coordinator cannot approve their own late entry; another coordinator can", () => {
    const p = placementOf(enrolmentIds[0]);
    const late = addDays(p.endDate, 9);
    // mentor.rehab is this placement's mentor and here also acts as coordinator.
    const both = { userId: userId("mentor.rehab"), isCoordinator: true };
    const own = signOff(both, p.id, { kind: "skill", date: p.startDate, skillCode: "oral-care", lateReason: "纸质记录补录" }, late);
    expect(own).toMatchObject({ ok: true, value: { status: "pending" } });
    if (!own.ok) return;
    expect(decideSignoff(userId("mentor.rehab"), hospital(), own.value.id, true)).toEqual({
      ok: false,
      errors: { _form: "rotation.ownEntry" },
    });
    expect(db().select().from(rotationSignoffs).where(eq(rotationSignoffs.id, own.value.id)).get()).toMatchObject({
      status: "pending",
      decidedBy: null,
    });
    expect(decideSignoff(userId("coordinator"), hospital(), own.value.id, true)).toEqual({ ok: true, value: true });
    // A coordinator typing in the mentor's late paper form needs no second step, as before.
    expect(
      signOff(
        coordinator(),
        p.id,
        { kind: "skill", date: p.startDate, skillCode: "comfort-positioning", lateReason: "纸质记录补录" },
        late,
      ),
    ).toMatchObject({ ok: true, value: { status: "approved" } });
  });

  it("turns the programme's rotation requirement complete once the days and a passed evaluation are in", () => {
    const p = placementOf(enrolmentIds[0]);
    const on = addDays(p.endDate, 2);
    for (const date of workingDaysIn(p.startDate, p.endDate).slice(3)) signOff(mentorOf("mentor.rehab"), p.id, { kind: "day", date }, on);
    expect(enrolmentCompletion(enrolmentIds[0]).missing.some((m) => m.kind === "rotation")).toBe(true);
    expect(signOff(mentorOf("mentor.rehab"), p.id, { ...evaluation(false), date: p.endDate }, on).ok).toBe(true);
    expect(enrolmentCompletion(enrolmentIds[0]).missing.some((m) => m.kind === "rotation")).toBe(true);
    expect(signOff(mentorOf("mentor.rehab"), p.id, { ...evaluation(true), date: p.endDate }, on).ok).toBe(true);
    expect(enrolmentCompletion(enrolmentIds[0]).missing.some((m) => m.kind === "rotation")).toBe(false);
    expect(enrolmentCompletion(enrolmentIds[0]).progress.rotationsDone).toBe(1);
  });

  it("a placement with sign-offs cannot be deleted, only ended early with a reason", () => {
    const p = placementOf(enrolmentIds[0]);
    expect(deletePlacement(userId("coordinator"), hospital(), p.id)).toEqual({ ok: false, errors: { _form: "rotation.hasSignoffs" } });
    expect(endPlacementEarly(userId("coordinator"), hospital(), p.id, { date: p.startDate, reason: "个人原因" })).toEqual({
      ok: false,
      errors: { date: "rotation.signedAfterEnd" },
    });
    const actions = db()
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, p.id))
      .all()
      .map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(["placement.create", "rotation.sign-day", "rotation.sign-evaluation", "rotation.approve"]),
    );
  });

  it("records every sign-off in the audit log under the hospital", () => {
    const p = placementOf(enrolmentIds[0]);
    const signs = db()
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, p.id))
      .all()
      .filter((a) => a.action.startsWith("rotation.sign-"));
    expect(signs.length).toBeGreaterThan(5);
    expect(new Set(signs.map((a) => a.organisationId))).toEqual(new Set([hospital()]));
  });
});

describe("automatic placement", () => {
  it("places the rest of the cohort within capacity and lists whom it could not place, with the reason", () => {
    const result = autoPlaceCohort(userId("coordinator"), hospital(), cohortId);
    // Hospice takes one trainee at a time (capacity 1), 5 working days each: both others fit in turn.
    expect(result.placed).toBe(2);
    expect(result.unplaced).toEqual([]);
    const hospice = dept("hospice");
    // A department with no places counts as none; it cannot drop to no places while these two are booked, so they go first.
    for (const p of db()
      .select()
      .from(placements)
      .where(and(eq(placements.departmentId, hospice.id), inArray(placements.enrolmentId, enrolmentIds.slice(1))))
      .all()) {
      expect(deletePlacement(userId("coordinator"), hospital(), p.id).ok).toBe(true);
    }
    expect(
      saveDepartment(userId("coordinator"), hospital(), hospice.id, {
        name: hospice.name,
        kind: "hospice",
        capacity: 0,
        mentorIds: hospice.mentorIds,
        active: true,
      }).ok,
    ).toBe(true);
    const version = db()
      .select()
      .from(programVersions)
      .all()
      .find((v) => v.programCode === "hospice-care")!;
    const other = createCohort(userId("registrar"), orgId("BASE-GERI"), {
      programVersionId: version.id,
      name: "另一班",
      startDate: today(),
      endDate: addDays(today(), 30),
      capacity: 5,
      instructorIds: [],
    });
    if (!other.ok) throw new Error("cohort");
    return enrolPeople(
      userId("registrar"),
      getCohort(other.value)!,
      [
        {
          row: 2,
          name: "学员九",
          mobile: "13500001009",
          idNumber: "33010519730404404" + checkCharacter("33010519730404404"),
          employer: "",
        },
      ],
      "single",
    ).then(() => {
      expect(autoPlaceCohort(userId("coordinator"), hospital(), other.value)).toEqual({
        placed: 0,
        unplaced: [{ name: "学员九", departmentKind: "hospice", days: 5, reason: "noDepartment" }],
      });
      expect(db().select().from(departments).where(eq(departments.id, hospice.id)).get()!.capacity).toBe(0);
      expect(
        saveDepartment(userId("coordinator"), hospital(), hospice.id, {
          name: hospice.name,
          kind: "hospice",
          capacity: 1,
          mentorIds: hospice.mentorIds,
          active: true,
        }).ok,
      ).toBe(true);
    });
  });
});

describe("department edits that would break what is booked", () => {
  const hospiceBooked = () =>
    db()
      .select()
      .from(placements)
      .where(eq(placements.departmentId, dept("hospice").id))
      .all()
      .filter((p) => p.endDate >= today())
      .sort((a, b) => a.startDate.localeCompare(b.startDate));
  const auditCount = (id: string) => db().select().from(auditLog).where(eq(auditLog.entityId, id)).all().length;

  beforeAll(() => {
    // Hospice (capacity 1) takes two trainees one after the other, from the next working day.
    const first = nextWorkingDay(addDays(today(), 1));
    const second = nextWorkingDay(addDays(endAfterWorkingDays(first, 5), 1));
    [first, second].forEach((start, i) => {
      const placed = createPlacement(userId("coordinator"), hospital(), {
        enrolmentId: enrolmentIds[i + 1],
        departmentId: dept("hospice").id,
        mentorUserId: userId("mentor.rehab"),
        startDate: start,
        endDate: endAfterWorkingDays(start, 5),
        requiredDays: 5,
      });
      if (!placed.ok) throw new Error("placement");
    });
  });

  it("refuses fewer places than are booked, naming the first such day and how many are booked", () => {
    const hospice = dept("hospice");
    const before = auditCount(hospice.id);
    const [first, second] = hospiceBooked();
    expect(saveDepartment(userId("coordinator"), hospital(), hospice.id, { ...hospice, capacity: 0 })).toEqual({
      ok: false,
      errors: { capacity: "department.capacityBelowBookings" },
      params: { capacity: { date: first.startDate, n: 1 } },
    });
    // With two places and a third trainee alongside the second, that day is the one named.
    expect(saveDepartment(userId("coordinator"), hospital(), hospice.id, { ...hospice, capacity: 2 }).ok).toBe(true);
    const extra = createPlacement(userId("coordinator"), hospital(), {
      enrolmentId: enrolmentIds[0],
      departmentId: hospice.id,
      mentorUserId: userId("mentor.rehab"),
      startDate: second.startDate,
      endDate: endAfterWorkingDays(second.startDate, 3),
      requiredDays: 3,
    });
    if (!extra.ok) throw new Error("placement");
    expect(saveDepartment(userId("coordinator"), hospital(), hospice.id, { ...hospice, capacity: 1 })).toMatchObject({
      ok: false,
      params: { capacity: { date: second.startDate, n: 2 } },
    });
    expect(dept("hospice").capacity).toBe(2);
    expect(deletePlacement(userId("coordinator"), hospital(), extra.value).ok).toBe(true);
    expect(saveDepartment(userId("coordinator"), hospital(), hospice.id, { ...hospice, capacity: 1 }).ok).toBe(true);
    expect(dept("hospice").capacity).toBe(1);
    // Only the two saves that went through were recorded.
    expect(auditCount(hospice.id)).toBe(before + 2);
  });

  it("refuses another kind once the department has placements, and closing it while placements run or are to come", () => {
    const hospice = dept("hospice");
    const before = auditCount(hospice.id);
    expect(saveDepartment(userId("coordinator"), hospital(), hospice.id, { ...hospice, kind: "other" })).toEqual({
      ok: false,
      errors: { kind: "department.kindInUse" },
    });
    const running = hospiceBooked();
    expect(saveDepartment(userId("coordinator"), hospital(), hospice.id, { ...hospice, active: false })).toEqual({
      ok: false,
      errors: { active: "department.closedWithPlacements" },
      params: { active: { n: running.length, date: running.at(-1)!.endDate } },
    });
    expect(dept("hospice")).toMatchObject({ kind: "hospice", active: true });
    expect(auditCount(hospice.id)).toBe(before);
    // A department nobody was placed in may change kind and close.
    const created = saveDepartment(userId("coordinator"), hospital(), null, {
      name: "老年病房二区",
      kind: "geriatrics",
      capacity: 2,
      mentorIds: [],
      active: true,
    });
    if (!created.ok) throw new Error("department");
    expect(
      saveDepartment(userId("coordinator"), hospital(), created.value, {
        name: "老年病房二区",
        kind: "other",
        capacity: 1,
        mentorIds: [],
        active: false,
      }).ok,
    ).toBe(true);
  });
});

describe("automatic placement in the audit log", () => {
  it("records each placement it makes in the audit log like a hand placement, and a summary for the cohort", async () => {
    const version = db()
      .select()
      .from(programVersions)
      .all()
      .find((v) => v.programCode === "hospice-care")!;
    const created = createCohort(userId("registrar"), orgId("BASE-GERI"), {
      programVersionId: version.id,
      name: "审计班",
      startDate: today(),
      endDate: addDays(today(), 60),
      capacity: 5,
      instructorIds: [],
    });
    if (!created.ok) throw new Error("cohort");
    const people = ["33010519740505505", "33010519750606606"].map((f, i) => ({
      row: i + 2,
      name: `审计学员${i + 1}`,
      mobile: `1350000200${i}`,
      idNumber: f + checkCharacter(f),
      employer: "",
    }));
    await enrolPeople(userId("registrar"), getCohort(created.value)!, people, "roster");
    const hospice = dept("hospice");
    expect(autoPlaceCohort(userId("coordinator"), hospital(), created.value).placed).toBe(2);
    const made = db()
      .select()
      .from(placements)
      .innerJoin(enrolments, eq(enrolments.id, placements.enrolmentId))
      .where(eq(enrolments.cohortId, created.value))
      .all()
      .map((r) => r.placements);
    expect(made).toHaveLength(2);
    for (const p of made) {
      const entries = db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityType, "placement"), eq(auditLog.entityId, p.id)))
        .all();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ action: "placement.create", actorUserId: userId("coordinator"), organisationId: hospital() });
      expect(JSON.parse(entries[0].details)).toMatchObject({
        enrolmentId: p.enrolmentId,
        departmentId: hospice.id,
        department: "安宁疗护病区",
        mentorUserId: p.mentorUserId,
        startDate: p.startDate,
        endDate: p.endDate,
        requiredDays: 5,
        auto: true,
      });
    }
    expect(
      made.map((p) => JSON.parse(db().select().from(auditLog).where(eq(auditLog.entityId, p.id)).get()!.details).trainee).sort(),
    ).toEqual(["审计学员1", "审计学员2"]);
    const summary = db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "placement.auto-place"), eq(auditLog.entityId, created.value)))
      .all();
    expect(summary).toHaveLength(1);
    expect(JSON.parse(summary[0].details)).toMatchObject({ placed: 2 });
  });
});

describe("one person in two cohorts", () => {
  it("is never placed in two departments on the same days, by hand or automatically", async () => {
    const versions = db().select().from(programVersions).all();
    const cohortFor = (code: string, name: string) => {
      const created = createCohort(userId("registrar"), orgId("BASE-GERI"), {
        programVersionId: versions.find((v) => v.programCode === code)!.id,
        name,
        startDate: addDays(today(), -10),
        endDate: addDays(today(), 120),
        capacity: 5,
        instructorIds: [],
      });
      if (!created.ok) throw new Error("cohort");
      return created.value;
    };
    const instructorCohort = cohortFor("caregiver-instructor", "师资双报班");
    const hospiceCohort = cohortFor("hospice-care", "安宁双报班");
    const person = {
      row: 2,
      name: "双报学员",
      mobile: "13500003000",
      idNumber: "33010519760707707" + checkCharacter("33010519760707707"),
      employer: "",
    };
    for (const c of [instructorCohort, hospiceCohort])
      expect((await enrolPeople(userId("registrar"), getCohort(c)!, [person], "single")).ok).toBe(true);
    const enrolmentOf = (c: string) => db().select().from(enrolments).where(eq(enrolments.cohortId, c)).get()!;
    expect(enrolmentOf(instructorCohort).userId).toBe(enrolmentOf(hospiceCohort).userId);

    // Geriatrics for the instructor course, by hand, from the first day hospice has room again.
    const hospiceBookedUntil = db()
      .select()
      .from(placements)
      .where(eq(placements.departmentId, dept("hospice").id))
      .all()
      .map((p) => p.endDate)
      .sort()
      .at(-1)!;
    const g0 = nextWorkingDay(addDays(hospiceBookedUntil > today() ? hospiceBookedUntil : today(), 1));
    const gEnd = endAfterWorkingDays(g0, 10);
    const geri = createPlacement(userId("coordinator"), hospital(), {
      enrolmentId: enrolmentOf(instructorCohort).id,
      departmentId: dept("geriatrics").id,
      mentorUserId: userId("mentor"),
      startDate: g0,
      endDate: gEnd,
      requiredDays: 10,
    });
    expect(geri.ok).toBe(true);

    // Hospice for the hospice course on some of the same days: refused, naming the geriatrics placement.
    const h0 = workingDaysIn(g0, gEnd)[3];
    expect(
      createPlacement(userId("coordinator"), hospital(), {
        enrolmentId: enrolmentOf(hospiceCohort).id,
        departmentId: dept("hospice").id,
        mentorUserId: userId("mentor.rehab"),
        startDate: h0,
        endDate: endAfterWorkingDays(h0, 5),
        requiredDays: 5,
      }),
    ).toEqual({
      ok: false,
      errors: { enrolmentId: "rotation.overlap" },
      params: { enrolmentId: { department: "老年医学科", start: g0, end: gEnd } },
    });
    expect(
      db()
        .select()
        .from(placements)
        .where(eq(placements.enrolmentId, enrolmentOf(hospiceCohort).id))
        .all(),
    ).toEqual([]);

    // Automatic placement of both cohorts works around the person's other placements.
    expect(autoPlaceCohort(userId("coordinator"), hospital(), hospiceCohort)).toMatchObject({ placed: 1, unplaced: [] });
    expect(autoPlaceCohort(userId("coordinator"), hospital(), instructorCohort)).toMatchObject({ placed: 1, unplaced: [] });
    const mine = db()
      .select()
      .from(placements)
      .where(inArray(placements.enrolmentId, [enrolmentOf(instructorCohort).id, enrolmentOf(hospiceCohort).id]))
      .all()
      .sort((a, b) => a.startDate.localeCompare(b.startDate));
    expect(mine).toHaveLength(3);
    for (const [i, a] of mine.entries())
      for (const b of mine.slice(i + 1)) expect(a.endDate < b.startDate || b.endDate < a.startDate).toBe(true);
    const hospicePlacement = mine.find((p) => p.enrolmentId === enrolmentOf(hospiceCohort).id)!;
    // Hospice has room from g0, but the person is in geriatrics until gEnd.
    expect(hospicePlacement.startDate).toBe(nextWorkingDay(addDays(gEnd, 1)));
  });
});

describe("the rotation board", () => {
  const load = (query: string) =>
    boardLoader({
      context: contextFor("coordinator"),
      request: new Request(`http://localhost/hospital/${hospital()}/board${query}`),
      params: { orgId: hospital() },
    } as unknown as Parameters<typeof boardLoader>[0]);

  it("shows this week with a message for an impossible date, and keeps the number of weeks sane", async () => {
    const thisWeek = await load("");
    const impossible = await load("?from=2026-13-45&weeks=4");
    expect(impossible).toMatchObject({ from: thisWeek.from, weekCount: 4, invalidFrom: "2026-13-45" });
    expect(thisWeek.invalidFrom).toBeNull();
    expect((await load("?weeks=100000")).weeks).toHaveLength(26);
    expect((await load("?weeks=0")).weeks).toHaveLength(1);
    expect((await load("?weeks=2.5")).weekCount).toBe(8);
    expect(boardFor(hospital(), thisWeek.from, thisWeek.weeks.at(-1)!).weeks).toEqual(thisWeek.weeks);
  });
});
