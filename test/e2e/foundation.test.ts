import { describe, expect, it } from "vitest";
import { baseURL, fillSignInForm, organisationIdByCode, seriousA11yViolations, signIn, useBrowser, withDatabase } from "./browser";

const browser = useBrowser();

/** What each demo account must see in its navigation, and what it must not. */
const ROLES: { username: string; nav: string[]; notNav: string[]; area: string }[] = [
  { username: "admin", nav: ["机构管理", "用户管理", "操作日志"], notNav: ["我的学习", "补贴审核"], area: "联盟管理员" },
  { username: "registrar", nav: ["培训基地"], notNav: ["机构管理", "用户管理", "轮训管理", "我的学习"], area: "基地教务" },
  { username: "instructor", nav: ["培训基地"], notNav: ["机构管理", "补贴审核"], area: "师资/授课教师" },
  { username: "finance", nav: ["培训基地", "补贴申报"], notNav: ["机构管理", "轮训管理", "补贴审核"], area: "财务（补助申报）" },
  { username: "finance.fy", nav: ["培训基地", "补贴申报"], notNav: ["机构管理", "轮训管理", "补贴审核"], area: "财务（补助申报）" },
  { username: "mentor", nav: ["轮训管理"], notNav: ["培训基地", "机构管理"], area: "带教老师" },
  { username: "coordinator", nav: ["轮训管理"], notNav: ["培训基地", "用户管理"], area: "科教科（轮训协调）" },
  { username: "reviewer", nav: ["补贴审核"], notNav: ["机构管理", "轮训管理"], area: "审核人（主管部门）" },
  { username: "reviewer.fy", nav: ["补贴审核", "补贴申报"], notNav: ["机构管理", "轮训管理", "培训基地"], area: "审核人（主管部门）" },
  { username: "reviewer.hr", nav: ["补贴审核", "补贴申报"], notNav: ["机构管理", "轮训管理", "培训基地"], area: "审核人（主管部门）" },
  { username: "trainee", nav: ["我的学习"], notNav: ["培训基地", "机构管理", "轮训管理"], area: "学员" },
];

describe("each demo role", () => {
  for (const role of ROLES) {
    it(`${role.username} signs in and lands on their own home with their own navigation`, async () => {
      const page = await browser.newPage();
      await signIn(page, role.username);
      expect(new URL(page.url()).pathname).toBe("/home");
      const nav = page.getByRole("navigation");
      for (const label of role.nav) await expect(nav.getByRole("link", { name: label }).count()).resolves.toBeGreaterThan(0);
      for (const label of role.notNav) await expect(nav.getByRole("link", { name: label }).count()).resolves.toBe(0);
      await expect(page.getByTestId("home-areas").textContent()).resolves.toContain(role.area);
      // Every link the navigation offers opens for this role.
      for (const href of await nav.getByRole("link").evaluateAll((as) => as.map((a) => a.getAttribute("href")!))) {
        const response = await page.goto(href);
        expect(response?.status(), href).toBe(200);
      }
      await page.context().close();
    });
  }
});

describe("signing in and out", () => {
  it("a wrong password shows the message and keeps the username", async () => {
    const page = await browser.newPage();
    await page.goto("/login");
    await page.getByLabel("用户名或手机号").fill("registrar");
    await page.getByLabel("密码").fill("not-the-password");
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page.getByRole("alert").first().textContent()).resolves.toContain("用户名/手机号或密码不正确");
    await expect(page.getByLabel("用户名或手机号").inputValue()).resolves.toBe("registrar");
    await page.context().close();
  });

  it("signing out ends the session", async () => {
    const page = await browser.newPage();
    await signIn(page, "trainee");
    await page.getByRole("button", { name: "退出登录" }).click();
    await page.waitForURL("**/login");
    await page.goto("/home");
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.context().close();
  });

  it("a protected page sends a visitor to sign in and back", async () => {
    const page = await browser.newPage();
    await page.goto("/admin/users");
    expect(new URL(page.url()).pathname).toBe("/login");
    await fillSignInForm(page, "admin");
    expect(new URL(page.url()).pathname).toBe("/admin/users");
    await page.context().close();
  });
});

describe("permissions on the server", () => {
  it("a registrar of one base is refused another base's page", async () => {
    const page = await browser.newPage();
    await signIn(page, "registrar");
    const own = await page.goto(`/bases/${organisationIdByCode("BASE-GERI")}`);
    expect(own?.status()).toBe(200);
    const other = await page.goto(`/bases/${organisationIdByCode("BASE-FY")}`);
    expect(other?.status()).toBe(403);
    await expect(page.locator("h1").textContent()).resolves.toBe("无权访问");
    const admin = await page.goto("/admin/users");
    expect(admin?.status()).toBe(403);

    // Posting another base's form from our own pages is refused on the server, and nothing is made.
    const fy = organisationIdByCode("BASE-FY");
    const cohortsAtFy = () =>
      withDatabase((db) => (db.prepare("select count(*) as n from cohorts where organisation_id = ?").get(fy) as { n: number }).n);
    const before = cohortsAtFy();
    const version = withDatabase(
      (db) =>
        (
          db.prepare("select id from program_versions where program_code = 'family-caregiver' order by version desc").get() as {
            id: number;
          }
        ).id,
    );
    await page.goto(`/bases/${organisationIdByCode("BASE-GERI")}`);
    const status = await page.evaluate(
      async ({ url, version }) => {
        const body = new URLSearchParams({
          programVersionId: String(version),
          name: "越权开班",
          startDate: "2026-12-01",
          endDate: "2026-12-31",
          capacity: "20",
        });
        return (await fetch(url, { method: "POST", body })).status;
      },
      { url: `/bases/${fy}/cohorts/new`, version },
    );
    expect(status).toBe(403);
    expect(cohortsAtFy()).toBe(before);
    await page.context().close();
  });

  it("ID numbers are masked for colleagues and whole for the person and admins", async () => {
    const page = await browser.newPage();
    await signIn(page, "registrar");
    await page.goto(`/bases/${organisationIdByCode("BASE-GERI")}`);
    const staff = await page.getByTestId("base-staff").textContent();
    expect(staff).toMatch(/3301\*{10}302\w/);
    expect(await page.content()).not.toMatch(/33010519800512302/);
    await page.context().close();

    const trainee = await browser.newPage();
    await signIn(trainee, "trainee");
    await trainee.goto("/account");
    await expect(trainee.getByTestId("own-id-number").textContent()).resolves.toMatch(/^33010519900307123\w$/);
    await trainee.context().close();
  });

  it("a form posted from another origin is refused", async () => {
    const response = await fetch(`${baseURL()}/login`, {
      method: "POST",
      headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: "identifier=admin&password=x",
      redirect: "manual",
    });
    expect(response.status).toBe(403);
  });
});

describe("language and layout", () => {
  it("switches to English and remembers it", async () => {
    const page = await browser.newPage();
    await signIn(page, "registrar");
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await expect(page.locator("h1").textContent()).resolves.toContain("Hello");
    await page.goto("/account");
    await expect(page.locator("h1").textContent()).resolves.toBe("My account");
    await expect(page.getByRole("navigation").getByRole("link", { name: "Training base" }).count()).resolves.toBe(1);
    await page.getByRole("button", { name: "中文" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
    await page.context().close();
  });

  it("marks the page one is on in the navigation with text at 4.5:1 contrast or more", async () => {
    const page = await browser.newPage();
    await signIn(page, "admin");
    await page.goto("/admin/audit");
    const [fg, bg] = await page
      .locator(".main-nav a.active")
      .evaluate((a) => [getComputedStyle(a).color, getComputedStyle(a).backgroundColor]);
    const luminance = (rgb: string) => {
      const [r, g, b] = rgb
        .match(/[\d.]+/g)!
        .slice(0, 3)
        .map((c) => {
          const v = Number(c) / 255;
          return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    expect(bg).not.toMatch(/rgba\(.*, 0(\.\d+)?\)$/); // opaque, so the ratio is what the eye sees
    const [light, dark] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    expect((light + 0.05) / (dark + 0.05)).toBeGreaterThanOrEqual(4.5);
    await page.context().close();
  });

  it("keeps a designation number on one line on a phone, scrolling the table rather than the page", async () => {
    const page = await browser.newPage({ width: 375, height: 740 });
    await signIn(page, "reviewer.fy");
    await page.goto("/review");
    const cell = page.locator("td", { hasText: "富卫医养培" }).first();
    const lines = await cell.evaluate((td) => {
      const range = document.createRange();
      range.selectNodeContents(td);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    });
    expect(lines).toBe(1);
    const wrap = page.locator(".table-wrap", { has: cell });
    expect(await wrap.evaluate((w) => w.scrollWidth > w.clientWidth)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.context().close();
  });

  it("labels the finance chart in text a phone can read, not in type shrunk with the drawing", async () => {
    const page = await browser.newPage({ width: 375, height: 740 });
    await signIn(page, "finance.fy");
    await page.goto("/subsidy");
    const chart = page.locator("figure.chart").first();
    await expect(chart.locator("svg text").count()).resolves.toBe(0);
    const sizes = await chart
      .locator(".chart-axis span, figcaption")
      .evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)));
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
    await expect(chart.locator("figcaption").innerText()).resolves.toMatch(/截至 \d{4}-\d{2}：\d+ 人/);
    await page.context().close();
  });

  it("names an icon the browser can show in its tab, served as an image", async () => {
    const page = await browser.newPage();
    await page.goto("/login");
    const href = await page.locator('link[rel="icon"]').getAttribute("href");
    const icon = await page.request.get(href!);
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toContain("image/svg+xml");
    expect(await icon.text()).toContain("<svg");
    await page.context().close();
  });

  it("the home page fits a 375 px phone without horizontal scrolling", async () => {
    for (const username of ["admin", "trainee", "registrar"]) {
      const page = await browser.newPage({ width: 375, height: 740 });
      await signIn(page, username);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, username).toBeLessThanOrEqual(0);
      await page.context().close();
    }
  });

  it("each role's working pages fit a 375 px phone, wide tables scroll inside their card, and axe finds no serious accessibility problem", async () => {
    const base = organisationIdByCode("BASE-GERI");
    const hospital = organisationIdByCode("HZ-GERI");
    const cohort = withDatabase(
      (db) => (db.prepare("select id from cohorts where organisation_id = ? order by start_date desc").get(base) as { id: string }).id,
    );
    const claim = withDatabase((db) => (db.prepare("select id from claims order by created_at").get() as { id: string }).id);
    const fuyang = organisationIdByCode("BASE-FY");
    const enrolment = withDatabase(
      (db) =>
        (db.prepare("select e.id from enrolments e join users u on u.id = e.user_id where u.username = 'trainee'").get() as { id: string })
          .id,
    );
    const pages: Record<string, string[]> = {
      registrar: [
        `/bases/${base}/cohorts/new`,
        `/bases/${base}`,
        `/bases/${base}/cohorts/${cohort}`,
        `/bases/${base}/cohorts/${cohort}/enrol`,
        `/bases/${base}/cohorts/${cohort}/attendance`,
        `/bases/${base}/cohorts/${cohort}/practicals`,
        `/bases/${base}/cohorts/${cohort}/certificates`,
      ],
      coordinator: [
        `/hospital/${hospital}`,
        `/hospital/${hospital}/placements`,
        `/hospital/${hospital}/board`,
        `/hospital/${hospital}/departments`,
        `/hospital/${hospital}/approvals`,
      ],
      mentor: [`/hospital/${hospital}/mentor`],
      finance: ["/subsidy"],
      "finance.fy": ["/subsidy", `/subsidy/claims/${claim}`, "/account", "/inbox"],
      reviewer: ["/review"],
      "reviewer.fy": ["/review", `/review/bases/${fuyang}`, `/subsidy/claims/${claim}`, "/review/assessments"],
      admin: ["/admin/users", "/admin/organisations", "/admin/audit", "/certificates"],
      trainee: ["/learn", `/learn/${enrolment}`, "/account", "/inbox"],
    };
    const visitor = await browser.newPage({ width: 375, height: 740 });
    await visitor.goto("/login");
    expect(await seriousA11yViolations(visitor), "/login").toEqual([]);
    await visitor.context().close();
    for (const [username, paths] of Object.entries(pages)) {
      const page = await browser.newPage({ width: 375, height: 740 });
      await signIn(page, username);
      for (const p of paths) {
        const response = await page.goto(p);
        expect(response?.status(), p).toBe(200);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${username} ${p}`).toBeLessThanOrEqual(0);
        expect(await seriousA11yViolations(page), `${username} ${p}`).toEqual([]);
      }
      await page.context().close();
    }
  });
});

describe("admin screens", () => {
  it("show a bad ID number next to its field, in Chinese, and keep what was typed", async () => {
    const page = await browser.newPage();
    await signIn(page, "admin");
    await page.goto("/admin/users/new");
    await page.getByLabel("姓名").fill("刘芳");
    await page.getByLabel("用户名").fill("liu.fang");
    await page.getByLabel("身份证号").fill("110105491231002");
    await page.getByLabel("初始密码").fill("long-enough-1");
    // Checked in the browser as soon as the field is left, before anything is sent.
    const idNumberError = page.locator(`[id="${await page.getByLabel("身份证号").getAttribute("id")}-error"]`);
    await idNumberError.waitFor();
    await expect(idNumberError.textContent()).resolves.toContain("不支持 15 位旧版身份证号");
    await expect(page.getByLabel("身份证号").getAttribute("aria-describedby")).resolves.toBe(await idNumberError.getAttribute("id"));
    await page.getByRole("button", { name: "新建" }).click();
    await idNumberError.waitFor();
    await expect(idNumberError.textContent()).resolves.toContain("不支持 15 位旧版身份证号");
    await expect(page.getByLabel("姓名").inputValue()).resolves.toBe("刘芳");
    await expect(page.getByLabel("身份证号").inputValue()).resolves.toBe("110105491231002");

    await page.getByLabel("身份证号").fill("11010519491231002x");
    await page.getByRole("button", { name: "新建" }).click();
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}/);
    await expect.poll(() => page.getByLabel("身份证号").inputValue()).toBe("11010519491231002X");

    await page.getByLabel("机构").selectOption({ label: "拱墅区社会福利中心（成员单位）" });
    await page.getByLabel("角色", { exact: true }).selectOption({ label: "学员" });
    await page.getByRole("button", { name: "分配角色" }).click();
    await expect.poll(() => page.getByTestId("user-roles").textContent()).toContain("学员 · 拱墅区社会福利中心");

    await page.goto("/admin/audit");
    // In words, not codes and JSON: what was done, to what, and the details labelled.
    const newest = page.getByTestId("audit-log").locator("tbody tr").first();
    await expect(newest.locator("[data-action]").getAttribute("data-action")).resolves.toBe("role.assign");
    await expect(newest.innerText()).resolves.toContain("授予角色");
    await expect(newest.locator("dl").innerText()).resolves.toMatch(/角色\s*学员/);
    await expect(page.getByTestId("audit-log").textContent()).resolves.not.toMatch(/[{}]/);
    await page.context().close();
  });

  it("show a base's designation history read-only: the district health bureau records it", async () => {
    const page = await browser.newPage();
    await signIn(page, "admin");
    await page.goto(`/admin/organisations/${organisationIdByCode("BASE-REHAB")}`);
    await expect(page.getByTestId("accreditation-history").innerText()).resolves.toContain("拱墅区卫生健康局");
    await expect(page.getByText("由其所在地区的卫生健康局认定").count()).resolves.toBe(1);
    await expect(page.getByLabel("认定编号").count()).resolves.toBe(0);
    await page.context().close();
  });

  it("the district health bureau records a base's reinstatement in its designation history", async () => {
    const page = await browser.newPage();
    await signIn(page, "reviewer");
    await page.goto(`/review/bases/${organisationIdByCode("BASE-REHAB")}`);
    const history = page.getByTestId("accreditation-history");
    await expect(history.locator("tbody tr").count()).resolves.toBe(2);
    await expect(page.locator("h1 .badge").textContent()).resolves.toBe("暂停");
    await page.getByLabel("状态", { exact: true }).selectOption("accredited");
    await page.getByLabel("有效期止").fill("2029-12-31");
    await page.getByLabel("备注").fill("整改完成，恢复认定");
    await page.getByRole("button", { name: "保存" }).click();
    await expect.poll(() => history.locator("tbody tr").count()).toBe(3);
    await expect(page.locator("h1 .badge").textContent()).resolves.toBe("已认定");
    await page.context().close();
  });
});
