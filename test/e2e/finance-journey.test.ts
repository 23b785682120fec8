import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { organisationIdByCode, signIn, useBrowser } from "./browser";

const browser = useBrowser();
const dir = mkdtempSync(path.join(tmpdir(), "care-finance-"));
let claimUrl = "";

async function figures(page: Page) {
  const text = await page.getByTestId("policy-instructor-training-subsidy").getByTestId("policy-figures").innerText();
  return text.replace(/\s+/g, " ");
}

describe("subsidies: finance claims, the reviewer approves and pays, the dashboard moves", () => {
  it("base finance builds a claim from the eligible heads, exports the form and submits it", async () => {
    const page = await browser.newPage();
    await signIn(page, "finance");
    await page.getByRole("navigation").getByRole("link", { name: "补贴申报" }).click();
    await page.getByTestId("policy-instructor-training-subsidy").waitFor();
    expect(await figures(page)).toContain("可申报 10 人 ¥50,000.00");
    // The target is the district's: 22 heads here and 8 at BASE-FY.
    await expect(page.getByTestId("target-progress").first().innerText()).resolves.toContain("全区目标进度：30/50 人，¥150,000.00 / ¥250,000.00");
    await expect(page.getByTestId("own-share").first().innerText()).resolves.toContain("其中本基地：22 人，¥110,000.00");
    await expect(page.getByTestId("policy-conditions").first().innerText()).resolves.toContain("结业时基地在认定有效期内");
    // Per-trainee amounts are shown per programme, and labelled as the bureau's to set.
    const vocational = await page.getByTestId("policy-vocational-training-subsidy").innerText();
    expect(vocational).toContain("失能老人家庭照护者培训 ¥300.00");
    expect(vocational).toContain("金额为示例值，以区卫健局核定为准");

    await page.getByTestId("policy-instructor-training-subsidy").getByRole("link", { name: "新建申报" }).click();
    const heads = page.getByTestId("claimable-heads").locator("tbody tr");
    await expect.poll(() => heads.count()).toBe(10);
    await page.getByRole("button", { name: "生成申报单（10 人）" }).click();
    await page.getByTestId("claim-total").waitFor();
    claimUrl = new URL(page.url()).pathname;
    await expect(page.getByTestId("claim-total").innerText()).resolves.toContain("¥50,000.00（大写：伍万元整）");

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
    expect(text).toContain("二(七)1");
    expect(text.replace(/\s/g, "")).toContain("《杭州市富阳区关于深入推进医疗健康与养老服务相结合的实施意见（征求意见稿）》");
    const csv = page.waitForEvent("download");
    await page.getByRole("link", { name: "名单 CSV" }).click();
    const csvFile = path.join(dir, "roster.csv");
    await (await csv).saveAs(csvFile);
    const rows = readFileSync(csvFile, "utf8").trim().split("\r\n");
    expect(rows).toHaveLength(10);
    expect(rows.slice(1).reduce((sum, r) => sum + Number(r.split(",")[6]), 0)).toBe(45000);

    await page.getByRole("button", { name: "提交审核" }).click();
    await expect.poll(() => page.getByTestId("claim-status").innerText()).toBe("已提交待审");
    await page.goto("/finance?org=" + organisationIdByCode("BASE-GERI"));
    expect(await figures(page)).toContain("已申报待审 9 人 ¥45,000.00");
    await page.context().close();
  });

  it("a reviewer approves the claim and records the payment; the dashboard moves", async () => {
    const page = await browser.newPage();
    await signIn(page, "reviewer");
    await page.getByRole("navigation").getByRole("link", { name: "补贴审核" }).click();
    await page.getByTestId("review-claims").getByRole("link", { name: "杭州市老年病医院医养结合培训基地" }).click();
    await page.waitForURL(`**${claimUrl}`);
    await page.getByRole("button", { name: "批准申报" }).click();
    await expect.poll(() => page.getByTestId("claim-status").innerText()).toBe("已批准");
    await page.getByLabel("支付凭证号").fill("拱财拨〔2026〕101号");
    await page.getByRole("button", { name: "登记拨付" }).click();
    await expect.poll(() => page.getByTestId("claim-status").innerText()).toBe("已拨付");
    const steps = page.getByTestId("claim-history").locator("li");
    await expect(steps.evaluateAll((items) => items.map((li) => li.getAttribute("data-action")))).resolves.toEqual(["claim.create", "claim.remove-line", "claim.submit", "claim.approve", "claim.paid"]);
    const history = await page.getByTestId("claim-history").innerText();
    expect(history).toMatch(/生成申报单（10 人）[\s\S]*移除 · .+（\d{4}-[0-9A-Z-]+）：本人申请暂缓申报[\s\S]*提交审核[\s\S]*批准申报[\s\S]*登记拨付 · \d{4}-\d{2}-\d{2} · /);

    await page.goto("/finance");
    const all = await figures(page);
    expect(all).toContain("已拨付 21 人 ¥105,000.00");
    expect(all).toContain("可申报 9 人 ¥45,000.00"); // the removed head and BASE-FY's eight
    await page.context().close();
  });

  it("base finance cannot see another base's money, and cannot approve", async () => {
    const page = await browser.newPage();
    await signIn(page, "finance");
    expect((await page.goto(`/finance?org=${organisationIdByCode("BASE-FY")}`))?.status()).toBe(403);
    expect((await page.goto("/review"))?.status()).toBe(403);
    const response = await page.request.post(`${claimUrl}?index`, { form: { intent: "approve" }, headers: { Origin: new URL(page.url()).origin } });
    expect(response.status()).toBe(403);
    await page.context().close();
  });
});
