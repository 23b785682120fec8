import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { simpleParser, type ParsedMail } from "mailparser";
import { DEMO_PASSWORD } from "../../db/seed/demo";

export const baseURL = () => inject("baseURL");

// Flags that let Debian's Chromium run headless here without reaching for the network.
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** One Chromium per test file; each test opens its own context (cookies) through `newPage`. */
export function useBrowser() {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async newPage(options: { width?: number; height?: number; locale?: string; javaScriptEnabled?: boolean } = {}): Promise<Page> {
      const context = await browser.newContext({
        baseURL: baseURL(),
        viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
        locale: options.locale ?? "zh-CN",
        javaScriptEnabled: options.javaScriptEnabled ?? true,
      });
      return context.newPage();
    },
  };
}

export async function signIn(page: Page, identifier: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await fillSignInForm(page, identifier, password);
}

/** Signs in on the sign-in page already open and waits until the signed-in page has rendered. */
export async function fillSignInForm(page: Page, identifier: string, password = DEMO_PASSWORD) {
  await page.getByLabel("用户名或手机号").fill(identifier);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByRole("button", { name: "退出登录" }).waitFor();
}

/** Opens the e2e server's database beside it, for ids the test needs and for moving its calendar. */
export function withDatabase<T>(fn: (sqlite: Database.Database) => T, options: { readonly?: boolean } = { readonly: true }): T {
  const sqlite = new Database(inject("databasePath"), { readonly: options.readonly ?? true });
  sqlite.pragma("busy_timeout = 5000");
  try {
    return fn(sqlite);
  } finally {
    sqlite.close();
  }
}

export function organisationIdByCode(code: string): string {
  const row = withDatabase((db) => db.prepare("select id from organisations where code = ?").get(code) as { id: string } | undefined);
  if (!row) throw new Error(`no organisation ${code}`);
  return row.id;
}

/**
 * The activation code printed on a trainee's enrolment slip: their base's registrar downloads the
 * slip, as they would to hand it out, and the code is read off the PDF.
 */
export async function activationCodeOf(page: Page, mobile: string): Promise<string> {
  const found = withDatabase(
    (db) =>
      db
        .prepare(
          `select u.id as userId, e.cohort_id as cohortId, k.organisation_id as orgId,
             (select r.username from role_assignments ra join users r on r.id = ra.user_id
              where ra.organisation_id = k.organisation_id and ra.role = 'registrar' and r.username is not null order by r.username limit 1) as registrar
           from users u join enrolments e on e.user_id = u.id join cohorts k on k.id = e.cohort_id
           where u.mobile = ? order by e.enrolled_at desc limit 1`,
        )
        .get(mobile) as { userId: string; cohortId: string; orgId: string; registrar: string } | undefined,
  );
  if (!found) throw new Error(`nobody enrolled with mobile ${mobile}`);
  const context = await page.context().browser()!.newContext({ baseURL: baseURL() });
  try {
    const staff = await context.newPage();
    await signIn(staff, found.registrar);
    const response = await staff.request.get(`/bases/${found.orgId}/cohorts/${found.cohortId}/slips.pdf?user=${found.userId}`);
    if (!response.ok()) throw new Error(`slip: HTTP ${response.status()}`);
    const dir = mkdtempSync(path.join(tmpdir(), "care-slip-"));
    const file = path.join(dir, "slip.pdf");
    writeFileSync(file, await response.body());
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
    const code = text.replace(/\s/g, "").match(/激活码：([2-9A-Z]{4}-[2-9A-Z]{4})/);
    if (!code) throw new Error(`no activation code on the slip:\n${text}`);
    return code[1];
  } finally {
    await context.close();
  }
}

/**
 * A trainee enrolled from a roster signs in for the first time with their mobile number and the
 * activation code on their enrolment slip, and is made to choose their own password.
 */
export async function firstSignIn(page: Page, person: { mobile: string }, newPassword: string, code?: string) {
  const activation = code ?? (await activationCodeOf(page, person.mobile));
  await page.goto("/login");
  await page.getByLabel("用户名或手机号").fill(person.mobile);
  await page.getByLabel("密码").fill(activation.toLowerCase());
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByText("首次登录请先设置您自己的密码").waitFor();
  await expect(page.getByLabel("当前密码").count()).resolves.toBe(0);
  await page.getByLabel("新密码", { exact: true }).fill(newPassword);
  await page.getByLabel("确认新密码").fill(newPassword);
  await page.getByRole("button", { name: "保存" }).click();
  await page.waitForURL("**/home");
}

/**
 * Serious and critical WCAG 2.1 A/AA violations axe finds on the open page, as "rule: element".
 * axe is evaluated through the browser's debugging channel, which the page's CSP does not govern.
 */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const { source } = await import("axe-core");
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: {
          run: (
            context: Document,
            options: object,
          ) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  return violations;
}

/** The messages the app has sent to an address, waiting up to `timeoutMs` for at least `atLeast` of them. */
export async function mailTo(address: string, atLeast: number, timeoutMs = 20_000): Promise<ParsedMail[]> {
  const dir = inject("mailDir");
  const until = Date.now() + timeoutMs;
  for (;;) {
    const all = await Promise.all(
      readdirSync(dir)
        .sort()
        .map((f) => simpleParser(readFileSync(path.join(dir, f)))),
    );
    const mine = all.filter((m) => [m.to].flat().some((to) => to?.value.some((v) => v.address === address)));
    if (mine.length >= atLeast || Date.now() > until) return mine;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
