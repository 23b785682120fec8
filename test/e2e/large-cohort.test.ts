import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { ATTENDANCE_PAGE_SIZE } from "../../app/domain/paging";
import { checkCharacter } from "../../app/domain/resident-id";
import { gbkBytes } from "../support/gbk";
import { organisationIdByCode, signIn, useBrowser } from "./browser";

const browser = useBrowser();
const SIZE = 30;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const name = (i: number) => `翻页学员${String(i).padStart(2, "0")}`;
const people = Array.from({ length: SIZE }, (_, i) => {
  const first17 = `33010519910${1 + Math.floor(i / 28)}${String((i % 28) + 1).padStart(2, "0")}${200 + i}`;
  return [name(i + 1), `1362000${String(i).padStart(4, "0")}`, first17 + checkCharacter(first17), "和睦颐养院"];
});

describe("a cohort longer than a page of the attendance grid, enrolled from a GBK .csv", () => {
  it("the registrar records half hours, is told why a cell is refused, records a session for everyone from the second page, and each page shows what was saved", async () => {
    const page = await browser.newPage();
    await signIn(page, "registrar");
    await page.goto(`/bases/${organisationIdByCode("BASE-GERI")}`);
    await page.getByRole("link", { name: "开班" }).click();
    // Each instructor's box sits beside the name, not stretched across the form above it.
    const box = await page.getByLabel("王丽华").boundingBox();
    const label = await page.locator("label", { has: page.getByLabel("王丽华") }).boundingBox();
    expect(box!.width).toBeLessThan(40);
    expect(box!.y + box!.height).toBeGreaterThan(label!.y);
    expect(box!.y).toBeLessThan(label!.y + label!.height);
    expect(label!.height).toBeLessThan(2.5 * box!.height);
    await page.getByLabel("培训项目").selectOption({ index: 1 });
    await page.getByLabel("班级名称").fill(`E2E大班${Date.now() % 100000}`);
    await page.getByLabel("开始日期").fill(day(-7));
    await page.getByLabel("结束日期").fill(day(30));
    await page.getByLabel("容量").fill(String(SIZE));
    await page.getByRole("button", { name: "新建" }).click();
    await page.waitForURL(/\/enrol$/);
    const cohortUrl = new URL(page.url()).pathname.replace(/\/enrol$/, "");
    // Saved from a Chinese Excel as CSV (逗号分隔): GBK bytes, CRLF line ends.
    const file = path.join(mkdtempSync(path.join(tmpdir(), "care-big-roster-")), "名单.csv");
    writeFileSync(file, gbkBytes([["姓名", "手机号", "身份证号", "工作单位"], ...people].map((r) => r.join(",")).join("\r\n") + "\r\n"));
    // First a copy with the first person pasted twice: the preview names the row it repeats.
    const twice = path.join(path.dirname(file), "重复.csv");
    writeFileSync(
      twice,
      gbkBytes([["姓名", "手机号", "身份证号", "工作单位"], people[0], people[1], people[0]].map((r) => r.join(",")).join("\r\n") + "\r\n"),
    );
    await page.getByLabel("学员名单（.xlsx 或 .csv）").setInputFiles(twice);
    await page.getByRole("button", { name: "上传并预览" }).click();
    await expect(page.getByTestId("roster-preview").locator('tr[data-row="4"]').innerText()).resolves.toContain("身份证号与第 2 行重复");
    // The roster comes back as a workbook, the problems in a column of their own, to fix in the file.
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: /下载名单并标出 1 行问题/ }).click();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await (await download).path())!);
    const rows = workbook.worksheets[0]
      .getSheetValues()
      .slice(1)
      .map((r) => (r as ExcelJS.CellValue[]).slice(1).map(String));
    expect(rows[0]).toEqual(["姓名", "手机号", "身份证号", "工作单位", "问题"]);
    expect(rows.slice(1).map((r) => r.slice(0, 3))).toEqual([people[0], people[1], people[0]].map((p) => p.slice(0, 3)));
    expect(rows[3][4]).toContain("身份证号与第 2 行重复");
    expect(rows[1][4] ?? "").toBe("");
    await page.getByLabel("学员名单（.xlsx 或 .csv）").setInputFiles(file);
    await page.getByRole("button", { name: "上传并预览" }).click();
    await page.getByRole("button", { name: `确认导入 ${SIZE} 名学员` }).click();
    await page.getByText(`已报名 ${SIZE} 人`).waitFor();

    await page.goto(`${cohortUrl}/attendance`);
    await expect(page.title()).resolves.toBe("考勤 · 医养结合培训与认证");
    await page.getByLabel("日期").fill(day(-1));
    await page.getByLabel("类型").selectOption("theory");
    // A session's hours are checked as the field is left, beside it.
    await page.getByLabel("学时", { exact: true }).fill("13");
    await page.getByLabel("课次内容").focus();
    const hoursError = page.locator(".field", { has: page.getByLabel("学时", { exact: true }) }).locator(".error");
    await expect(hoursError.textContent()).resolves.toBe("数值超出允许范围");
    await page.getByLabel("学时", { exact: true }).fill("4");
    await expect.poll(() => hoursError.count()).toBe(0);
    await page.getByLabel("课次内容").fill("分班面授");
    await page.getByRole("button", { name: "新增课次" }).click();
    const grid = page.getByTestId("attendance-grid");
    await grid.waitFor();
    await expect(grid.locator("tbody tr").count()).resolves.toBe(ATTENDANCE_PAGE_SIZE);
    await expect(page.getByTestId("pager").innerText()).resolves.toContain(`第 1–${ATTENDANCE_PAGE_SIZE} 条，共 ${SIZE} 条`);
    // Someone on the first page came for an hour only, and that is saved first.
    await page.getByRole("textbox", { name: `${name(1)} ${day(-1)} 分班面授` }).fill("1");
    await page.getByRole("button", { name: "保存考勤" }).click();
    await page.getByRole("status").getByText("已保存").waitFor();

    // A refused save says why under the cell, in words, and no longer shows the earlier 已保存.
    const second = page.getByRole("textbox", { name: `${name(2)} ${day(-1)} 分班面授` });
    await second.fill("５");
    // Refused in the browser, by the same check the server makes: nothing is sent.
    const posts: string[] = [];
    page.on("request", (r) => (r.method() === "POST" ? posts.push(r.url()) : undefined));
    await page.getByRole("button", { name: "保存考勤" }).click();
    await page.getByText("有考勤格填写不正确").waitFor();
    await expect(page.locator(".cell-error").innerText()).resolves.toContain("学时应为 0 到本课次学时");
    await expect(page.getByRole("status").count()).resolves.toBe(0);
    expect(posts).toEqual([]);
    // Half an hour late: half-hours are recorded as typed.
    await second.fill("3.5");
    await page.getByRole("button", { name: "保存考勤" }).click();
    await page.getByRole("status").waitFor();
    await expect.poll(() => page.getByRole("textbox", { name: `${name(2)} ${day(-1)} 分班面授` }).inputValue()).toBe("3.5");

    await page.getByRole("link", { name: "下一页" }).click();
    await page.waitForURL(/page=2/);
    // The address changes as the new page's data arrives; the rows follow as React renders them.
    await expect.poll(() => grid.locator("tbody tr").count()).toBe(SIZE - ATTENDANCE_PAGE_SIZE);
    await expect.poll(() => grid.locator("tbody th").first().innerText()).toBe(name(ATTENDANCE_PAGE_SIZE + 1));
    await page.getByRole("button", { name: "全勤" }).click();
    await page.getByRole("status").getByText("已保存").waitFor();
    expect(new URL(page.url()).searchParams.get("page")).toBe("2");
    await expect.poll(() => page.getByRole("textbox", { name: `${name(SIZE)} ${day(-1)} 分班面授` }).inputValue()).toBe("4");

    await page.getByRole("link", { name: "上一页" }).click();
    await page.waitForURL((u) => !u.searchParams.has("page"));
    await expect.poll(() => page.getByRole("textbox", { name: `${name(3)} ${day(-1)} 分班面授` }).inputValue()).toBe("4");
    await expect(page.getByRole("textbox", { name: `${name(1)} ${day(-1)} 分班面授` }).inputValue()).resolves.toBe("1");
    await expect(page.getByRole("textbox", { name: `${name(2)} ${day(-1)} 分班面授` }).inputValue()).resolves.toBe("3.5");
    await page.context().close();
  });
});
