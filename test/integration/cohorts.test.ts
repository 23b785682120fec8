import { beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { auditLog, cohorts, enrolments, programVersions, roleAssignments, users } from "../../db/schema";
import { checkCharacter } from "../../app/domain/resident-id";
import { signIn } from "../../app/auth/sign-in.server";
import { activationCodesOf } from "../../app/auth/activation.server";
import { createCohort, enrolPeople, enrolledTrainees, getCohort, previewRoster, type Cohort } from "../../app/services/cohorts.server";
import { readRoster } from "../../app/services/spreadsheets.server";
import { orgId, userId, withDemoData } from "./fixtures";
import { rosterXlsx } from "../support/xlsx";

const id = (first17: string) => first17 + checkCharacter(first17);
let cohort: Cohort;

function versionId(code: string) {
  return db()
    .select()
    .from(programVersions)
    .all()
    .find((v) => v.programCode === code)!.id;
}

function countOf(table: typeof users | typeof enrolments) {
  return db().select({ n: count() }).from(table).get()!.n;
}

beforeAll(async () => {
  await withDemoData();
  const created = createCohort(userId("registrar"), orgId("BASE-GERI"), {
    programVersionId: versionId("medical-nursing-assistant"),
    name: "2026年第5期医疗护理员班",
    startDate: "2026-11-01",
    endDate: "2027-01-31",
    capacity: 4,
    instructorIds: [userId("instructor")],
  });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  cohort = getCohort(created.value)!;
});

describe("opening a cohort", () => {
  it("is refused at a base whose accreditation is suspended", () => {
    const result = createCohort(userId("admin"), orgId("BASE-REHAB"), {
      programVersionId: versionId("hospice-care"),
      name: "x",
      startDate: "2026-12-01",
      endDate: "2026-12-31",
      capacity: 10,
      instructorIds: [],
    });
    expect(result).toEqual({ ok: false, errors: { _form: "cohort.baseNotAccredited" } });
  });

  it("only names instructors of the same base", () => {
    const result = createCohort(userId("registrar.fy"), orgId("BASE-FY"), {
      programVersionId: versionId("hospice-care"),
      name: "x",
      startDate: "2026-12-01",
      endDate: "2026-12-31",
      capacity: 10,
      instructorIds: [userId("instructor")],
    });
    expect(result).toEqual({ ok: false, errors: { instructorIds: "error.choose" } });
  });

  it("is refused under a name the base already uses, next to the name, and adds nothing; another base may use it", () => {
    const input = {
      programVersionId: versionId("hospice-care"),
      name: "2027年第1期安宁疗护班",
      startDate: "2027-01-04",
      endDate: "2027-03-31",
      capacity: 10,
      instructorIds: [],
    };
    expect(createCohort(userId("registrar"), orgId("BASE-GERI"), input).ok).toBe(true);
    const before = db().select({ n: count() }).from(cohorts).get()!.n;
    expect(createCohort(userId("registrar"), orgId("BASE-GERI"), input)).toEqual({ ok: false, errors: { name: "cohort.nameTaken" } });
    expect(db().select({ n: count() }).from(cohorts).get()!.n).toBe(before);
    expect(createCohort(userId("registrar.fy"), orgId("BASE-FY"), input).ok).toBe(true);
  });
});

describe("choosing the programme of a new cohort", () => {
  const input = { name: "版本测试班", startDate: "2026-12-01", endDate: "2026-12-31", capacity: 10, instructorIds: [] };

  it("says next to the field that an unknown programme version cannot be chosen, and opens nothing", () => {
    const before = db().select({ n: count() }).from(cohorts).get()!.n;
    expect(createCohort(userId("registrar"), orgId("BASE-GERI"), { ...input, programVersionId: 987654 })).toEqual({
      ok: false,
      errors: { programVersionId: "cohort.programNotCurrent" },
    });
    expect(db().select({ n: count() }).from(cohorts).get()!.n).toBe(before);
  });

  it("refuses a superseded version of a programme, and accepts its current one", () => {
    const current = db()
      .select()
      .from(programVersions)
      .all()
      .find((v) => v.programCode === "hospice-care")!;
    const older = db()
      .insert(programVersions)
      .values({ programCode: current.programCode, version: current.version - 1, title: current.title, rules: current.rules })
      .returning({ id: programVersions.id })
      .get();
    expect(createCohort(userId("registrar"), orgId("BASE-GERI"), { ...input, programVersionId: older.id })).toEqual({
      ok: false,
      errors: { programVersionId: "cohort.programNotCurrent" },
    });
    expect(createCohort(userId("registrar"), orgId("BASE-GERI"), { ...input, programVersionId: current.id }).ok).toBe(true);
  });
});

describe("roster import", () => {
  it("reads a good file, creates accounts that await their activation code, and links people already known", async () => {
    const trainee = db().select().from(users).where(eq(users.username, "trainee")).get()!;
    const file = await rosterXlsx([
      ["赵一", "13700000001", id("33010519900101101"), "和睦颐养院"],
      ["钱二", "137 0000 0002", id("33010519910202202").toLowerCase(), "外区某养老院"],
      [trainee.name, trainee.mobile!, trainee.idNumber!, "拱墅区社会福利中心"],
    ]);
    const parsed = await readRoster(file);
    if (!parsed.ok) throw new Error(parsed.errors.roster);
    expect(previewRoster(cohort, parsed.value).map((r) => r.errors)).toEqual([[], [], []]);
    const usersBefore = countOf(users);

    expect(await enrolPeople(userId("registrar"), cohort, parsed.value, "roster")).toEqual({ ok: true, enrolled: 3 });
    expect(countOf(users)).toBe(usersBefore + 2);
    expect(
      enrolledTrainees(cohort.id)
        .map((t) => t.name)
        .sort(),
    ).toEqual(["张小明", "赵一", "钱二"].sort());

    const zhao = db().select().from(users).where(eq(users.mobile, "13700000001")).get()!;
    expect(zhao.mustChangePassword).toBe(true);
    const roles = db().select().from(roleAssignments).where(eq(roleAssignments.userId, zhao.id)).all();
    expect(roles).toMatchObject([{ role: "trainee", organisationId: orgId("NH-HEMU") }]);
    const qian = db().select().from(users).where(eq(users.mobile, "13700000002")).get()!;
    expect(db().select().from(roleAssignments).where(eq(roleAssignments.userId, qian.id)).all()).toMatchObject([
      { role: "trainee", organisationId: orgId("BASE-GERI") },
    ]);
    // The new trainee has no password: not the end of their ID number, only the activation code on their slip.
    expect(zhao.passwordHash).toBe("!");
    const transport = { secure: false };
    expect(await signIn({ identifier: "13700000001", password: zhao.idNumber!.slice(-6), clientAddress: "10.9.0.1", transport })).toEqual({
      ok: false,
      error: "invalid",
    });
    const { code } = activationCodesOf([zhao.id]).get(zhao.id)!;
    expect(
      await signIn({
        identifier: "13700000001",
        password: code.toLowerCase().replace(/^(.{4})/, "$1-"),
        clientAddress: "10.9.0.1",
        transport,
      }),
    ).toMatchObject({ ok: true });
  });

  it("lists every kind of bad row and enrols nobody", async () => {
    const file = await rosterXlsx([
      ["孙三", "13700000003", id("33010519920303303")],
      ["李四", "13700000004", "330105199204044041"],
      ["周五", "13700000005", 330105199205055000],
      ["吴六", "１３７０００００００６", id("33010519920606606")],
      ["郑七", "13700000007", id("33010519920303303")],
      ["张小明", "13800000001", db().select().from(users).where(eq(users.username, "trainee")).get()!.idNumber!],
      ["王八", "13700000008", id("33010519920808808")],
    ]);
    const parsed = await readRoster(file);
    if (!parsed.ok) throw new Error(parsed.errors.roster);
    const before = { users: countOf(users), enrolments: countOf(enrolments) };
    const result = await enrolPeople(userId("registrar"), cohort, parsed.value, "roster");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byRow = Object.fromEntries(result.rows.map((r) => [r.row, r.errors]));
    expect(byRow).toEqual({
      2: [],
      3: ["id.checksum"],
      4: ["id.scientific"],
      5: ["roster.overCapacity"], // its full-width mobile is read as digits, so only the room is missing
      6: ["roster.duplicateInFile"],
      7: ["roster.alreadyEnrolled"],
      8: ["roster.overCapacity"], // capacity 4: three enrolled, so only row 2 still fits
    });
    expect({ users: countOf(users), enrolments: countOf(enrolments) }).toEqual(before);
  });

  it("refuses a name the certificate font cannot print, naming the character, and enrols nobody", async () => {
    const rows = [{ row: 2, name: "陈𠮷", mobile: "13700000010", idNumber: id("33010519940101101"), employer: "" }];
    const [checked] = previewRoster(cohort, rows);
    expect(checked.errors).toEqual(["roster.unprintableName"]);
    expect(checked.unprintable).toBe("𠮷");
    const before = countOf(enrolments);
    expect((await enrolPeople(userId("registrar"), cohort, rows, "single")).ok).toBe(false);
    expect(countOf(enrolments)).toBe(before);
  });

  it("changes nothing when a row turns bad between preview and commit", async () => {
    const rows = [{ row: 2, name: "冯九", mobile: "13700000009", idNumber: id("33010519930909909"), employer: "" }];
    expect(previewRoster(cohort, rows)[0].errors).toEqual([]);
    // Meanwhile someone registers that mobile number elsewhere.
    db().insert(users).values({ id: "someone-else", name: "他人", mobile: "13700000009", passwordHash: "x" }).run();
    const before = countOf(enrolments);
    const result = await enrolPeople(userId("registrar"), cohort, rows, "roster");
    expect(result.ok ? [] : result.rows[0].errors).toEqual(["roster.identityConflict"]);
    expect(countOf(enrolments)).toBe(before);
  });

  it("refuses a file without the expected headings", async () => {
    expect(await readRoster(await rosterXlsx([["a", "b"]], ["名字", "电话"]))).toEqual({
      ok: false,
      errors: { roster: "roster.noHeadings" },
    });
    // Text that is no workbook is read as a .csv, and says which headings it lacks; binary that is neither is unreadable.
    expect(await readRoster(new TextEncoder().encode("not a workbook").buffer as ArrayBuffer)).toEqual({
      ok: false,
      errors: { roster: "roster.noHeadings" },
    });
    expect(await readRoster(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]))).toEqual({
      ok: false,
      errors: { roster: "roster.unreadable" },
    });
  });

  it("looks up any number of rows in one query, beyond SQLite's limit on bound parameters", () => {
    const trainee = db().select().from(users).where(eq(users.username, "trainee")).get()!;
    const birth = (i: number) =>
      `${1950 + (i % 50)}${String(1 + (Math.floor(i / 50) % 12)).padStart(2, "0")}${String(1 + (Math.floor(i / 600) % 28)).padStart(2, "0")}`;
    const stranger = (i: number) => ({
      row: i + 2,
      name: `学员${i}`,
      mobile: `137${String(i).padStart(8, "0")}`,
      idNumber: id(`330105${birth(i)}${String(Math.floor(i / 16_800)).padStart(3, "0")}`),
      employer: "",
    });
    const inputs = Array.from({ length: 40_000 }, (_, i) => stranger(i));
    inputs.push({ ...stranger(40_000), name: trainee.name, idNumber: trainee.idNumber! }, { ...stranger(40_001), mobile: trainee.mobile! });
    const rows = previewRoster(cohort, inputs);
    expect(rows.at(-2)?.existingUserId).toBe(trainee.id);
    // The demo trainee is one of this base's own, so the collision names them.
    expect(rows.at(-1)?.errors).toContain("roster.heldByKnown");
  });

  it("audit-logs every enrolment", () => {
    const logged = db().select().from(auditLog).where(eq(auditLog.action, "enrolment.create")).all();
    expect(logged.filter((e) => JSON.parse(e.details).cohortId === cohort.id)).toHaveLength(3);
  });
});

describe("mobile numbers written with a country code, spaces or dashes", () => {
  let open: Cohort;
  beforeAll(() => {
    const created = createCohort(userId("registrar"), orgId("BASE-GERI"), {
      programVersionId: versionId("family-caregiver"),
      name: "手机号写法测试班",
      startDate: "2026-11-01",
      endDate: "2027-01-31",
      capacity: 10,
      instructorIds: [],
    });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    open = getCohort(created.value)!;
  });

  it("shows a mobile number owned by someone else as a bad row in the preview, naming them when the base has them, and the commit changes nothing", async () => {
    // 13800000001 belongs to the demo trainee 张小明, a trainee of this base.
    const rows = [
      { row: 2, name: "韩一", mobile: "+86 13800000001", idNumber: id("33010519880101101"), employer: "" },
      { row: 3, name: "韩三", mobile: "86 138-0000-0001", idNumber: id("33010519880303303"), employer: "" },
    ];
    const preview = previewRoster(open, rows);
    expect(preview.map((r) => r.errors[0])).toEqual(["roster.heldByKnown", "roster.heldByKnown"]);
    // A mobile collision names the person but offers no link: the ID number is someone else's.
    expect(preview[0].heldBy).toEqual({ name: "张小明", mobile: "138****0001", canLink: false });
    const before = { users: countOf(users), enrolments: countOf(enrolments) };
    const result = await enrolPeople(userId("registrar"), open, rows, "roster");
    expect(result.ok ? [] : result.rows.map((r) => r.errors)).toEqual([
      ["roster.heldByKnown"],
      ["roster.heldByKnown", "roster.duplicateMobile"],
    ]);
    expect({ users: countOf(users), enrolments: countOf(enrolments) }).toEqual(before);
  });

  it("refuses the same in the enrol-one form, and links the owner when the ID number is theirs", async () => {
    const trainee = db().select().from(users).where(eq(users.username, "trainee")).get()!;
    const other = await enrolPeople(
      userId("registrar"),
      open,
      [{ row: 1, name: "韩四", mobile: "+8613800000001", idNumber: id("33010519880404404"), employer: "" }],
      "single",
    );
    expect(other.ok ? [] : other.rows[0].errors).toEqual(["roster.heldByKnown"]);
    const same = await enrolPeople(
      userId("registrar"),
      open,
      [{ row: 1, name: trainee.name, mobile: "+86 138-0000-0001", idNumber: trainee.idNumber!, employer: "" }],
      "single",
    );
    expect(same).toEqual({ ok: true, enrolled: 1 });
    // Linked, not changed: the account keeps its password and gets no activation code.
    const after = db().select().from(users).where(eq(users.id, trainee.id)).get()!;
    expect(after.passwordHash).toBe(trainee.passwordHash);
    expect(activationCodesOf([trainee.id]).size).toBe(0);
  });

  it("offers to enrol the base's own person by their ID number as on record, though the row's name and mobile differ", async () => {
    const trainee = db().select().from(users).where(eq(users.username, "trainee")).get()!;
    const created = createCohort(userId("registrar"), orgId("BASE-GERI"), {
      programVersionId: versionId("family-caregiver"),
      name: "关联测试班",
      startDate: "2026-11-01",
      endDate: "2027-01-31",
      capacity: 10,
      instructorIds: [],
    });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const fresh = getCohort(created.value)!;
    const row = { row: 2, name: "张晓明", mobile: "13700000087", idNumber: trainee.idNumber!, employer: "" };
    const [asTyped] = previewRoster(fresh, [row]);
    expect(asTyped).toMatchObject({ errors: ["roster.heldByKnown"], heldBy: { name: trainee.name, canLink: true } });
    const [linked] = previewRoster(fresh, [{ ...row, linkExisting: true }]);
    expect(linked).toMatchObject({ errors: [], existingUserId: trainee.id, name: trainee.name, mobile: trainee.mobile });
    expect(await enrolPeople(userId("registrar"), fresh, [{ ...row, linkExisting: true }], "single")).toEqual({ ok: true, enrolled: 1 });
    expect(db().select().from(users).where(eq(users.id, trainee.id)).get()).toMatchObject({ name: trainee.name, mobile: trainee.mobile });
  });

  it("says the same about a known ID number with another name as about a known mobile to another base, naming neither the field nor the person on record, and links nobody", async () => {
    const trainee = db().select().from(users).where(eq(users.username, "trainee")).get()!;
    const created = createCohort(userId("registrar.fy"), orgId("BASE-FY"), {
      programVersionId: versionId("family-caregiver"),
      name: "他基地测试班",
      startDate: "2026-11-01",
      endDate: "2027-01-31",
      capacity: 10,
      instructorIds: [],
    });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const elsewhere = getCohort(created.value)!;
    const rows = [
      { row: 2, name: "冒名者", mobile: "13700000088", idNumber: trainee.idNumber!, employer: "" },
      { row: 3, name: trainee.name, mobile: "13700000089", idNumber: trainee.idNumber!, employer: "" },
      { row: 4, name: "无关者", mobile: trainee.mobile!, idNumber: id("33010519880505505"), employer: "" },
    ];
    for (const row of rows) {
      for (const linkExisting of [false, true]) {
        const [checked] = previewRoster(elsewhere, [{ ...row, linkExisting }]);
        expect(checked.errors, row.name).toContain("roster.identityConflict");
        expect(checked.heldBy).toBeUndefined();
      }
    }
  });
});
