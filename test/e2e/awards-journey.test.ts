import { describe, expect, it } from "vitest";
import { signIn, useBrowser } from "./browser";

const browser = useBrowser();

describe("demonstration awards: 富阳's health bureau designates within its places, and the base's finance sees them", () => {
  it("the bureau designates the second 示范基地, a missing document number refused beside it, and no place is left", async () => {
    const page = await browser.newPage({ width: 375, height: 740 });
    await signIn(page, "reviewer.fy");
    await page.goto("/review");
    await page.getByRole("link", { name: /示范评选/ }).click();
    const award = page.getByTestId("award-demonstration-base-award");
    await expect(award.getByTestId("award-places").innerText()).resolves.toContain("已评 1/2 个，每个 ¥50,000.00");
    await expect(award.innerText()).resolves.toContain("富阳区医养结合培训基地");
    await award.getByLabel(/获评机构/).selectOption({ label: "富阳区社会福利中心" });
    // Checked as it is left: the document number is asked for before anything is sent.
    await award.getByLabel("认定文号").focus();
    await award.getByLabel("评选理由").fill("医养签约服务规范，老年人满意度高");
    await expect
      .poll(() =>
        award
          .locator(".field", { has: page.getByLabel("认定文号") })
          .locator(".error")
          .textContent(),
      )
      .toBe("请填写认定文号（不超过60字）");
    await award.getByRole("button", { name: "认定" }).click();
    await expect
      .poll(() => page.getByTestId("award-demonstration-base-award").getByLabel("认定文号").getAttribute("aria-invalid"))
      .toBe("true");
    await expect(page.getByTestId("award-demonstration-base-award").getByLabel("评选理由").inputValue()).resolves.toBe(
      "医养签约服务规范，老年人满意度高",
    );
    await page.getByTestId("award-demonstration-base-award").getByLabel("认定文号").fill("富卫老〔2026〕31号");
    await page.getByTestId("award-demonstration-base-award").getByRole("button", { name: "认定" }).click();
    await page.getByText("已认定", { exact: true }).waitFor();
    const after = page.getByTestId("award-demonstration-base-award");
    await expect(after.getByTestId("award-places").innerText()).resolves.toContain("已评 2/2 个");
    await expect(after.getByRole("button", { name: "认定" }).count()).resolves.toBe(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });

  it("the base's finance sees the places taken against the places available", async () => {
    const page = await browser.newPage();
    await signIn(page, "finance.fy");
    await page.goto("/subsidy");
    await expect(page.getByTestId("award-demonstration-base-award").innerText()).resolves.toMatch(
      /已评 2\/2 个[\s\S]*富阳区医养结合培训基地、富阳区社会福利中心/,
    );
    await expect(page.getByTestId("award-demonstration-site-award").getByTestId("award-places").innerText()).resolves.toContain(
      "已评 0/5 个，每个 ¥20,000.00",
    );
    await page.context().close();
  });
});

describe("an award designated, claimed, approved and paid through the claim every subsidy goes through", () => {
  it("the designated 社会福利中心's finance claims its ¥50,000, 富阳's bureau approves and pays it, and the claim reads paid", async () => {
    // The alliance's admin gives the nursing home a finance account.
    const admin = await browser.newPage();
    await signIn(admin, "admin");
    await admin.goto("/admin/users/new");
    await admin.getByLabel("姓名").fill("沈晓梅");
    await admin.getByLabel("用户名").fill("finance.nhfy");
    await admin.getByLabel("初始密码").fill("first-password-1");
    await admin.getByRole("button", { name: "新建" }).click();
    await admin.waitForURL(/\/admin\/users\/[0-9a-f-]{36}/);
    await admin.getByLabel("机构").selectOption({ label: "富阳区社会福利中心（成员单位）" });
    await admin.getByLabel("角色", { exact: true }).selectOption({ label: "财务（补助申报）" });
    await admin.getByRole("button", { name: "分配角色" }).click();
    await expect.poll(() => admin.getByTestId("user-roles").textContent()).toContain("财务（补助申报） · 富阳区社会福利中心");
    await admin.context().close();

    // On her phone she claims the award from the finance page.
    const finance = await browser.newPage({ width: 390, height: 844 });
    await signIn(finance, "finance.nhfy", "first-password-1");
    await finance.goto("/subsidy");
    const card = finance.getByTestId("award-demonstration-base-award");
    await expect(card.getByTestId("policy-figures").innerText()).resolves.toMatch(/已拨付\s*0 项/);
    await card.getByRole("link", { name: "新建申报" }).click();
    const subjects = finance.getByTestId("claimable-heads");
    await expect(subjects.innerText()).resolves.toMatch(
      /富阳区社会福利中心[\s\S]*区级医养结合机构示范基地[\s\S]*富卫老〔2026〕31号[\s\S]*¥50,000.00/,
    );
    await expect(subjects.getByText("身份证号").count()).resolves.toBe(0);
    await finance.getByRole("button", { name: "生成申报单（1 项）" }).click();
    await finance.waitForURL(/\/subsidy\/claims\/[0-9a-f-]{36}/);
    const claimUrl = new URL(finance.url()).pathname;
    await expect(finance.getByTestId("claim-total").innerText()).resolves.toContain("合计：1 项，¥50,000.00（大写：伍万元整）");
    await finance.getByRole("button", { name: "提交审核" }).click();
    await expect.poll(() => finance.getByTestId("claim-status").innerText()).toBe("已提交待审");
    const overflow = await finance.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // The bureau that issued the award finds it in its queue, approves it and records the payment.
    const reviewer = await browser.newPage();
    await signIn(reviewer, "reviewer.fy");
    await reviewer.goto("/review");
    await reviewer.getByRole("link", { name: "富阳区社会福利中心" }).click();
    await reviewer.waitForURL(`**${claimUrl}`);
    await reviewer.getByRole("button", { name: "批准申报" }).click();
    await expect.poll(() => reviewer.getByTestId("claim-status").innerText()).toBe("已批准");
    await reviewer
      .getByLabel("拨付日期")
      .fill(await reviewer.evaluate(() => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)));
    await reviewer.getByLabel("支付凭证号").fill("富财拨〔2026〕88号");
    await reviewer.getByRole("button", { name: "登记拨付" }).click();
    await expect.poll(() => reviewer.getByTestId("claim-status").innerText()).toBe("已拨付");
    await reviewer.context().close();

    await finance.goto("/subsidy");
    await expect(finance.getByTestId("award-demonstration-base-award").getByTestId("policy-figures").innerText()).resolves.toMatch(
      /已拨付\s*1 项\s*¥50,000.00/,
    );
    await finance.goto(claimUrl);
    await expect(finance.getByTestId("claim-status").innerText()).resolves.toBe("已拨付");
    await finance.context().close();
  });
});
