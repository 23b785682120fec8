import { describe, expect, it } from "vitest";
import { baseURL, signIn, useBrowser, withDatabase } from "./browser";

const browser = useBrowser();

describe("no way in through the edges", () => {
  it("sends a sign-in with a hostile `next` to the home page of this site, never elsewhere, and never a 500", async () => {
    for (const next of ["/\t/evil.example", "/\\evil.example", "/\\/evil.example", "//evil.example", "https://evil.example"]) {
      const page = await browser.newPage();
      await page.goto(`/login?next=${encodeURIComponent(next)}`);
      await page.getByLabel("用户名或手机号").fill("registrar");
      await page.getByLabel("密码").fill("Demo2026!");
      await page.getByRole("button", { name: "登录" }).click();
      await page.waitForURL(`${baseURL()}/home`);
      await page.context().close();
    }
    const page = await browser.newPage();
    const origin = baseURL();
    const response = await page.request.post("/login", {
      form: { identifier: "registrar", password: "Demo2026!", next: "/home\r\nSet-Cookie: evil=1" },
      headers: { Origin: origin },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(302);
    expect(response.headers()["location"]).toBe("/home");
    expect(response.headers()["set-cookie"]).not.toContain("evil=1");
    await page.context().close();
  });

  it("shows no confirmation a link asks for: only one the server itself left, and only once", async () => {
    const page = await browser.newPage();
    await signIn(page, "admin");
    const org = withDatabase((db) => db.prepare("select id from organisations where code = 'BASE-GERI'").pluck().get() as string);
    await page.goto(`/admin/organisations/${org}?notice=claim.rejectedWith&reason=${encodeURIComponent("账户异常，请致电 400-000-0000")}`);
    await expect(page.getByRole("status").count()).resolves.toBe(0);
    await expect(page.locator("body").innerText()).resolves.not.toContain("400-000-0000");
    // A real confirmation shows after the save that earned it, and not again on reload.
    await page.getByRole("button", { name: "保存" }).first().click();
    await page.getByRole("status").getByText("已保存").waitFor();
    await page.reload();
    await expect(page.getByRole("status").count()).resolves.toBe(0);
    await page.context().close();
  });

  it("serves every page with a nonce-only script policy that the page's own scripts satisfy, and stores nothing", async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) violations.push(m.text());
    });
    await signIn(page, "registrar");
    const response = await page.goto("/home");
    const headers = response!.headers();
    const nonce = headers["content-security-policy"].match(/'nonce-([^']+)'/)![1];
    expect(headers["content-security-policy"]).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(headers["cache-control"]).toBe("no-store");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    // The page goes out whole, its length known beforehand, without the NUL bytes React 18 can leave.
    const bytes = await response!.body();
    expect(headers["content-length"]).toBe(String(bytes.length));
    expect(headers["transfer-encoding"]).toBeUndefined();
    expect(bytes.includes(0)).toBe(false);
    const html = bytes.toString("utf8");
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
    expect(inline.length).toBeGreaterThan(0);
    for (const attributes of inline) expect(attributes).toContain(`nonce="${nonce}"`);
    // The app hydrated: a client-side navigation works without a full page load.
    await page.getByRole("navigation").getByRole("link", { name: "培训基地" }).click();
    await page.waitForURL(/\/bases\//);
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it("puts the same headers on downloads and on refusals, not only on pages", async () => {
    const page = await browser.newPage();
    await signIn(page, "registrar");
    const base = withDatabase((db) => (db.prepare("select id from organisations where code = 'BASE-GERI'").get() as { id: string }).id);
    const download = await page.request.get(`/certificates/export.xlsx?org=${base}`);
    expect(download.status()).toBe(200);
    for (const response of [download]) {
      expect(response.headers()["cache-control"]).toBe("no-store");
      expect(response.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(response.headers()["x-content-type-options"]).toBe("nosniff");
    }
    // A cross-site POST is refused before any route runs, with the headers too; so is one from the same host over another scheme.
    for (const origin of ["https://evil.example", baseURL().replace("http://", "https://")]) {
      const refused = await page.request.post("/logout", { headers: { Origin: origin }, maxRedirects: 0 });
      expect(refused.status(), origin).toBe(403);
      expect(refused.headers()["content-security-policy"]).toBeDefined();
      expect(refused.headers()["cache-control"]).toBe("no-store");
    }
    // Every export of personal data is in the audit log.
    const exported = withDatabase(
      (db) => db.prepare("select count(*) from audit_log where action = 'export.certificate-register'").pluck().get() as number,
    );
    expect(exported).toBeGreaterThan(0);
    await page.context().close();
  });

  it("refuses a body over the largest upload, or one that does not say its length, before any route reads it", async () => {
    const big = await fetch(`${baseURL()}/verify`, {
      method: "POST",
      body: new Uint8Array(7 * 1024 * 1024),
      headers: { "Content-Type": "application/octet-stream" },
    });
    expect(big.status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("identifier=x&password=y"));
        controller.close();
      },
    });
    const chunked = await fetch(`${baseURL()}/login`, {
      method: "POST",
      body: stream,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(411);
  });
});
