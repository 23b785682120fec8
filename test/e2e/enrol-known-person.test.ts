import { describe, it } from "vitest";
import { organisationIdByCode, signIn, useBrowser, withDatabase } from "./browser";

const browser = useBrowser();
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe("enrolling someone the base already has", () => {
  it("names them when the typed name and mobile differ from their account, and enrols them as on record once the registrar confirms", async () => {
    const page = await browser.newPage({ width: 375, height: 740 });
    await signIn(page, "registrar");
    await page.goto(`/bases/${organisationIdByCode("BASE-GERI")}/cohorts/new`);
    await page.getByLabel("培训项目").selectOption({ index: 1 });
    await page.getByLabel("班级名称").fill(`E2E关联报名${Date.now() % 100000}`);
    await page.getByLabel("开始日期").fill(day(1));
    await page.getByLabel("结束日期").fill(day(60));
    await page.getByLabel("容量").fill("5");
    await page.getByRole("button", { name: "新建" }).click();
    await page.waitForURL(/\/enrol$/);
    // The base's own trainee, typed with a variant name and another mobile.
    const known = withDatabase((db) =>
      db.prepare("select name, mobile, id_number as idNumber from users where username = 'trainee'").get(),
    ) as { name: string; mobile: string; idNumber: string };
    await page.getByLabel("姓名").fill("张晓明");
    await page.getByLabel("手机号").fill("13700000099");
    await page.getByLabel("身份证号").fill(known.idNumber);
    await page.getByRole("button", { name: "报名", exact: true }).click();
    await page
      .getByText(`与本基地已有的人员 ${known.name}（手机 ${known.mobile.slice(0, 3)}****${known.mobile.slice(-4)}）的账户信息不一致`)
      .waitFor();
    await page.getByLabel(/是同一人：按已有账户报名/).check();
    await page.getByRole("button", { name: "报名", exact: true }).click();
    await page.getByTestId("enrolled-list").getByText(known.name).waitFor();
    await page.context().close();
  });
});
