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
    await award.getByLabel("评选理由").fill("医养签约服务规范，老年人满意度高");
    await award.getByRole("button", { name: "认定" }).click();
    await expect.poll(() => page.getByTestId("award-demonstration-base-award").getByLabel("认定文号").getAttribute("aria-invalid")).toBe("true");
    await expect(page.getByTestId("award-demonstration-base-award").getByLabel("评选理由").inputValue()).resolves.toBe("医养签约服务规范，老年人满意度高");
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
    await page.goto("/finance");
    await expect(page.getByTestId("award-demonstration-base-award").innerText()).resolves.toMatch(/已评 2\/2 个[\s\S]*富阳区医养结合培训基地、富阳区社会福利中心/);
    await expect(page.getByTestId("award-demonstration-site-award").getByTestId("award-places").innerText()).resolves.toContain("已评 0/5 个，每个 ¥20,000.00");
    await page.context().close();
  });
});
