import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { checkCharacter } from "../../app/domain/resident-id";
import { makeSerial } from "../../app/domain/serial";
import { signIn, useBrowser, firstSignIn, withDatabase } from "./browser";

const browser = useBrowser();
const id = (first17: string) => first17 + checkCharacter(first17);
const TRAINEES = [
  { name: "冯雪梅", mobile: "13500000201", idNumber: id("33010519760606606") },
  { name: "蒋国华", mobile: "13500000202", idNumber: id("33010519770707707") },
];
const dir = mkdtempSync(path.join(tmpdir(), "care-cert-e2e-"));
let cohortUrl = "";
let serial = "";
let downloaded = "";

beforeAll(async () => {
  // Arrange through the app's own services: two trainees who completed every requirement.
  process.env.DATABASE_PATH = inject("databasePath");
  const { cohortWithTrainees, completeEnrolment } = await import("../integration/fixtures");
  const { cohort, enrolmentIds } = await cohortWithTrainees("BASE-GERI", TRAINEES);
  for (const e of enrolmentIds) await completeEnrolment(cohort, e);
  cohortUrl = `/bases/${cohort.organisationId}/cohorts/${cohort.id}`;
}, 60_000);

describe("certificates: issue, download, verify, revoke", () => {
  it("the registrar issues the whole cohort's certificates at once", async () => {
    const page = await browser.newPage();
    await signIn(page, "registrar");
    await page.goto(`${cohortUrl}/certificates`);
    await page.getByRole("button", { name: "为全部已结业学员发证（2 人）" }).click();
    await page.getByTestId("batch-result").waitFor();
    await expect(page.getByTestId("batch-result").innerText()).resolves.toContain("本次发证 2 张");
    const rows = page.getByTestId("cohort-certificates").locator("tbody tr");
    await expect(rows.count()).resolves.toBe(2);
    serial = (await rows.filter({ hasText: TRAINEES[0].name }).getByRole("link").innerText()).trim();
    expect(serial).toMatch(/^\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
    await page.context().close();
  });

  it("the trainee downloads the certificate from their own page", async () => {
    const page = await browser.newPage({ width: 375, height: 740 });
    const t = TRAINEES[0];
    await firstSignIn(page, t, "certificate-2026");
    await page.goto("/learn");
    const mine = page.getByTestId("my-certificates");
    await expect(mine.innerText()).resolves.toContain(serial);
    const download = page.waitForEvent("download");
    await mine.getByRole("link").first().click();
    const file = await download;
    expect(file.suggestedFilename()).toContain(serial);
    downloaded = path.join(dir, "mine.pdf");
    await file.saveAs(downloaded);
    const text = execFileSync("pdftotext", [downloaded, "-"], { encoding: "utf8" });
    expect(text).toContain(t.name);
    expect(text).toContain(`/v/${serial}`);

    // Beside it, the same certificate as an Open Badges 3.0 credential, and the public page's address to share.
    const badge = page.waitForEvent("download");
    await mine.getByRole("link", { name: "下载电子徽章（Open Badges 3.0）" }).click();
    const credential = await badge;
    expect(credential.suggestedFilename()).toBe(`${serial}.jwt`);
    const jwt = path.join(dir, `${serial}.jwt`);
    await credential.saveAs(jwt);
    const [header, payload] = readFileSync(jwt, "utf8").split(".");
    expect(JSON.parse(Buffer.from(header, "base64url").toString())).toMatchObject({ alg: "EdDSA", typ: "vc+jwt" });
    const claims = Buffer.from(payload, "base64url").toString();
    expect(claims).toContain(`/v/${serial}#credential`);
    expect(claims).not.toContain(t.name);
    await expect(mine.getByRole("link", { name: "复制查验链接" }).getAttribute("href")).resolves.toMatch(new RegExp(`/v/${serial}$`));
    await page.context().close();
  });

  it("anyone can verify it, by serial or by uploading the PDF, without signing in", async () => {
    const page = await browser.newPage({ width: 375, height: 740 });
    await page.goto("/verify");
    await page.getByLabel("证书编号").fill(serial.slice(0, -1) + (serial.endsWith("0") ? "1" : "0"));
    await page.getByRole("button", { name: "查验", exact: true }).click();
    await page.getByText("证书编号有误（校验位不符）").waitFor();
    await page.getByLabel("证书编号").fill(serial.toLowerCase().replace(/-/g, " "));
    await page.getByRole("button", { name: "查验", exact: true }).click();
    await page.waitForURL(`**/v/${serial}`);
    const result = page.getByTestId("verify-result");
    await expect(result.getAttribute("data-status")).resolves.toBe("valid");
    const shown = await result.innerText();
    expect(shown).toContain("冯*梅");
    expect(shown).not.toContain(TRAINEES[0].name);
    expect(shown).toContain("理论 8 学时，实践 8 学时");
    expect(shown).toContain("2026-09-01 至 2026-11-30");
    await expect(page.getByTestId("badge-download").getByRole("link").getAttribute("href")).resolves.toBe(`/v/${serial}/credential`);

    await page.goto("/verify");
    await page.getByLabel("证书 PDF 文件").setInputFiles(downloaded);
    await page.getByRole("button", { name: "核对文件" }).click();
    await expect(page.getByTestId("file-result").innerText()).resolves.toContain("完全一致");
    const edited = Buffer.from(readFileSync(downloaded));
    edited[200] ^= 0x20;
    await page.getByLabel("证书 PDF 文件").setInputFiles({ name: "edited.pdf", mimeType: "application/pdf", buffer: edited });
    await page.getByRole("button", { name: "核对文件" }).click();
    await expect.poll(() => page.getByTestId("file-result").innerText()).toContain("不是系统签发的原件");
    await page.context().close();
  });

  it("an employer on a phone checks the holder: a wrong name does not match, the right name and ID tail do, and nothing personal is shown", async () => {
    const page = await browser.newPage({ width: 390, height: 844 });
    const response = await page.goto(`/v/${serial}`);
    expect(response?.status()).toBe(200);
    const tail = TRAINEES[0].idNumber.slice(-4);
    const result = page.getByTestId("holder-check-result");
    await page.getByLabel("持证人姓名（全名）").fill("冯雪");
    await page.getByLabel("身份证号码后四位").fill(tail);
    await page.getByRole("button", { name: "核对", exact: true }).click();
    await expect.poll(() => result.getAttribute("data-outcome")).toBe("noMatch");
    await expect(result.innerText()).resolves.toContain("不匹配");
    await page.getByLabel("持证人姓名（全名）").fill("\u3000冯 雪梅 ");
    await page.getByLabel("身份证号码后四位").fill(tail.toLowerCase());
    await page.getByRole("button", { name: "核对", exact: true }).click();
    await expect.poll(() => result.getAttribute("data-outcome")).toBe("match");
    await expect(result.innerText()).resolves.toMatch(/^匹配/);
    await expect(page.getByTestId("verify-result").innerText()).resolves.not.toContain(TRAINEES[0].idNumber);
    // Nothing wider than the phone.
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(dir, "public-page-390.png"), fullPage: true });
    await page.context().close();
  });

  it("a serial no certificate has answers 404 with the friendly page", async () => {
    const page = await browser.newPage({ width: 390, height: 844 });
    const unknown = makeSerial(2026, Buffer.from([9, 9, 9, 9, 9]));
    const response = await page.goto(`/v/${unknown}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByTestId("verify-result").innerText()).resolves.toContain(`未找到编号为 ${unknown} 的证书`);
    await page.context().close();
  });

  it("the base's register finds certificates, exports them to Excel and zips the selected PDFs", async () => {
    const page = await browser.newPage();
    await signIn(page, "registrar");
    await page.goto(cohortUrl.replace(/\/cohorts\/.*$/, ""));
    await page.getByRole("link", { name: "证书登记册" }).click();
    await page.getByLabel("姓名").fill("蒋国");
    await page.getByRole("button", { name: "搜索" }).click();
    await expect.poll(() => page.getByTestId("register-table").locator("tbody tr").count()).toBe(1);
    await expect(page.getByTestId("register-table").innerText()).resolves.toContain("3301**********");

    const xlsx = page.waitForEvent("download");
    await page.getByRole("link", { name: "导出 Excel" }).click();
    const sheet = path.join(dir, "register.xlsx");
    await (await xlsx).saveAs(sheet);
    const ExcelJS = (await import("exceljs")).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(sheet);
    const rows = workbook.worksheets[0]
      .getSheetValues()
      .filter(Boolean)
      .map((r) => (r as unknown[]).join("|"));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(TRAINEES[1].name);

    await page.getByLabel("姓名").fill("");
    await page.getByRole("button", { name: "搜索" }).click();
    await page.getByRole("checkbox", { name: serial }).check();
    const zip = page.waitForEvent("download");
    await page.getByRole("button", { name: "打包下载所选证书" }).click();
    const archive = path.join(dir, "certs.zip");
    await (await zip).saveAs(archive);
    const { unzipSync } = await import("fflate");
    const files = Object.keys(unzipSync(readFileSync(archive)));
    expect(files).toEqual([`${serial}-${TRAINEES[0].name}.pdf`]);
    await page.context().close();
  });

  it("as its expiry nears, a certificate reads 即将到期 to its holder, the base and the register, whose filter exports those to bring back", async () => {
    const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    withDatabase((db) => db.prepare("update certificates set expiry_date = ? where holder_name = ?").run(soon, TRAINEES[1].name), {
      readonly: false,
    });

    const holder = await browser.newPage({ width: 375, height: 740 });
    await firstSignIn(holder, TRAINEES[1], "certificate-2027");
    await holder.goto("/learn");
    const mine = holder.getByTestId("my-certificates");
    await expect(mine.locator(".badge").first().innerText()).resolves.toBe("即将到期");
    await expect(mine.getByTestId("expiry-hint").innerText()).resolves.toContain(`此证书将于 ${soon} 到期`);
    await holder.context().close();

    const page = await browser.newPage();
    await signIn(page, "registrar");
    await page.goto(cohortUrl.replace(/\/cohorts\/.*$/, ""));
    await page.getByTestId("expiring-link").click();
    const rows = page.getByTestId("register-table").locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(1);
    await expect(rows.first().innerText()).resolves.toMatch(new RegExp(`${TRAINEES[1].name}[\\s\\S]*${soon}[\\s\\S]*即将到期`));
    const xlsx = page.waitForEvent("download");
    await page.getByRole("link", { name: "导出 Excel" }).click();
    const sheet = path.join(dir, "expiring.xlsx");
    await (await xlsx).saveAs(sheet);
    const ExcelJS = (await import("exceljs")).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(sheet);
    const lines = workbook.worksheets[0]
      .getSheetValues()
      .filter(Boolean)
      .map((r) => (r as unknown[]).join("|"));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(soon);
    await page.context().close();
  });

  it("after the registrar revokes it, the verification page says revoked", async () => {
    const page = await browser.newPage();
    await signIn(page, "registrar");
    await page.goto(`${cohortUrl}/certificates`);
    await page.getByRole("link", { name: serial }).click();
    await page.getByLabel("撤销原因").selectOption("issuedInError");
    await page.getByLabel("说明").fill("考勤记录录入错误");
    // Without the tick the revoke is refused, beside the checkbox, and the certificate stays valid.
    await page.getByRole("button", { name: "撤销证书" }).click();
    await page.getByText("请勾选确认后再撤销").waitFor();
    await expect(page.getByTestId("certificate-status").innerText()).resolves.toBe("有效");
    await page.getByLabel("我确认撤销此证书").check();
    await page.getByRole("button", { name: "撤销证书" }).click();
    await expect.poll(() => page.getByTestId("certificate-status").innerText()).toBe("已撤销");
    // The cohort's tab marks it revoked, struck through, unlike the other trainee's valid one.
    await page.goto(`${cohortUrl}/certificates`);
    const row = page.getByTestId("cohort-certificates").locator("tbody tr").filter({ hasText: TRAINEES[0].name });
    await expect(row.getByTestId("certificate-status").innerText()).resolves.toBe("已撤销");
    await expect(row.getByRole("link").evaluate((a) => getComputedStyle(a).textDecorationLine)).resolves.toBe("line-through");
    await page.context().close();

    const visitor = await browser.newPage();
    await visitor.goto(`/v/${serial}`);
    const result = visitor.getByTestId("verify-result");
    await expect(result.getAttribute("data-status")).resolves.toBe("revoked");
    await expect(result.innerText()).resolves.toContain("误发");
    await visitor.context().close();
  });
});
