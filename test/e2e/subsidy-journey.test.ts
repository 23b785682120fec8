import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { baseURL, mailTo, organisationIdByCode, signIn, useBrowser, withDatabase } from "./browser";

const browser = useBrowser();
const dir = mkdtempSync(path.join(tmpdir(), "care-finance-"));
let claimUrl = "";

async function figures(page: Page) {
  const text = await page.getByTestId("policy-instructor-training-subsidy").getByTestId("policy-figures").innerText();
  return text.replace(/\s+/g, " ");
}

const WHOLE_ID = /\b\d{17}[\dX]\b/;

describe("jurisdictions: 富阳's health bureau designates, 富阳's base claims under 富阳's policy, 富阳's bureau pays", () => {
  it("the 富阳 health-bureau reviewer designates a base, refused first for a host the policy does not allow", async () => {
    const page = await browser.newPage();
    await signIn(page, "reviewer.fy");
    await page.getByRole("navigation").getByRole("link", { name: "补贴审核" }).click();
    const row = page.locator("tr", { hasText: "富阳区新登镇中心卫生院医养结合培训基地" });
    await expect(row.innerText()).resolves.toContain("无认定记录");
    // Bases of other districts are not this bureau's.
    await expect(page.getByText("杭州市老年病医院医养结合培训基地").count()).resolves.toBe(0);
    await row.getByRole("link", { name: "认定管理" }).click();
    await page.getByLabel("认定编号").fill("富卫医养培〔2026〕5号");
    await page.getByLabel("状态", { exact: true }).selectOption({ label: "已认定" });
    await page.getByLabel("设立机构", { exact: true }).fill("富阳区职业技术学校");
    await page.getByLabel("设立机构类型").selectOption({ label: "职业院校或社会培训机构" });
    await page.getByLabel("有效期起").fill("2026-12-01");
    await page.getByLabel("有效期止").fill("2029-11-30");
    await page.getByRole("button", { name: "保存" }).click();
    const error = page.locator(".field", { has: page.getByLabel("设立机构类型") }).getByRole("alert");
    await expect(error.innerText()).resolves.toContain("二(七)1");
    await expect(page.getByLabel("设立机构", { exact: true }).inputValue()).resolves.toBe("富阳区职业技术学校");

    await page.getByLabel("设立机构", { exact: true }).fill("富阳区新登镇中心卫生院");
    await page.getByLabel("设立机构类型").selectOption({ label: "基层医疗卫生机构（社区卫生服务中心、乡镇卫生院等）" });
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("已保存").waitFor();
    const history = await page.getByTestId("accreditation-history").innerText();
    expect(history).toContain("富卫医养培〔2026〕5号");
    expect(history).toContain("富阳区卫生健康局");
    expect(history).toContain("基层医疗卫生机构");
    await expect(page.locator("h1 .badge").innerText()).resolves.toBe("已认定");
    await page.context().close();
  });

  it("the 富阳 base's finance finds its heads blocked by the base's failed assessment; the bureau reassesses the base and it passes", async () => {
    const finance = await browser.newPage();
    await signIn(finance, "finance.fy");
    await finance.getByRole("navigation").getByRole("link", { name: "补贴申报" }).click();
    expect(await figures(finance)).toContain("可申报 0 人");
    await finance.getByTestId("policy-instructor-training-subsidy").getByRole("link", { name: "新建申报" }).click();
    const blocked = finance.getByTestId("ineligible-heads").locator("li");
    await expect.poll(() => blocked.count()).toBe(10);
    await expect(blocked.first().innerText()).resolves.toContain("基地最近一次半年考核不合格");

    // The bureau's inspectors come back: the board shows the failed base, the form its records and items.
    const bureau = await browser.newPage({ width: 375, height: 740 });
    await signIn(bureau, "reviewer.fy");
    await bureau.goto("/review");
    await bureau.getByRole("link", { name: /基地半年考核/ }).click();
    const row = bureau.getByTestId("assessment-board").locator('tr[data-base="富阳区医养结合培训基地"]');
    await expect(row.innerText()).resolves.toContain("考核不合格");
    await row.getByRole("link", { name: "考核" }).click();
    await bureau.getByTestId("assessment-facts").first().waitFor();
    const period = new Date(Date.now() + 8 * 3_600_000).getUTCMonth() < 6 ? "上半年" : "下半年";
    await bureau.getByLabel("考核半年度").selectOption({ label: `${new Date().getUTCFullYear()}年${period}` });
    await bureau.getByRole("button", { name: "查看指标" }).click();
    await bureau.getByLabel(/培训场地与实训设备/).fill("16");
    await bureau.getByLabel(/师资配备与资质/).fill("15");
    await bureau.getByLabel(/课程执行与教学质量/).fill("10");
    await bureau.getByLabel(/培训档案与证书管理/).fill("9");
    await bureau.getByLabel(/安全与感染防控/).fill("9");
    await bureau.getByLabel("考核人员").fill("周卫东、钱晓梅");
    await bureau.getByRole("button", { name: "保存考核结果" }).click();
    // 16 is above the item's 15 points: refused beside the item, and what was typed stays.
    await expect.poll(() => bureau.getByLabel(/培训场地与实训设备/).getAttribute("aria-invalid")).toBe("true");
    await expect(bureau.getByRole("alert").first().innerText()).resolves.toContain("请填写 0 到该项满分之间的整数");
    await expect(bureau.getByLabel("考核人员").inputValue()).resolves.toBe("周卫东、钱晓梅");
    await bureau.getByLabel(/培训场地与实训设备/).fill("14");
    await bureau.getByRole("button", { name: "保存考核结果" }).click();
    await bureau.getByText("考核结果已保存").waitFor();
    await expect(bureau.getByTestId("assessment-board").locator('tr[data-base="富阳区医养结合培训基地"]').innerText()).resolves.toContain(
      "考核合格",
    );
    const overflow = await bureau.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await bureau.context().close();

    await finance.reload();
    await expect.poll(() => finance.getByTestId("claimable-heads").locator("tbody tr").count()).toBe(10);
    await finance.context().close();
  });

  it("the 富阳 base's finance asks for claim news by e-mail; a malformed address is refused beside its field and nothing is lost", async () => {
    const page = await browser.newPage({ width: 375, height: 740 });
    await signIn(page, "finance.fy");
    await page.goto("/account");
    const settings = page.locator("#notifications");
    await expect(
      settings.getByRole("checkbox").evaluateAll((boxes) => boxes.map((b) => b.parentElement!.textContent!.trim())),
    ).resolves.toEqual(["补贴申报被退回", "补贴申报审核通过", "补贴已拨付"]);
    await settings.getByLabel("电子邮箱").fill("caiwu.fy@");
    await settings.getByLabel("补贴申报被退回").uncheck();
    await settings.getByRole("button", { name: "保存" }).click();
    await settings.getByText("邮箱格式不正确").waitFor();
    await expect(settings.getByLabel("电子邮箱").inputValue()).resolves.toBe("caiwu.fy@");
    await settings.getByLabel("电子邮箱").fill("caiwu.fy@example.cn");
    await settings.getByLabel("补贴申报被退回").uncheck();
    await settings.getByRole("button", { name: "保存" }).click();
    await settings.getByText("通知设置已保存").waitFor();
    await page.reload();
    await expect(page.locator("#notifications").getByLabel("电子邮箱").inputValue()).resolves.toBe("caiwu.fy@example.cn");
    await expect(page.locator("#notifications").getByLabel("补贴申报被退回").isChecked()).resolves.toBe(false);
    await expect(page.locator("#notifications").getByLabel("补贴已拨付").isChecked()).resolves.toBe(true);
    await page.context().close();
  });

  it("the 富阳 base's finance sees 富阳's target counting 富阳's bases only, builds a claim, exports the form and submits it", async () => {
    const page = await browser.newPage();
    await signIn(page, "finance.fy");
    await page.getByRole("navigation").getByRole("link", { name: "补贴申报" }).click();
    await page.getByTestId("policy-instructor-training-subsidy").waitFor();
    expect(await figures(page)).toContain("可申报 10 人 ¥50,000.00");
    // 12 paid and 10 waiting here; 拱墅's certified instructors are not 富阳's heads.
    await expect(page.getByTestId("target-progress").first().innerText()).resolves.toContain(
      "富阳区目标进度：22/50 人，¥110,000.00 / ¥250,000.00",
    );
    await expect(page.getByTestId("policy-issuer").first().innerText()).resolves.toContain("富阳区卫生健康局");
    // The 人社 subsidy pays training and appraisal, and says its amounts wait for the bureau.
    const vocational = page.getByTestId("policy-vocational-training-subsidy");
    await expect(vocational.getByTestId("policy-issuer").innerText()).resolves.toContain("富阳区人力资源和社会保障局");
    await expect(vocational.getByTestId("policy-amounts").innerText()).resolves.toContain(
      "医疗护理员培训 培训补贴 ¥1,500.00 + 鉴定补贴 ¥200.00",
    );
    await expect(vocational.getByTestId("policy-unconfirmed").innerText()).resolves.toContain("尚待富阳区人力资源和社会保障局确认");

    await page.getByTestId("policy-instructor-training-subsidy").getByRole("link", { name: "新建申报" }).click();
    const heads = page.getByTestId("claimable-heads").locator("tbody tr");
    await expect.poll(() => heads.count()).toBe(10);
    await page.getByRole("button", { name: "生成申报单（10 人）" }).click();
    await page.getByTestId("claim-total").waitFor();
    claimUrl = new URL(page.url()).pathname;
    await expect(page.getByTestId("claim-total").innerText()).resolves.toContain("¥50,000.00（大写：伍万元整）");
    await expect(page.getByTestId("claim-issuer").innerText()).resolves.toBe("富阳区卫生健康局");
    // The base's own finance sees ID numbers masked.
    await expect(page.getByTestId("claim-lines").innerText()).resolves.not.toMatch(WHOLE_ID);

    const first = page.getByTestId("claim-lines").locator("tbody tr").first();
    const removed = await first.getAttribute("data-line");
    await first.getByRole("button", { name: "移除" }).click();
    await first.getByText("此项为必填项").waitFor();
    await first.getByLabel("移除原因").fill("本人申请暂缓申报");
    await first.getByRole("button", { name: "移除" }).click();
    await expect.poll(() => page.getByTestId("claim-total").innerText()).toContain("9 人");
    await expect(page.locator(`tr[data-line="${removed}"]`).innerText()).resolves.toContain("已移除");

    const pdf = page.waitForEvent("download");
    await page.getByRole("link", { name: "申报表 PDF" }).click();
    const form = path.join(dir, "form.pdf");
    await (await pdf).saveAs(form);
    const text = execFileSync("pdftotext", [form, "-"], { encoding: "utf8" });
    expect(text).toContain("养老护理员师资培训补助申报表");
    expect(text).toContain("肆万伍仟元整");
    expect(text).toContain("受理机关：富阳区卫生健康局");
    expect(text.replace(/\s/g, "")).toContain("《杭州市富阳区关于深入推进医疗健康与养老服务相结合的实施意见（征求意见稿）》");
    expect(text).not.toMatch(WHOLE_ID);
    const csv = page.waitForEvent("download");
    await page.getByRole("link", { name: "名单 CSV" }).click();
    const csvFile = path.join(dir, "roster.csv");
    await (await csv).saveAs(csvFile);
    const rows = readFileSync(csvFile, "utf8").trim().split("\r\n");
    expect(rows).toHaveLength(10);
    expect(rows.slice(1).reduce((sum, r) => sum + Number(r.split(",")[7]), 0)).toBe(45000);

    await page.getByRole("button", { name: "提交审核" }).click();
    await expect.poll(() => page.getByTestId("claim-status").innerText()).toBe("已提交待审");
    // The pages' old address, from a bookmark or an e-mail sent before they moved, still arrives.
    await page.goto("/finance");
    expect(new URL(page.url()).pathname).toBe("/subsidy");
    expect(await figures(page)).toContain("已申报待审 9 人 ¥45,000.00");
    await page.context().close();
  });

  it("a claim for the 人社 subsidy cannot be submitted while its amounts are unconfirmed, and says who must confirm them", async () => {
    const page = await browser.newPage();
    await signIn(page, "finance.fy");
    await page.goto("/subsidy");
    await page.getByTestId("policy-vocational-training-subsidy").getByRole("link", { name: "新建申报" }).click();
    await expect.poll(() => page.getByTestId("claimable-heads").locator("tbody tr").count()).toBe(6);
    await page.getByRole("button", { name: "生成申报单（6 人）" }).click();
    await expect(page.getByTestId("claim-unconfirmed").innerText()).resolves.toContain("尚待富阳区人力资源和社会保障局确认");
    await expect(page.getByTestId("claim-total").innerText()).resolves.toContain("6 人，¥10,200.00");
    await page.getByRole("button", { name: "提交审核" }).click();
    await expect(page.getByRole("alert").first().innerText()).resolves.toContain(
      "培训补贴、鉴定补贴金额尚待富阳区人力资源和社会保障局确认，确认前不能提交申报",
    );
    await expect(page.getByTestId("claim-status").innerText()).resolves.toBe("草稿");
    await page.context().close();
  });

  it("富阳's health-bureau reviewer sees whole ID numbers, approves and records the payment; each view is logged", async () => {
    const page = await browser.newPage();
    await signIn(page, "reviewer.fy");
    await page.getByRole("navigation").getByRole("link", { name: "补贴审核" }).click();
    await page.getByTestId("review-claims").getByRole("link", { name: "富阳区医养结合培训基地" }).click();
    await page.waitForURL(`**${claimUrl}`);
    await expect(page.getByTestId("claim-lines").innerText()).resolves.toMatch(WHOLE_ID);
    await page.getByText("每次查看和导出均记入操作日志").waitFor();
    // Returning a claim needs a reason: said beside the field before anything is sent.
    const requests: string[] = [];
    page.on("request", (r) => (r.method() === "POST" ? requests.push(r.url()) : undefined));
    await page.getByRole("button", { name: "退回修改" }).click();
    const reasonError = page.locator(".field", { has: page.getByLabel("退回原因") }).locator(".error");
    await expect(reasonError.textContent()).resolves.toBe("此项为必填项");
    expect(requests).toEqual([]);
    await expect(page.getByTestId("claim-status").innerText()).resolves.toBe("已提交待审");
    await page.getByRole("button", { name: "批准申报" }).click();
    await expect.poll(() => page.getByTestId("claim-status").innerText()).toBe("已批准");
    await page.getByLabel("支付凭证号").fill("富财拨〔2026〕101号");
    await page.getByRole("button", { name: "登记拨付" }).click();
    await expect.poll(() => page.getByTestId("claim-status").innerText()).toBe("已拨付");
    const steps = page.getByTestId("claim-history").locator("li");
    // Views of whole ID numbers are in the audit log, not in the claim's history of steps.
    await expect(steps.evaluateAll((items) => items.map((li) => li.getAttribute("data-action")))).resolves.toEqual([
      "claim.create",
      "claim.remove-line",
      "claim.submit",
      "claim.approve",
      "claim.paid",
    ]);
    const reviewer = withDatabase((db) => (db.prepare("select id from users where username = 'reviewer.fy'").get() as { id: string }).id);
    const views = withDatabase(
      (db) =>
        db
          .prepare("select count(*) from audit_log where action = 'claim.view-ids' and actor_user_id = ? and entity_id = ?")
          .pluck()
          .get(reviewer, claimUrl.split("/").at(-1)) as number,
    );
    expect(views).toBeGreaterThanOrEqual(3);

    await page.goto("/subsidy");
    const all = await figures(page);
    expect(all).toContain("已拨付 21 人 ¥105,000.00");
    expect(all).toContain("可申报 1 人 ¥5,000.00"); // the removed head
    await page.context().close();
  });

  it("the base's finance hears of the approval and the payment in the app and by e-mail", async () => {
    const mails = await mailTo("caiwu.fy@example.cn", 2);
    expect(mails.map((m) => m.subject).sort()).toEqual(["【医养培训】补贴已拨付", "【医养培训】补贴申报已审核通过"]);
    const paid = mails.find((m) => m.subject === "【医养培训】补贴已拨付")!;
    expect(paid.text).toContain("富财拨〔2026〕101号");
    // The server was given no PUBLIC_URL: the link names the address it guesses for itself.
    expect(paid.text).toContain(`http://localhost:${new URL(baseURL()).port}${claimUrl}`);
    const page = await browser.newPage({ width: 375, height: 740 });
    await signIn(page, "finance.fy");
    const bell = page.getByTestId("inbox-link");
    await expect(bell.innerText()).resolves.toMatch(/^通知\s*\d+/);
    expect(Number(await bell.getAttribute("data-unread"))).toBeGreaterThanOrEqual(2);
    await bell.click();
    const item = page.getByTestId("inbox").locator("li.unread").filter({ hasText: "富财拨〔2026〕101号" });
    await item.getByRole("button").click();
    await page.waitForURL(`**${claimUrl}`);
    await page.goto("/inbox");
    await expect(page.getByTestId("inbox").locator("li.read").filter({ hasText: "富财拨〔2026〕101号" }).count()).resolves.toBe(1);
    await page.getByRole("button", { name: "全部标为已读" }).click();
    await expect.poll(() => page.getByTestId("inbox").locator("li.unread").count()).toBe(0);
    await expect(page.getByTestId("inbox-link").innerText()).resolves.toBe("通知");
    await page.context().close();
  });

  it("拱墅's base sees that no instructor-subsidy policy applies to it, and 拱墅's and 人社's reviewers cannot touch 富阳's claim", async () => {
    const page = await browser.newPage();
    await signIn(page, "finance");
    await page.goto("/subsidy");
    await expect(page.getByTestId("no-policy").innerText()).resolves.toContain("没有适用于本基地所在地区（浙江省杭州市拱墅区）的补贴政策");
    await expect(page.getByTestId("uncovered-programmes").innerText()).resolves.toContain("养老护理员师资培训");
    await expect(page.getByTestId("policy-instructor-training-subsidy").count()).resolves.toBe(0);
    const gongshu = organisationIdByCode("BASE-GERI");
    expect((await page.goto(`/subsidy/claims/new?policy=instructor-training-subsidy&org=${gongshu}`))?.status()).toBe(404);
    expect((await page.goto(`/subsidy?org=${organisationIdByCode("BASE-FY")}`))?.status()).toBe(403);
    expect((await page.goto(claimUrl))?.status()).toBe(403);
    await page.context().close();

    for (const username of ["reviewer", "reviewer.hr"]) {
      const other = await browser.newPage();
      await signIn(other, username);
      expect((await other.goto(claimUrl))?.status(), username).toBe(403);
      const response = await other.request.post(`${claimUrl}?index`, {
        form: { intent: "reject", reason: "x" },
        headers: { Origin: new URL(other.url()).origin },
      });
      expect(response.status(), username).toBe(403);
      await other.context().close();
    }
  });
});
