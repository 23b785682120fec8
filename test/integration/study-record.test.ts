import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import ExcelJS from "exceljs";
import { and, eq } from "drizzle-orm";
import { createElement, type ComponentType, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "../../db/client.server";
import { auditLog, cohorts, enrolments, lessonViews, programVersions } from "../../db/schema";
import type { RequestContext } from "../../app/context";
import { formatTenths } from "../../app/domain/study-record";
import { chineseDate, shanghaiDate } from "../../app/domain/dates";
import { checkCharacter, maskResidentId } from "../../app/domain/resident-id";
import type { ProgramRules } from "../../app/domain/program";
import * as cohortExport from "../../app/routes/bases.$orgId.cohorts.$cohortId.study-record[.xlsx]";
import * as traineeRecord from "../../app/routes/bases.$orgId.cohorts.$cohortId.study-record.$enrolmentId[.pdf]";
import * as ownRecord from "../../app/routes/learn.$enrolmentId.study-record[.pdf]";
import * as cohortPage from "../../app/routes/bases.$orgId.cohorts.$cohortId._index";
import * as programmePage from "../../app/routes/learn.$enrolmentId._index";
import { recordSkillAssessment, saveAttendance, sessionsOf } from "../../app/services/cohort-records.server";
import { getCohort, type Cohort } from "../../app/services/cohorts.server";
import { completionOf } from "../../app/services/completion.server";
import { learningEnrolment, startAssessment, submitAttempt } from "../../app/services/learning.server";
import { cohortStudyRecords, enrolmentStudyRecord } from "../../app/services/study-record.server";
import {
  cohortWithTrainees,
  completeEnrolment,
  contextFor,
  contextOfUser,
  finishModules,
  orgId,
  studyLesson,
  userId,
  withDemoData,
} from "./fixtures";

// Pages are rendered to HTML outside a router: the route hooks hand them what their loader returned.
const page = vi.hoisted(() => ({ data: undefined as unknown }));
vi.mock("@remix-run/react", async (importOriginal) => {
  const real = await importOriginal<typeof import("@remix-run/react")>();
  type Props = { children?: ReactNode; [attribute: string]: unknown };
  const { createElement } = await import("react");
  return {
    ...real,
    useLoaderData: () => page.data,
    useRouteLoaderData: () => undefined,
    useLocation: () => ({ pathname: "/", search: "", hash: "" }),
    Link: ({ to, reloadDocument: _r, ...props }: Props) => createElement("a", { ...props, href: String(to) }),
  };
});

function render(Page: ComponentType, data: unknown): string {
  page.data = JSON.parse(JSON.stringify(data));
  return renderToString(createElement(Page));
}

let n = 0;
function person() {
  n++;
  const first17 = `33010519870409${String(100 + n)}`;
  return { name: `学时学员${n}`, mobile: `1364444${String(1000 + n)}`, idNumber: first17 + checkCharacter(first17) };
}

const get = (url: string) => new Request(`http://localhost${url}`);
const dir = mkdtempSync(path.join(tmpdir(), "study-record-"));

/** What a loader answered, or the Response it threw. */
async function call<T>(load: () => Promise<T>): Promise<T | Response> {
  try {
    return await load();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function cohortXlsx(username: string, cohort: Cohort) {
  const params = { orgId: cohort.organisationId, cohortId: cohort.id };
  return call(() =>
    cohortExport.loader({
      context: contextFor(username),
      request: get(`/bases/${params.orgId}/cohorts/${cohort.id}/study-record.xlsx`),
      params,
    }),
  );
}

async function traineePdf(context: RequestContext, cohort: Cohort, enrolmentId: string) {
  const params = { orgId: cohort.organisationId, cohortId: cohort.id, enrolmentId };
  return call(() =>
    traineeRecord.loader({ context, request: get(`/bases/${params.orgId}/cohorts/${cohort.id}/study-record/${enrolmentId}.pdf`), params }),
  );
}

async function ownPdf(context: RequestContext, enrolmentId: string) {
  return call(() => ownRecord.loader({ context, request: get(`/learn/${enrolmentId}/study-record.pdf`), params: { enrolmentId } }));
}

/** The PDF's text with every space and line break taken out: table cells and wrapped lines read as one string. */
async function pdfText(response: Response | unknown, name: string): Promise<string> {
  expect(response).toBeInstanceOf(Response);
  const r = response as Response;
  expect(r.status).toBe(200);
  expect(r.headers.get("Content-Type")).toBe("application/pdf");
  const file = path.join(dir, name);
  writeFileSync(file, Buffer.from(await r.arrayBuffer()));
  return execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
}

const exportsLogged = (entityId: string) =>
  db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "export.study-record"), eq(auditLog.entityId, entityId)))
    .all()
    .map((a) => ({ actor: a.actorUserId, ...JSON.parse(a.details) }));

const people = [person(), person(), person()];
let family: { cohort: Cohort; enrolmentIds: string[] };
/** A trainee of another cohort at the same base. */
let elsewhere: { cohort: Cohort; enrolmentIds: string[] };

beforeAll(async () => {
  await withDemoData();
  family = await cohortWithTrainees("BASE-GERI", people);
  elsewhere = await cohortWithTrainees("BASE-GERI", [person()]);
  const [done, partial] = family.enrolmentIds;
  await completeEnrolment(family.cohort, done);

  // Part way: one lesson read, then an hour more on its module than its online share; a quiz
  // failed; 3 of the classroom session's hours; a transfer failed on the brake, then passed.
  const e = learningEnrolment(partial)!;
  const [m1, m2] = e.rules.modules;
  studyLesson(e, m1.code, m1.lessons[0].code);
  const at = new Date().toISOString();
  db()
    .insert(lessonViews)
    .values({
      id: randomUUID(),
      enrolmentId: partial,
      moduleCode: m1.code,
      lessonCode: m1.lessons[1].code,
      openedAt: at,
      lastBeatAt: at,
      seconds: 3600,
    })
    .run();
  const quiz = startAssessment(e, "quiz", m2.code);
  if (!quiz.ok) throw new Error("quiz");
  submitAttempt(e, quiz.value, { getAll: () => [] });
  const theory = sessionsOf(family.cohort.id).find((s) => s.kind === "theory")!;
  await saveAttendance(userId("admin"), family.cohort, [{ sessionId: theory.id, enrolmentId: partial, hours: "3" }]);
  const transfer = e.content!.skills.find((s) => s.code === "bed-wheelchair-transfer")!;
  const marks = Object.fromEntries(transfer.items!.map((i) => [i.code, i.code !== "brake"]));
  const base = { enrolmentId: partial, skillCode: transfer.code, examiner: "王丽华", examiner2: "", result: null };
  expect(recordSkillAssessment(userId("registrar"), family.cohort, { ...base, assessedOn: "2026-09-02", marks }).ok).toBe(true);
  expect(
    recordSkillAssessment(userId("registrar"), family.cohort, { ...base, assessedOn: "2026-09-03", marks: { ...marks, brake: true } }).ok,
  ).toBe(true);
}, 60_000);

describe("the study record service", () => {
  it("totals each trainee's record as completion counts it, from the rows it lists", () => {
    for (const id of family.enrolmentIds) {
      const { record } = enrolmentStudyRecord(id)!;
      const p = completionOf(db(), id).progress;
      const t = record.totals;
      expect(t.theoryTenths / 10).toBe(p.theoryHours);
      expect(t.onlineTenths / 10).toBe(p.onlineHours);
      expect(t.classroomHours).toBe(p.classroomHours);
      expect(t.practiceHours).toBe(p.practiceHours);
      expect([t.examPassed, t.examAttempts, t.skillsPassed, t.skillsTotal]).toEqual([
        p.examPassed,
        p.examAttempts,
        p.skillsPassed,
        p.skillsTotal,
      ]);
      // …and every total is the sum of its rows.
      expect(t.onlineTenths).toBe(record.modules.reduce((s, m) => s + m.creditedTenths, 0));
      for (const m of record.modules) expect(m.seconds).toBe(m.lessons.reduce((s, l) => s + l.seconds, 0));
      expect(t.classroomHours).toBe(record.attendance.filter((a) => a.kind === "theory").reduce((s, a) => s + a.hours, 0));
      expect(t.practiceHours).toBe(record.attendance.filter((a) => a.kind === "practice").reduce((s, a) => s + a.hours, 0));
      expect(record.disagreements).toEqual([]);
    }
  });

  it("shows the part-way trainee's hour of study capped at the module's share, the failed quiz and both transfers", () => {
    const { record } = enrolmentStudyRecord(family.enrolmentIds[1])!;
    const [m1] = record.modules;
    expect(m1.seconds).toBeGreaterThan(3600);
    expect(m1.creditedTenths).toBe(m1.shareTenths);
    expect(m1.lessons[0].readAt).not.toBeNull();
    expect(m1.lessons[1]).toMatchObject({ opened: 1, seconds: 3600, readAt: null });
    expect(record.attempts).toMatchObject([{ kind: "quiz", passed: false, scorePercent: 0 }]);
    expect(record.attendance).toMatchObject([{ kind: "theory", hours: 3 }]);
    const items = learningEnrolment(family.enrolmentIds[1])!.content!.skills.find((s) => s.code === "bed-wheelchair-transfer")!.items!
      .length;
    expect(record.practicals.map((p) => [p.result, p.score, p.itemsMet, p.itemsMarked, p.counts])).toEqual([
      ["fail", 85, items - 1, items, false],
      ["pass", 100, items, items, true],
    ]);
    expect(record.status).toBe("in_progress");
  });

  it("reads a whole cohort in one go, each record the same as the trainee's own", () => {
    const all = cohortStudyRecords(family.cohort.id);
    expect(all.map((r) => r.header.enrolmentId).sort()).toEqual([...family.enrolmentIds].sort());
    for (const r of all) expect(r.record).toEqual(enrolmentStudyRecord(r.header.enrolmentId)!.record);
    expect(enrolmentStudyRecord(family.enrolmentIds[0], elsewhere.cohort.id)).toBeNull();
  });

  it("in a cohort on a version without online shares, credits finished modules their theory hours and shows study time only", async () => {
    const current = db().select().from(programVersions).where(eq(programVersions.id, family.cohort.programVersionId)).get()!;
    const rules = JSON.parse(current.rules) as ProgramRules;
    const older: ProgramRules = { ...rules, version: 901, modules: rules.modules.map(({ onlineHours: _share, ...m }) => m) };
    const version = db()
      .insert(programVersions)
      .values({
        programCode: current.programCode,
        version: 901,
        title: current.title,
        rules: JSON.stringify(older),
        content: current.content,
      })
      .returning({ id: programVersions.id })
      .get();
    const made = await cohortWithTrainees("BASE-GERI", [person()]);
    db().update(cohorts).set({ programVersionId: version.id }).where(eq(cohorts.id, made.cohort.id)).run();
    db().update(enrolments).set({ programVersionId: version.id }).where(eq(enrolments.cohortId, made.cohort.id)).run();
    finishModules(made.enrolmentIds[0]);

    const [{ record }] = cohortStudyRecords(made.cohort.id);
    expect(record.totals).toMatchObject({ split: false, onlineRequiredTenths: null, classroomRequiredTenths: null });
    expect(record.modules.every((m) => m.shareTenths === null && m.finished && m.creditedTenths === m.theoryHours * 10)).toBe(true);
    expect(record.totals.theoryTenths / 10).toBe(completionOf(db(), made.enrolmentIds[0]).progress.theoryHours);

    const text = await pdfText(await traineePdf(contextFor("registrar"), getCohort(made.cohort.id)!, made.enrolmentIds[0]), "old.pdf");
    expect(text).toContain("本版本未划分线上学时");
    expect(text).toContain(
      `理论学时（课程模块${formatTenths(record.totals.onlineTenths)}；课堂0）合计${formatTenths(record.totals.theoryTenths)}/应${rules.hours.theory}学时`,
    );
  });
});

describe("the 学时证明 PDF", () => {
  it("prints the completed trainee's totals, rows and a masked ID number for the base's registrar", async () => {
    const id = family.enrolmentIds[0];
    const { record, rules } = enrolmentStudyRecord(id)!;
    const t = record.totals;
    const text = await pdfText(await traineePdf(contextFor("registrar"), family.cohort, id), "done.pdf");
    expect(text).toContain("学时证明");
    expect(text).toContain(people[0].name);
    expect(text).toContain(maskResidentId(people[0].idNumber));
    expect(text).not.toContain(people[0].idNumber);
    expect(text).toContain(`${rules.title}（第${rules.version}版）`);
    expect(text).toContain(family.cohort.name);
    const theory = `理论学时（线上${formatTenths(t.onlineTenths)}/应${formatTenths(t.onlineRequiredTenths!)}；课堂${t.classroomHours}/应${formatTenths(t.classroomRequiredTenths!)}）合计${formatTenths(t.theoryTenths)}/应${rules.hours.theory}学时`;
    expect(theory).toBe("理论学时（线上2/应2；课堂6/应6）合计8/应8学时");
    expect(text).toContain(theory);
    expect(text).toContain(`实践学时${rules.hours.practice}/应${rules.hours.practice}学时`);
    expect(text).toContain("结业考试：通过（共参考1次）");
    expect(text).toContain(`技能考核：合格${rules.skills.length}/共${rules.skills.length}项`);
    for (const m of rules.modules) {
      expect(text).toContain(m.title);
      for (const l of m.lessons) expect(text).toContain(l.title.replace(/\s+/g, ""));
      expect(text).toContain(
        `小计：计入线上${formatTenths(Math.round(m.onlineHours! * 10))}/应${formatTenths(Math.round(m.onlineHours! * 10))}学时`,
      );
    }
    expect(text).toContain("课堂理论");
    expect(text).toContain(rules.skills[0].title);
    expect(text).toContain("培训基地（盖章）");
    expect(text).toContain("经办人");
    const completedAt = db().select().from(enrolments).where(eq(enrolments.id, id)).get()!.completedAt!;
    expect(text).toContain(`培训状态：已于${chineseDate(shanghaiDate(completedAt))}完成全部培训要求`);
  });

  it("says what the part-way trainee still misses, in the words of their own page", async () => {
    const text = await pdfText(await traineePdf(contextFor("registrar"), family.cohort, family.enrolmentIds[1]), "partial.pdf");
    expect(text).toContain("尚未完成。尚缺：");
    expect(text).toContain("结业考试未参加");
    const items = learningEnrolment(family.enrolmentIds[1])!.content!.skills.find((s) => s.code === "bed-wheelchair-transfer")!.items!
      .length;
    expect(text).toContain(`85分（达标${items - 1}/${items}项）`);
    expect(text).toContain(`100分（达标${items}/${items}项）`);
    expect(text).toContain("课堂3/应6");
  });

  it("shows the whole ID number to the admin, and the export is logged with that", async () => {
    const id = family.enrolmentIds[2];
    const text = await pdfText(await traineePdf(contextFor("admin"), family.cohort, id), "admin.pdf");
    expect(text).toContain(people[2].idNumber);
    expect(exportsLogged(id)).toContainEqual({ actor: userId("admin"), people: 1, wholeIds: true });
  });

  it("lets a trainee download their own, their ID number masked, and no one else's", async () => {
    const [own, other] = family.enrolmentIds;
    const uid = db().select().from(enrolments).where(eq(enrolments.id, own)).get()!.userId;
    const text = await pdfText(await ownPdf(contextOfUser(uid), own), "own.pdf");
    expect(text).toContain(people[0].name);
    expect(text).toContain(maskResidentId(people[0].idNumber));
    expect(text).not.toContain(people[0].idNumber);
    expect(exportsLogged(own)).toContainEqual({ actor: uid, people: 1, wholeIds: false });

    expect(((await ownPdf(contextOfUser(uid), other)) as Response).status).toBe(403);
    expect(((await ownPdf(contextFor("trainee"), own)) as Response).status).toBe(403);
    expect(((await ownPdf(contextFor("registrar"), own)) as Response).status).toBe(403);
    // A trainee is not a base's staff: the cohort's copy of someone else's record is refused too.
    expect(((await traineePdf(contextOfUser(uid), family.cohort, other)) as Response).status).toBe(403);
    expect(exportsLogged(other).filter((e) => e.actor === uid)).toEqual([]);
  });

  it("is refused to another base's registrar, and not found for a trainee of another cohort", async () => {
    const id = family.enrolmentIds[0];
    const before = exportsLogged(id).length;
    expect(((await traineePdf(contextFor("registrar.fy"), family.cohort, id)) as Response).status).toBe(403);
    expect(((await traineePdf(contextFor("registrar"), family.cohort, elsewhere.enrolmentIds[0])) as Response).status).toBe(404);
    expect(((await traineePdf(contextFor("registrar"), family.cohort, "no-such-enrolment")) as Response).status).toBe(404);
    // 富阳's registrar naming their own base in the URL: the cohort is not that base's, so not found.
    const params = { orgId: orgId("BASE-FY"), cohortId: family.cohort.id, enrolmentId: id };
    const underFy = await call(() =>
      traineeRecord.loader({
        context: contextFor("registrar.fy"),
        request: get(`/bases/${params.orgId}/cohorts/${params.cohortId}/study-record/${id}.pdf`),
        params,
      }),
    );
    expect((underFy as Response).status).toBe(404);
    expect(exportsLogged(id).length).toBe(before);
    expect(exportsLogged(elsewhere.enrolmentIds[0])).toEqual([]);
  });
});

describe("the cohort's 学时记录 workbook", () => {
  async function workbookOf(username: string) {
    const response = await cohortXlsx(username, family.cohort);
    expect(response).toBeInstanceOf(Response);
    const r = response as Response;
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Disposition")).toContain('filename="study-record.xlsx"');
    expect(r.headers.get("Content-Disposition")).toContain(encodeURIComponent(`${family.cohort.name}-学时记录.xlsx`));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await r.arrayBuffer());
    return workbook;
  }

  /** A sheet's rows below its headings, as objects keyed by heading. */
  function rowsOf(workbook: ExcelJS.Workbook, name: string) {
    const sheet = workbook.getWorksheet(name)!;
    expect(sheet, name).toBeDefined();
    const values = sheet.getSheetValues().filter(Array.isArray) as unknown[][];
    const at = values.findIndex((v) => v.includes("姓名"));
    const headings = values[at] as string[];
    return values
      .slice(at + 1)
      .map((v) => Object.fromEntries(headings.map((h, i) => [h, v[i] ?? ""]).filter(([h]) => h)) as Record<string, string | number>);
  }

  it("has a summary line per trainee whose totals are the sums of the rows on the other sheets", async () => {
    const workbook = await workbookOf("registrar");
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["汇总", "课程学习", "模块学时", "测验考试", "课堂考勤", "技能考核"]);
    const summary = rowsOf(workbook, "汇总");
    const lessons = rowsOf(workbook, "课程学习");
    const modules = rowsOf(workbook, "模块学时");
    const attendance = rowsOf(workbook, "课堂考勤");
    const practicals = rowsOf(workbook, "技能考核");
    expect(summary.map((s) => s["姓名"]).sort()).toEqual(people.map((p) => p.name).sort());
    const sum = (rows: Record<string, string | number>[], column: string) => rows.reduce((n, r) => n + Number(r[column]), 0);
    const tenths = (v: string | number) => Math.round(Number(v) * 10);
    for (const s of summary) {
      const mine = (rows: Record<string, string | number>[]) => rows.filter((r) => r["姓名"] === s["姓名"]);
      for (const m of mine(modules))
        expect(m["学习秒数"]).toBe(
          sum(
            mine(lessons).filter((l) => l["模块"] === m["模块"]),
            "学习秒数",
          ),
        );
      expect(tenths(s["线上学时（计入）"])).toBe(mine(modules).reduce((n, m) => n + tenths(m["计入线上学时"]), 0));
      expect(s["课堂理论学时"]).toBe(
        sum(
          mine(attendance).filter((a) => a["类别"] === "理论"),
          "出勤学时",
        ),
      );
      expect(s["实践学时"]).toBe(
        sum(
          mine(attendance).filter((a) => a["类别"] === "实践"),
          "出勤学时",
        ),
      );
      expect(tenths(s["理论学时合计"])).toBe(tenths(s["线上学时（计入）"]) + tenths(s["课堂理论学时"]));
      expect(s["技能合格"]).toBe(mine(practicals).filter((p) => p["计入"] === "是" && p["结果"] === "合格").length);
      const enrolmentId = family.enrolmentIds[people.findIndex((p) => p.name === s["姓名"])];
      const p = completionOf(db(), enrolmentId).progress;
      expect([Number(s["理论学时合计"]), Number(s["线上学时（计入）"]), s["课堂理论学时"], s["实践学时"]]).toEqual([
        p.theoryHours,
        p.onlineHours,
        p.classroomHours,
        p.practiceHours,
      ]);
    }
    const done = summary.find((s) => s["姓名"] === people[0].name)!;
    expect(done).toMatchObject({ 线上应修: 2, 课堂理论应修: 6, 理论应修: 8, 实践应修: 8, 结业考试: "通过" });
    expect(String(done["状态"])).toContain("已结业");
    const nothing = summary.find((s) => s["姓名"] === people[2].name)!;
    expect(String(nothing["尚缺"])).toContain("结业考试未参加");
  });

  it("masks ID numbers for the base's registrar and shows them whole to the admin, logging each export", async () => {
    const masked = rowsOf(await workbookOf("registrar"), "汇总").map((s) => s["身份证号"]);
    expect(masked.sort()).toEqual(people.map((p) => maskResidentId(p.idNumber)).sort());
    const whole = rowsOf(await workbookOf("admin"), "汇总").map((s) => s["身份证号"]);
    expect(whole.sort()).toEqual(people.map((p) => p.idNumber).sort());
    const logged = exportsLogged(family.cohort.id);
    expect(logged).toContainEqual({ actor: userId("registrar"), people: 3, wholeIds: false });
    expect(logged).toContainEqual({ actor: userId("admin"), people: 3, wholeIds: true });
  });

  it("is refused to another base's registrar and to a trainee, and nothing is logged for them", async () => {
    const before = exportsLogged(family.cohort.id).length;
    expect(((await cohortXlsx("registrar.fy", family.cohort)) as Response).status).toBe(403);
    expect(((await cohortXlsx("trainee", family.cohort)) as Response).status).toBe(403);
    expect(exportsLogged(family.cohort.id).length).toBe(before);
  });
});

describe("links to the records", () => {
  it("on the cohort page: the workbook beside the progress export, and each trainee's 学时证明", async () => {
    const params = { orgId: family.cohort.organisationId, cohortId: family.cohort.id };
    const html = render(
      cohortPage.default,
      await cohortPage.loader({
        context: contextFor("registrar"),
        request: get(`/bases/${params.orgId}/cohorts/${params.cohortId}`),
        params,
      }),
    );
    expect(html).toContain('href="progress.xlsx"');
    expect(html).toMatch(/href="study-record.xlsx"[^>]*>学时记录 \(.xlsx\)</);
    for (const [i, id] of family.enrolmentIds.entries())
      expect(html).toContain(`<a aria-label="${people[i].name} 的学时证明（PDF）" href="study-record/${id}.pdf">学时证明</a>`);
  });

  it("on the trainee's programme page", async () => {
    const id = family.enrolmentIds[1];
    const uid = db().select().from(enrolments).where(eq(enrolments.id, id)).get()!.userId;
    const html = render(
      programmePage.default,
      await programmePage.loader({ context: contextOfUser(uid), request: get(`/learn/${id}`), params: { enrolmentId: id } }),
    );
    expect(html).toMatch(/href="study-record.pdf"[^>]*>下载学时证明</);
  });
});

describe("a trainee who completed and was assessed again later", () => {
  it("stays completed on the record, which lists the later fail as the skill's counting result", async () => {
    const id = family.enrolmentIds[0];
    const e = learningEnrolment(id)!;
    const skill = e.content!.skills.find((s) => s.code === "bed-wheelchair-transfer")!;
    const marks = Object.fromEntries(skill.items!.map((i) => [i.code, i.code !== "brake"]));
    expect(
      recordSkillAssessment(userId("registrar"), family.cohort, {
        enrolmentId: id,
        skillCode: skill.code,
        examiner: "王丽华",
        examiner2: "",
        result: null,
        assessedOn: "2026-09-20",
        marks,
      }).ok,
    ).toBe(true);

    const { record } = enrolmentStudyRecord(id)!;
    expect(record.totals.skillsPassed).toBe(e.rules.skills.length - 1);
    expect(record.practicals.filter((p) => p.counts && p.skillCode === skill.code).map((p) => p.result)).toEqual(["fail"]);
    const text = await pdfText(await traineePdf(contextFor("registrar"), family.cohort, id), "retake.pdf");
    expect(text).toContain("完成全部培训要求");
    expect(text).not.toContain("尚未完成");
    expect(text).toContain(`技能考核：合格${e.rules.skills.length - 1}/共${e.rules.skills.length}项`);
  });
});
