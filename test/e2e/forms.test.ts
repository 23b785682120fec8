import { describe, expect, it } from "vitest";
import { signIn, useBrowser } from "./browser";

/**
 * Every form follows one protocol: its schema checks what is typed in the browser, the server
 * checks it again with the same schema (and what only it knows), and each message shows beside
 * its field, in Chinese, with what was typed kept.
 */
describe("forms", () => {
  const { newPage } = useBrowser();

  it("check a field in the browser as soon as it is left, with the schema's message beside it", async () => {
    const page = await newPage();
    await signIn(page, "admin");
    await page.goto("/admin/organisations/new");
    await page.getByLabel("机构代码").fill("!!");
    await page.getByLabel("机构名称").focus();
    const codeError = page.locator(".field", { has: page.getByLabel("机构代码") }).locator(".error");
    await expect(codeError.textContent()).resolves.toBe("机构代码为 2–32 位字母、数字或连字符");
    await expect(page.getByLabel("机构代码").getAttribute("aria-invalid")).resolves.toBe("true");
    // Corrected as it is typed: the message goes without another submit.
    await page.getByLabel("机构代码").fill("NEW-HOME-1");
    await expect.poll(() => codeError.count()).toBe(0);
    await page.context().close();
  });

  it("show what only the server knows beside its field, keeping what was typed", async () => {
    const page = await newPage();
    await signIn(page, "admin");
    await page.goto("/admin/organisations/new");
    await page.getByLabel("机构代码").fill("NEW-HOME-2");
    await page.getByLabel("机构名称").fill("测试护理院");
    await page.getByLabel("类型", { exact: true }).selectOption("member_institution");
    await page.getByLabel("所属地区").fill("不存在的地方");
    await page.getByRole("button", { name: "保存" }).click();
    const regionError = page.locator(".field", { has: page.getByLabel("所属地区") }).locator(".error");
    await expect(regionError.textContent()).resolves.toContain("找不到该地区");
    await expect(page.getByLabel("机构名称").inputValue()).resolves.toBe("测试护理院");
    await expect(page.getByLabel("机构代码").inputValue()).resolves.toBe("NEW-HOME-2");
    await page.context().close();
  });

  it("work without scripts: the server answers with the same messages beside the same fields", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto("/login");
    await page.getByLabel("用户名或手机号").fill("admin");
    await page.getByLabel("密码").fill("Demo2026!");
    await page.getByRole("button", { name: "登录" }).click();
    await page.goto("/admin/organisations/new");
    await page.getByLabel("机构代码").fill("!!");
    await page.getByLabel("机构名称").fill("测试护理院");
    await page.getByRole("button", { name: "保存" }).click();
    await page.waitForURL("**/admin/organisations/new");
    const errorOf = (label: string) =>
      page
        .locator(".field", { has: page.getByLabel(label) })
        .locator(".error")
        .textContent();
    await expect(errorOf("机构代码")).resolves.toBe("机构代码为 2–32 位字母、数字或连字符");
    await expect(errorOf("类型")).resolves.toBe("请选择一项");
    await expect(page.getByLabel("机构名称").inputValue()).resolves.toBe("测试护理院");
    await page.context().close();
  });
});
