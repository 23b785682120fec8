import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { noticeCookie, readNotice, redirectWithNotice } from "../../app/http/notice-cookie.server";

beforeAll(() => {
  // The signing secret is made in the key folder on first use.
  process.env.CERT_KEY_DIR = mkdtempSync(path.join(tmpdir(), "notice-keys-"));
});

const cookiePair = (setCookie: string) => setCookie.split(";")[0];

describe("the notice left for the next page", () => {
  it("comes back as it was signed: a message key and its values", () => {
    const cookie = cookiePair(noticeCookie({ key: "cohort.enrolled", params: { n: 12 } }, false));
    expect(readNotice(`lang=zh-CN; ${cookie}`)).toEqual({ key: "cohort.enrolled", params: { n: 12 } });
  });

  it("is refused when its words were changed, as a link or a forged cookie would", () => {
    const cookie = cookiePair(noticeCookie({ key: "claim.created", params: {} }, false));
    const [name, rest] = cookie.split("=");
    const [, signature] = rest.split(".");
    const forged = Buffer.from(JSON.stringify({ key: "claim.created", params: { reason: "账户异常，请致电 400-000-0000" } })).toString(
      "base64url",
    );
    expect(readNotice(`${name}=${forged}.${signature}`)).toBeNull();
    expect(readNotice(`${name}=${forged}`)).toBeNull();
    expect(readNotice("notice=garbage")).toBeNull();
    expect(readNotice(null)).toBeNull();
  });

  it("is refused when it names no message", () => {
    const cookie = cookiePair(noticeCookie({ key: "no.such.message" as "common.saved", params: {} }, false));
    expect(readNotice(cookie)).toBeNull();
  });

  it("travels with the redirect, short-lived, out of reach of scripts, Secure over HTTPS", () => {
    const response = redirectWithNotice({ secure: true }, "/home", "common.saved");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/home");
    expect(response.headers.get("Set-Cookie")).toMatch(/^notice=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=60; Secure$/);
  });
});
