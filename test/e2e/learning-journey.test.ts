import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { loadPrograms } from "../../app/content/programs.server";
import { checkCharacter, maskResidentId } from "../../app/domain/resident-id";
import { rosterXlsx } from "../support/xlsx";
import { fillSignInForm, organisationIdByCode, signIn, useBrowser, firstSignIn, withDatabase } from "./browser";

const browser = useBrowser();
const program = loadPrograms(path.join(process.cwd(), "content")).get("family-caregiver")!;
// By the options' words, not their places: the exam shows options in an order of its own.
const answerByStem = new Map(
  program.questions.map((q) => [q.stem, q.type === "truefalse" ? (q.answer[0] ? ["正确"] : ["错误"]) : q.answer.map((i) => q.options[i])]),
);

const dir = mkdtempSync(path.join(tmpdir(), "care-roster-"));
const id = (first17: string) => first17 + checkCharacter(first17);
const TRAINEE = { name: "周晓红", mobile: "13500000001", idNumber: id("33010519850505505") };
const OTHER = { name: "吴国梁", mobile: "13500000002", idNumber: id("33010519860606606") };
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const cohortName = `E2E家庭照护班${Date.now() % 100000}`;
let cohortUrl = "";
let traineeProgrammeUrl = "";

async function writeRoster(name: string, rows: (string | number)[][]) {
  const file = path.join(dir, name);
  writeFileSync(file, Buffer.from(await rosterXlsx(rows)));
  return file;
}

/** Answers every question on the open quiz or exam page with the key from the content files. */
async function answerAll(page: Page, leaveBlank = 0) {
  const questions = page.locator("li.question");
  await questions.first().waitFor();
  const n = await questions.count();
  expect(n).toBeGreaterThan(0);
  for (let i = leaveBlank; i < n; i++) {
    const q = questions.nth(i);
    const legend = (await q.locator("legend").innerText()).trim();
    const stem = [...answerByStem.keys()].find((s) => legend.startsWith(s));
    expect(stem, legend).toBeDefined();
    for (const words of answerByStem.get(stem!)!)
      await q
        .locator("label.option", { has: page.getByText(words, { exact: true }) })
        .locator("input")
        .check();
  }
}

async function submitAndExpectPass(page: Page) {
  await page.getByRole("button", { name: "交卷", exact: true }).click();
  await page.getByTestId("attempt-result").waitFor();
  await expect(page.getByTestId("attempt-result").innerText()).resolves.toContain("通过！");
}

describe("from opening a cohort to a completed programme", () => {
  it("a registrar opens a cohort and imports a roster after fixing a bad row", async () => {
    const page = await browser.newPage();
    await signIn(page, "registrar");
    await page.goto(`/bases/${organisationIdByCode("BASE-GERI")}`);
    await page.getByRole("link", { name: "开班" }).click();
    await page.getByLabel("培训项目").selectOption({ label: `失能老人家庭照护者培训（v${program.rules.version}）` });
    await page.getByLabel("班级名称").fill(cohortName);
    await page.getByLabel("开始日期").fill(day(-7));
    await page.getByLabel("结束日期").fill(day(30));
    await page.getByLabel("容量").fill("10");
    await page.getByLabel("王丽华").check();
    await page.getByRole("button", { name: "新建" }).click();
    await page.waitForURL(/\/enrol$/);
    cohortUrl = new URL(page.url()).pathname.replace(/\/enrol$/, "");

    const bad = await writeRoster("bad.xlsx", [
      [TRAINEE.name, TRAINEE.mobile, TRAINEE.idNumber, "和睦颐养院"],
      [OTHER.name, OTHER.mobile, Number(OTHER.idNumber.slice(0, 17)) * 10, "和睦颐养院"],
    ]);
    await page.getByLabel("学员名单（.xlsx 或 .csv）").setInputFiles(bad);
    await page.getByRole("button", { name: "上传并预览" }).click();
    const preview = page.getByTestId("roster-preview");
    await preview.waitFor();
    await expect(preview.locator('tr[data-row="3"]').innerText()).resolves.toContain("Excel 转成了数字");
    await expect(preview.getByRole("button", { name: /确认导入/ }).count()).resolves.toBe(0);

    const good = await writeRoster("good.xlsx", [
      [TRAINEE.name, TRAINEE.mobile, TRAINEE.idNumber, "和睦颐养院"],
      [OTHER.name, OTHER.mobile, OTHER.idNumber, "和睦颐养院"],
    ]);
    await page.getByLabel("学员名单（.xlsx 或 .csv）").setInputFiles(good);
    await page.getByRole("button", { name: "上传并预览" }).click();
    await page.getByRole("button", { name: "确认导入 2 名学员" }).click();
    await page.getByText("已报名 2 人").waitFor();
    await expect(page.getByTestId("enrolled-list").innerText()).resolves.toContain(TRAINEE.name);
    await page.context().close();
  });

  it("the trainee, on a phone, sets a password, reads every lesson and passes the quizzes and the final exam", async () => {
    const page = await browser.newPage({ width: 375, height: 740 });
    await firstSignIn(page, TRAINEE, "my-own-password");

    await page.goto("/learn");
    await page.getByRole("link", { name: "继续学习" }).click();
    await page.waitForSelector("[data-module]");
    const overview = new URL(page.url()).pathname;
    traineeProgrammeUrl = overview;
    // The course page leads with the one thing to do next: the first lesson; the gaps wait behind a summary.
    const first = program.rules.modules[0];
    await expect(page.getByTestId("next-step").getByRole("link").innerText()).resolves.toBe(
      `继续学习：${first.title} · ${first.lessons[0].title}`,
    );
    await expect(page.getByTestId("missing-list").isVisible()).resolves.toBe(false);

    // Before any lesson the exam is closed, and says what is still to do.
    await page.goto(`${overview}/exam`);
    await expect(page.getByTestId("exam-closed").innerText()).resolves.toContain("请先学完全部课程并通过各模块测验");
    expect(await page.getByRole("button", { name: /开始考试/ }).count()).toBe(0);

    for (const m of program.rules.modules) {
      await page.goto(`${overview}/lessons/${m.code}/${m.lessons[0].code}`);
      for (const lesson of m.lessons) {
        await page.locator("h1", { hasText: lesson.title }).waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, lesson.code).toBeLessThanOrEqual(0);
        await page.getByTestId("study-time").waitFor();
        if (m === program.rules.modules[0] && lesson === m.lessons[0]) {
          // Rushing through: the lesson is not marked read, and the trainee is told how long remains.
          await page.getByRole("button", { name: /学完了/ }).click();
          await expect(page.getByRole("alert").innerText()).resolves.toMatch(/本课还需学习约 \d+ 分钟/);
          expect(page.url()).toContain(`/${lesson.code}`);
        }
        // The minutes the page's beats would have recorded meanwhile, written as they would be.
        withDatabase(
          (db) =>
            db
              .prepare(
                "update lesson_views set seconds = 3600 where module_code = ? and lesson_code = ? and enrolment_id in (select e.id from enrolments e join users u on u.id = e.user_id where u.mobile = ?)",
              )
              .run(m.code, lesson.code, TRAINEE.mobile),
          { readonly: false },
        );
        await page.getByRole("button", { name: /学完了/ }).click();
        await page.waitForURL((url) => !url.pathname.endsWith(`/${lesson.code}`));
      }
      expect(page.url()).toContain(`/quiz/${m.code}`);
      await page.getByRole("button", { name: "开始测验" }).click();
      await page.waitForURL(/\/attempts\//);
      await answerAll(page);
      await submitAndExpectPass(page);
    }

    await page.goto(`${overview}/exam`);
    await page.getByRole("button", { name: /开始考试/ }).click();
    await page.waitForURL(/\/attempts\//);
    await page.getByRole("timer").waitFor();
    // The key is not in the page before the answers are in.
    const html = await page.content();
    expect(html).not.toContain('"answer"');
    expect(html).not.toContain('"explanation"');
    // One question left blank: the paper is not graded until the trainee answers it or says so.
    await answerAll(page, 1);
    await page.getByRole("button", { name: "交卷", exact: true }).click();
    await expect(page.getByRole("alert").innerText()).resolves.toContain("还有 1 题未作答");
    await page.getByTestId("confirm-unanswered").waitFor();
    // What was chosen comes back ticked: only the blank question is still blank.
    const questionCount = await page.locator(".question").count();
    await expect(page.locator(".question fieldset:has(input:checked)").count()).resolves.toBe(questionCount - 1);
    // Answering the blank question and moving on leaves the message and its button standing until the
    // next hand-in: dropping them would move the paper from under the finger ticking the next box.
    const paperTop = () =>
      page
        .locator("li.question")
        .first()
        .evaluate((el) => Math.round(el.getBoundingClientRect().top + scrollY));
    const top = await paperTop();
    await answerAll(page);
    await page.keyboard.press("Tab");
    expect(await paperTop()).toBe(top);
    await expect(page.getByRole("alert").innerText()).resolves.toContain("还有 1 题未作答");
    await page.getByTestId("confirm-unanswered").waitFor({ timeout: 1000 });
    await submitAndExpectPass(page);

    // Online study counts each module's share; the classroom part of the theory hours is still to come.
    await page.goto(overview);
    const online = program.rules.modules.map((m) => `线上学习 ${m.onlineHours}/${m.onlineHours} 学时`);
    await expect(page.getByTestId("module-study").allInnerTexts()).resolves.toEqual(online.map((o) => expect.stringContaining(o)));
    const classroom = program.rules.hours.theory - program.rules.modules.reduce((n, m) => n + m.onlineHours!, 0);
    await expect(page.getByTestId("hours-summary").innerText()).resolves.toContain(`课堂 0/${classroom}`);
    await page.goto("/learn");
    const status = await page.getByTestId("programme-status").innerText();
    expect(status).not.toContain("已于");
    await expect(page.locator(".missing").innerText()).resolves.toMatch(
      new RegExp(`课堂理论 0/${classroom} 学时[\\s\\S]*实践学时 0/8[\\s\\S]*技能未考核`),
    );
    await page.context().close();
  });

  it("the registrar records attendance and practicals, and the trainee's programme shows as completed", async () => {
    const page = await browser.newPage();
    await signIn(page, "registrar");
    await page.goto(`${cohortUrl}/attendance`);
    await page.getByLabel("日期").fill(day(-1));
    await page.getByLabel("类型").selectOption("practice");
    await page.getByLabel("学时", { exact: true }).fill("8");
    await page.getByLabel("课次内容").fill("居家照护综合实操");
    await page.getByRole("button", { name: "新增课次" }).click();
    await page.getByTestId("attendance-grid").waitFor();
    // A typo is refused next to the cell and nothing is saved.
    await page.getByRole("textbox", { name: new RegExp(`^${TRAINEE.name} `) }).fill("9");
    await page.getByRole("button", { name: "保存考勤" }).click();
    await page.getByText("有考勤格填写不正确").waitFor();
    await expect(page.getByRole("textbox", { name: new RegExp(`^${TRAINEE.name} `) }).getAttribute("aria-invalid")).resolves.toBe("true");
    await page.getByRole("textbox", { name: new RegExp(`^${TRAINEE.name} `) }).fill("");
    await page.getByRole("button", { name: "全勤" }).click();
    await page.getByRole("status").getByText("已保存").waitFor();
    await expect.poll(() => page.getByRole("textbox", { name: new RegExp(`^${TRAINEE.name} `) }).inputValue()).toBe("8");
    // The classroom part of the theory hours, taught in one session.
    await page.getByLabel("日期").fill(day(-2));
    await page.getByLabel("类型").selectOption("theory");
    await page
      .getByLabel("学时", { exact: true })
      .fill(String(program.rules.hours.theory - program.rules.modules.reduce((n, m) => n + m.onlineHours!, 0)));
    await page.getByLabel("课次内容").fill("照护理论面授");
    await page.getByRole("button", { name: "新增课次" }).click();
    await page.locator('th[title="照护理论面授"]').waitFor();
    await page.locator('th[title="照护理论面授"]').getByRole("button", { name: "全勤" }).click();
    await expect.poll(() => page.getByRole("textbox", { name: `${TRAINEE.name} ${day(-2)} 照护理论面授` }).inputValue()).not.toBe("");

    // Practicals are scored on a phone, item by item; a missed key item fails the skill whatever the score.
    const phone = await browser.newPage({ width: 375, height: 740 });
    await signIn(phone, "registrar");
    const response = await phone.goto(`${cohortUrl}/practicals`);
    // A long page of Chinese crosses React's 2 KB streaming buffer many times: no NUL may leak out.
    expect((await response!.body()).includes(0)).toBe(false);
    const assess = async (skill: (typeof program.skills)[number], leaveOut: string[] = []) => {
      if ((await phone.getByLabel("考核技能").inputValue()) !== skill.code) {
        await phone.getByLabel("考核技能").selectOption(skill.code);
        await phone.waitForURL((u) => u.searchParams.get("skill") === skill.code);
      }
      await phone.getByLabel("学员", { exact: true }).selectOption({ label: TRAINEE.name });
      // The form is reset once the last save's page has rendered: tick after that, and make sure every tick held.
      await phone.getByRole("button", { name: "保存评分" }).waitFor();
      const wanted = skill.items!.filter((item) => !leaveOut.includes(item.code));
      await expect
        .poll(async () => {
          for (const item of wanted) await phone.getByRole("checkbox", { name: item.text }).check();
          return (await Promise.all(wanted.map((item) => phone.getByRole("checkbox", { name: item.text }).isChecked()))).every(Boolean);
        })
        .toBe(true);
      const before = new URL(phone.url()).searchParams.get("saved");
      await phone.getByRole("button", { name: "保存评分" }).click();
      await phone.waitForURL((u) => u.searchParams.has("saved") && u.searchParams.get("saved") !== before);
      // The address can change a moment before the page shows the new record: read the verdict of this save.
      const saved = new URL(phone.url()).searchParams.get("saved");
      return phone.locator(`[data-testid="practical-verdict"][data-saved="${saved}"]`).innerText();
    };
    const [first, ...rest] = program.skills;
    const keyItem = first.items!.find((i) => i.key)!;
    const failed = await assess(first, [keyItem.code]);
    expect(failed).toContain(`不合格 · ${100 - keyItem.points}/100分`);
    expect(failed).toContain(`关键项未达标：${keyItem.text}`);
    await expect(assess(first)).resolves.toMatch(/^合格 · 100\/100分$/m);
    for (const s of rest) await expect(assess(s)).resolves.toMatch(/^合格 · 100\/100分$/m);
    await expect.poll(() => phone.getByTestId("practical-records").locator("tbody tr").count()).toBe(program.skills.length + 1);
    await phone.context().close();

    await page.goto(cohortUrl);
    const row = await page.locator(`tr[data-trainee="${TRAINEE.name}"]`).innerText();
    expect(row).toContain("已结业");
    expect(row).toMatch(/\t通过\t/);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "导出 Excel" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${cohortName}-进度.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await file.path())!);
    const rows = workbook.worksheets[0].getSheetValues().map((r) => (Array.isArray(r) ? r.join("|") : ""));
    expect(rows.find((r) => r?.includes(TRAINEE.name))).toContain("已结业");

    // What an inspector asks for: the cohort's 学时记录 and the trainee's 学时证明, from the same page.
    const recordDownload = page.waitForEvent("download");
    await page.getByRole("link", { name: "学时记录 (.xlsx)" }).click();
    const recordFile = await recordDownload;
    expect(recordFile.suggestedFilename()).toBe(`${cohortName}-学时记录.xlsx`);
    const record = new ExcelJS.Workbook();
    await record.xlsx.readFile((await recordFile.path())!);
    expect(record.worksheets.map((w) => w.name)).toEqual(["汇总", "课程学习", "模块学时", "测验考试", "课堂考勤", "技能考核"]);
    const line = record
      .getWorksheet("汇总")!
      .getSheetValues()
      .map((r) => (Array.isArray(r) ? r.join("|") : ""))
      .find((r) => r?.includes(TRAINEE.name))!;
    expect(line).toContain(`|${maskResidentId(TRAINEE.idNumber)}|`);
    const pdfDownload = page.waitForEvent("download");
    await page.getByRole("link", { name: `${TRAINEE.name} 的学时证明（PDF）` }).click();
    const pdfFile = await pdfDownload;
    expect(pdfFile.suggestedFilename()).toBe(`${TRAINEE.name}-学时证明.pdf`);
    const text = execFileSync("pdftotext", [(await pdfFile.path())!, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
    const online = program.rules.modules.reduce((n, m) => n + m.onlineHours!, 0);
    const classroomNeed = program.rules.hours.theory - online;
    expect(text).toContain(
      `理论学时（线上${online}/应${online}；课堂${classroomNeed}/应${classroomNeed}）合计${program.rules.hours.theory}/应${program.rules.hours.theory}学时`,
    );
    expect(text).toContain(maskResidentId(TRAINEE.idNumber));
    await page.context().close();

    const trainee = await browser.newPage({ width: 375, height: 740 });
    await trainee.goto("/login");
    await fillSignInForm(trainee, TRAINEE.mobile, "my-own-password");
    await trainee.goto("/learn");
    await expect(trainee.getByTestId("programme-status").innerText()).resolves.toContain("已于");
    // …and downloads their own 学时证明 from the programme page.
    await trainee.goto(traineeProgrammeUrl);
    const own = trainee.waitForEvent("download");
    await trainee.getByRole("link", { name: "下载学时证明" }).click();
    expect((await own).suggestedFilename()).toBe(`${TRAINEE.name}-学时证明.pdf`);
    await trainee.context().close();
  });

  it("another trainee cannot open someone else's programme, nor the registrar's pages", async () => {
    const page = await browser.newPage();
    await signIn(page, "trainee");
    expect((await page.goto(traineeProgrammeUrl))?.status()).toBe(403);
    expect((await page.goto(`${traineeProgrammeUrl}/exam`))?.status()).toBe(403);
    expect((await page.goto(`${cohortUrl}/attendance`))?.status()).toBe(403);
    await page.context().close();
  });
});
