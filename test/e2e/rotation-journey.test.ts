import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPrograms } from "../../app/content/programs.server";
import { checkCharacter } from "../../app/domain/resident-id";
import { loadWorkCalendar } from "../../app/content/calendars.server";
import { addDays, isWorkingDay } from "../../app/domain/dates";
import { fillSignInForm, organisationIdByCode, signIn, useBrowser, withDatabase, firstSignIn } from "./browser";

const browser = useBrowser();
const id = (first17: string) => first17 + checkCharacter(first17);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const TRAINEES = [
  { name: "沈佳怡", mobile: "13500000101", idNumber: id("33010519870707707") },
  { name: "韩志远", mobile: "13500000102", idNumber: id("33010519880808808") },
];
const cohortName = `E2E安宁疗护班${Date.now() % 100000}`;
let placementUrl = "";

describe("rotations: from automatic placement to a completed rotation requirement", () => {
  it("a registrar opens a hospice-care cohort and enrols two trainees", async () => {
    const page = await browser.newPage();
    await signIn(page, "registrar");
    await page.goto(`/bases/${organisationIdByCode("BASE-GERI")}/cohorts/new`);
    await page
      .getByLabel("培训项目")
      .selectOption({ label: `安宁疗护培训（v${loadPrograms(path.join(process.cwd(), "content")).get("hospice-care")!.rules.version}）` });
    await page.getByLabel("班级名称").fill(cohortName);
    await page.getByLabel("开始日期").fill(day(-30));
    await page.getByLabel("结束日期").fill(day(60));
    await page.getByLabel("容量").fill("10");
    await page.getByRole("button", { name: "新建" }).click();
    await page.waitForURL(/\/enrol$/);
    for (const t of TRAINEES) {
      await page.getByLabel("姓名").fill(t.name);
      await page.getByLabel("手机号").fill(t.mobile);
      await page.getByLabel("身份证号").fill(t.idNumber);
      await page.getByRole("button", { name: "报名", exact: true }).click();
      await page.getByTestId("enrolled-list").getByText(t.name).waitFor();
    }
    await page.context().close();
  });

  it("the coordinator auto-places the cohort and sees it on the board", async () => {
    const page = await browser.newPage();
    await signIn(page, "coordinator");
    const hospital = organisationIdByCode("HZ-GERI");
    await page.goto(`/hospital/${hospital}/placements`);
    const option = await page.locator("#cohort option", { hasText: cohortName }).getAttribute("value");
    await page.locator("#cohort").selectOption(option!);
    await page.getByRole("button", { name: "选择" }).click();
    await page.waitForURL(/cohort=/);
    await page.getByRole("button", { name: /自动排班/ }).click();
    await expect.poll(() => page.getByTestId("auto-result").innerText()).toContain("已排入 2 个轮训");
    const rows = page.getByTestId("placement-list").locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    await expect.poll(() => rows.first().innerText()).toContain("安宁疗护病区");
    await page.goto(`/hospital/${hospital}/board`);
    await expect(page.getByTestId("rotation-board").innerText()).resolves.toContain(TRAINEES[0].name);
    await page.context().close();

    // Move the calendar: as if these placements had been made a week ago and had just ended,
    // so that the mentor can sign every one of their days today.
    withDatabase(
      (db) =>
        db
          .prepare(
            `update placements set start_date = date(start_date, '-7 days'), end_date = date(end_date, '-7 days')
             where enrolment_id in (select e.id from enrolments e join cohorts c on c.id = e.cohort_id where c.name = ?)`,
          )
          .run(cohortName),
      { readonly: false },
    );
  });

  it("by hand, the mentor list follows the department, and required days cannot exceed the working days of the dates", async () => {
    const page = await browser.newPage({ width: 375, height: 740 });
    await signIn(page, "coordinator");
    const hospital = organisationIdByCode("HZ-GERI");
    await page.goto(`/hospital/${hospital}/placements`);
    const option = await page.locator("#cohort option", { hasText: cohortName }).getAttribute("value");
    await page.goto(`/hospital/${hospital}/placements?cohort=${option}`);
    const mentorsOf = (department: string) =>
      withDatabase((db) =>
        db
          .prepare(
            "select u.name from department_mentors dm join users u on u.id = dm.user_id join departments d on d.id = dm.department_id where d.organisation_id = ? and d.name = ? order by u.name",
          )
          .pluck()
          .all(hospital, department),
      ) as string[];
    const department = page.getByLabel("科室");
    const label = await department.locator("option", { hasText: "安宁疗护病区" }).innerText();
    await department.selectOption({ label });
    const mentorOptions = page.getByLabel("带教老师").locator("option");
    await expect.poll(async () => (await mentorOptions.allInnerTexts()).filter(Boolean).sort()).toEqual(mentorsOf("安宁疗护病区"));
    // A weekend nobody works, within the cohort: no working day to attend.
    const calendar = loadWorkCalendar(path.join(process.cwd(), "content"));
    let saturday = day(7);
    while (
      new Date(`${saturday}T00:00:00Z`).getUTCDay() !== 6 ||
      isWorkingDay(saturday, calendar) ||
      isWorkingDay(addDays(saturday, 1), calendar)
    )
      saturday = addDays(saturday, 1);
    await page.getByLabel("学员").selectOption({ label: TRAINEES[0].name });
    await page.getByLabel("带教老师").selectOption({ index: 1 });
    await page.getByLabel("开始日期").fill(saturday);
    await page.getByLabel("结束日期").fill(addDays(saturday, 1));
    // Checked as it is left, and cleared as it is corrected.
    await page.getByLabel("应出勤天数").fill("一天");
    await page.getByLabel("开始日期").focus();
    const daysError = page.locator(".field", { has: page.getByLabel("应出勤天数") }).locator(".error");
    await expect.poll(() => daysError.textContent()).toBe("请输入整数");
    await page.getByLabel("应出勤天数").fill("1");
    await expect.poll(() => daysError.count()).toBe(0);
    await page.getByRole("button", { name: "安排", exact: true }).click();
    await page.getByText("应出勤天数不能超过所选日期内的工作日数（0 天").waitFor();
    // What was chosen stays chosen.
    await expect(page.getByLabel("科室").inputValue()).resolves.not.toBe("");
    await page.context().close();
  });

  it("only the placement's mentor may sign; the mentor signs the days and the evaluation", async () => {
    const wrong = await browser.newPage();
    await signIn(wrong, "mentor");
    const hospital = organisationIdByCode("HZ-GERI");
    const placementId = withDatabase(
      (db) =>
        (
          db
            .prepare(
              "select p.id from placements p join enrolments e on e.id = p.enrolment_id join users u on u.id = e.user_id where u.name = ?",
            )
            .get(TRAINEES[0].name) as { id: string }
        ).id,
    );
    placementUrl = `/hospital/${hospital}/placements/${placementId}`;
    expect((await wrong.goto(placementUrl))?.status()).toBe(403);
    await wrong.context().close();

    const page = await browser.newPage({ width: 375, height: 740 });
    await signIn(page, "mentor.rehab");
    await page.goto(`/hospital/${hospital}/mentor`);
    await page.getByText(TRAINEES[0].name).first().click();
    await page.getByTestId("placement-summary").waitFor();
    const { start, end } = withDatabase(
      (db) =>
        db.prepare("select start_date as start, end_date as end from placements where id = ?").get(placementId) as {
          start: string;
          end: string;
        },
    );
    const days: string[] = [];
    for (let d = start; d <= end; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
      const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
      if (weekday !== 0 && weekday !== 6) days.push(d);
    }
    expect(days).toHaveLength(5);
    for (const [i, d] of days.entries()) {
      await page.locator("form:has(input[value=day])").getByLabel("日期").fill(d);
      await page.getByRole("button", { name: "签到" }).click();
      await expect.poll(() => page.getByTestId("signoff-history").locator("tbody tr").count()).toBe(i + 1);
    }
    // The same day twice is refused next to the date.
    await page.locator("form:has(input[value=day])").getByLabel("日期").fill(days[0]);
    await page.getByRole("button", { name: "签到" }).click();
    await page.getByText("这一天已经签到过").waitFor();

    const evaluation = page.locator("form:has(input[value=evaluation])");
    for (const label of ["职业态度", "操作技能", "沟通协作", "安全意识"]) await evaluation.getByLabel(label).selectOption("4");
    await evaluation.getByLabel("出科结论").selectOption("yes");
    await evaluation.getByLabel("评语").fill("沟通耐心，症状观察仔细");
    await evaluation.getByRole("button", { name: "提交出科评价" }).click();
    await expect.poll(() => page.getByTestId("placement-summary").innerText()).toContain("轮训完成");
    await page.context().close();
  });

  it("the trainee sees the schedule, what was signed, and the rotation requirement complete", async () => {
    const page = await browser.newPage({ width: 375, height: 740 });
    const t = TRAINEES[0];
    await firstSignIn(page, t, "hospice-2026");
    await page.goto("/learn");
    await page.getByRole("link", { name: "继续学习" }).click();
    const schedule = page.getByTestId("rotation-schedule");
    await schedule.waitFor();
    const text = await schedule.innerText();
    expect(text).toContain("安宁疗护病区");
    expect(text).toContain("郑雅琴");
    expect(text).toContain("出勤 5/5 天");
    expect(text).toContain("轮训完成");
    await expect(page.getByTestId("missing-list").textContent()).resolves.not.toContain("轮训");

    // The other trainee's requirement is still open.
    const other = await browser.newPage();
    await other.goto("/login");
    await fillSignInForm(other, "registrar");
    await other.goto(`/bases/${organisationIdByCode("BASE-GERI")}`);
    await other.getByRole("link", { name: new RegExp(cohortName) }).click();
    await expect(other.locator(`tr[data-trainee="${TRAINEES[0].name}"]`).innerText()).resolves.toMatch(/\t1\/1\t/);
    await expect(other.locator(`tr[data-trainee="${TRAINEES[1].name}"]`).innerText()).resolves.toMatch(/\t0\/1\t/);
    await other.context().close();
    await page.context().close();
  });
});
