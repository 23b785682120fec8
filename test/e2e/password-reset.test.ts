import { describe, expect, it } from "vitest";
import { checkCharacter } from "../../app/domain/resident-id";
import { firstSignIn, signIn, useBrowser, withDatabase } from "./browser";

const browser = useBrowser();
const id = (first17: string) => first17 + checkCharacter(first17);
const PERSON = { name: "沈巧云", mobile: "13600000077", idNumber: id("33010519750415207") };

describe("a trainee who forgot their password", () => {
  it("is given a new activation code by the base's registrar and signs in again with it", async () => {
    const cohort = withDatabase(
      (db) =>
        db.prepare("select id, organisation_id as orgId from cohorts where name = ?").get("2026年第4期失能老人家庭照护者培训班") as {
          id: string;
          orgId: string;
        },
    );
    const enrolUrl = `/bases/${cohort.orgId}/cohorts/${cohort.id}/enrol`;

    const registrar = await browser.newPage();
    await signIn(registrar, "registrar");
    await registrar.goto(enrolUrl);
    await registrar.getByLabel("姓名", { exact: true }).fill(PERSON.name);
    await registrar.getByLabel("手机号", { exact: true }).fill(PERSON.mobile);
    await registrar.getByLabel("身份证号", { exact: true }).fill(PERSON.idNumber);
    await registrar.getByRole("button", { name: "报名", exact: true }).click();
    await registrar.getByText("已报名 1 人").waitFor();

    // The trainee chose their own password at first sign-in, and is signed in on their phone.
    const phone = await browser.newPage({ width: 390, height: 844 });
    await firstSignIn(phone, PERSON, "forgotten-later-1");

    await registrar.reload();
    const row = registrar.getByTestId("enrolled-list").locator("tr", { hasText: PERSON.name });
    await expect(row.getByTestId("sign-in-state").innerText()).resolves.toBe("已激活");
    await row.getByText("重置为激活码").click();
    await expect(row.innerText()).resolves.toContain("生成新的激活码");
    await row.getByRole("button", { name: "确认重置" }).click();
    const notice = registrar.getByTestId("reset-done");
    await notice.waitFor();
    const text = await notice.innerText();
    expect(text).toContain(PERSON.mobile);
    const code = text.match(/[2-9A-Z]{4}-[2-9A-Z]{4}/)![0];
    expect(text).not.toContain(PERSON.idNumber.slice(-6));
    // The confirmation can show a moment before the list's revalidated row does (seen on a loaded machine).
    await expect
      .poll(() => registrar.getByTestId("enrolled-list").locator("tr", { hasText: PERSON.name }).getByTestId("sign-in-state").innerText())
      .toContain("待激活");

    // Signed out on the phone; the old password no longer works; the new code does.
    await phone.goto("/home");
    await phone.waitForURL(/\/login/);
    await phone.getByLabel("用户名或手机号").fill(PERSON.mobile);
    await phone.getByLabel("密码").fill("forgotten-later-1");
    await phone.getByRole("button", { name: "登录" }).click();
    await phone.getByText("用户名/手机号或密码不正确").waitFor();
    await firstSignIn(phone, PERSON, "remembered-now-2", code);

    const audit = withDatabase((db) =>
      db
        .prepare(
          "select a.action, a.organisation_id as orgId from audit_log a join users u on u.id = a.entity_id where u.mobile = ? and a.action = 'user.password-reset'",
        )
        .all(PERSON.mobile),
    );
    expect(audit).toEqual([{ action: "user.password-reset", orgId: cohort.orgId }]);
  });
});
