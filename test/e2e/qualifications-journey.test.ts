import { describe, expect, it } from "vitest";
import { organisationIdByCode, signIn, useBrowser } from "./browser";

const browser = useBrowser();

describe("a trainee's nurse's certificate, recorded on a phone and checked by the base", () => {
  it("the trainee records it, a slip in the number refused beside it, and sees it awaiting the check", async () => {
    const page = await browser.newPage({ width: 375, height: 740 });
    await signIn(page, "trainee");
    await page.goto("/learn");
    await page.getByRole("link", { name: /我的资质证书/ }).click();
    await page.getByLabel("证书类别").selectOption({ label: "护士执业证书" });
    await page.getByLabel("证书编号").fill("2016330108");
    await page.getByLabel("发证机关").fill("杭州市卫生健康委员会");
    await page.getByLabel("发证日期").fill("2016-07-01");
    await page.getByLabel(/有效期至/).fill("2031-06-30");
    await page.getByRole("button", { name: "登记" }).click();
    await expect.poll(() => page.getByLabel("证书编号").getAttribute("aria-invalid")).toBe("true");
    await expect(page.getByRole("alert").first().innerText()).resolves.toContain("12–15 位数字");
    await expect(page.getByLabel("发证机关").inputValue()).resolves.toBe("杭州市卫生健康委员会");
    await page.getByLabel("证书编号").fill("201633010866");
    await page.getByRole("button", { name: "登记" }).click();
    await page.getByText("已登记，等待培训基地核对").waitFor();
    await expect(page.getByTestId("my-qualifications").innerText()).resolves.toMatch(/护士执业证书 201633010866\s*待核对/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });

  it("the registrar checks it against the original, and the 双证 list says what the nurse still lacks", async () => {
    const page = await browser.newPage();
    await signIn(page, "registrar");
    await page.goto(`/bases/${organisationIdByCode("BASE-GERI")}`);
    await page.getByRole("link", { name: "学员资质核对" }).click();
    const item = page.getByTestId("base-qualifications").locator('li[data-person="张小明"]');
    await expect(item.innerText()).resolves.toContain("待核对");
    await item.getByRole("button", { name: "不通过" }).click();
    await expect(item.getByRole("alert").innerText()).resolves.toContain("不通过时请写明原因");
    await item.getByRole("button", { name: "核对无误" }).click();
    await page.getByText("已记录核对结果").waitFor();
    await expect(page.getByTestId("base-qualifications").locator('li[data-person="张小明"]').innerText()).resolves.toContain("已核对");
    // A family-caregiver certificate is not a caregiver's: the nurse does not qualify yet, and the list says why.
    await expect(page.getByTestId("dual-certificate").innerText()).resolves.toMatch(/张小明\s*无有效的护理员证书/);
    await page.context().close();

    const trainee = await browser.newPage({ width: 375, height: 740 });
    await signIn(trainee, "trainee");
    await trainee.goto("/learn/qualifications");
    await expect(trainee.getByTestId("my-qualifications").innerText()).resolves.toContain("已核对");
    await trainee.context().close();
  });
});
