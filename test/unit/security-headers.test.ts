import { describe, expect, it } from "vitest";
import { cacheControlFor, securityHeaders } from "../../app/domain/security-headers";

describe("security headers", () => {
  it("allow scripts only from this site or with the page's nonce", () => {
    const csp = securityHeaders({ nonce: "abc123", secure: false })["Content-Security-Policy"];
    expect(csp).toContain("script-src 'self' 'nonce-abc123'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
  });

  it("ask for HTTPS only when the request came over HTTPS", () => {
    expect(securityHeaders({ nonce: "n", secure: true })["Strict-Transport-Security"]).toBeDefined();
    expect(securityHeaders({ nonce: "n", secure: false })["Strict-Transport-Security"]).toBeUndefined();
  });

  it("let no page or download be stored; cache only the build's fingerprinted assets", () => {
    expect(cacheControlFor("/subsidy/claims/1/roster.csv")).toBe("no-store");
    expect(cacheControlFor("/home")).toBe("no-store");
    expect(cacheControlFor("/build/root-ABC.js")).toContain("immutable");
  });
});

import { proxyHops } from "../../app/domain/proxy";

describe("TRUST_PROXY", () => {
  it("is a count of proxies, not a switch that trusts every forwarded hop", () => {
    expect(proxyHops(undefined)).toEqual({ ok: true, hops: 0 });
    expect(proxyHops("1")).toEqual({ ok: true, hops: 1 });
    expect(proxyHops("2")).toEqual({ ok: true, hops: 2 });
    for (const bad of ["true", "yes", "-1", "1.5", "10.0.0.1"]) expect(proxyHops(bad).ok, bad).toBe(false);
  });
});

import { bodyVerdict, MAX_BODY_BYTES } from "../../app/domain/request-size";

describe("request bodies", () => {
  it("must say their length and stay within the largest upload the app takes", () => {
    expect(bodyVerdict({ method: "GET", contentLength: undefined, transferEncoding: "chunked" })).toBe("ok");
    expect(bodyVerdict({ method: "POST", contentLength: "120", transferEncoding: undefined })).toBe("ok");
    expect(bodyVerdict({ method: "POST", contentLength: undefined, transferEncoding: undefined })).toBe("ok");
    expect(bodyVerdict({ method: "POST", contentLength: undefined, transferEncoding: "chunked" })).toBe("lengthRequired");
    expect(bodyVerdict({ method: "POST", contentLength: "-1", transferEncoding: undefined })).toBe("lengthRequired");
    expect(bodyVerdict({ method: "POST", contentLength: String(MAX_BODY_BYTES + 1), transferEncoding: undefined })).toBe("tooLarge");
  });
});

import { workerCount } from "../../app/domain/workers";

describe("WORKERS", () => {
  it("is a number of server processes, or one per core", () => {
    expect(workerCount(undefined, 2)).toEqual({ ok: true, workers: 1 });
    expect(workerCount("auto", 2)).toEqual({ ok: true, workers: 2 });
    expect(workerCount("4", 2)).toEqual({ ok: true, workers: 4 });
    for (const bad of ["0", "-1", "two", "99"]) expect(workerCount(bad, 2).ok, bad).toBe(false);
  });
});
