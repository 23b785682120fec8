import { describe, expect, it } from "vitest";
import { isCrossOriginWrite } from "../../app/domain/same-origin";

const base = { host: "care.example:3000", secFetchSite: null, scheme: "http" };

describe("isCrossOriginWrite", () => {
  it("lets reads through from anywhere", () => {
    expect(isCrossOriginWrite({ ...base, method: "GET", origin: "https://evil.example" })).toBe(false);
  });
  it("lets a POST from our own origin through", () => {
    expect(isCrossOriginWrite({ ...base, method: "POST", origin: "http://care.example:3000" })).toBe(false);
  });
  it("refuses a POST from another origin", () => {
    expect(isCrossOriginWrite({ ...base, method: "POST", origin: "https://evil.example" })).toBe(true);
    expect(isCrossOriginWrite({ ...base, method: "DELETE", origin: "http://care.example:4000" })).toBe(true);
  });
  it("refuses a POST from the same host over another scheme", () => {
    expect(isCrossOriginWrite({ ...base, scheme: "https", method: "POST", origin: "http://care.example:3000" })).toBe(true);
    expect(isCrossOriginWrite({ ...base, scheme: "https", method: "POST", origin: "https://care.example:3000" })).toBe(false);
  });
  it("refuses an opaque origin", () => {
    expect(isCrossOriginWrite({ ...base, method: "POST", origin: "null" })).toBe(true);
  });
  it("falls back to Sec-Fetch-Site when Origin is missing", () => {
    expect(isCrossOriginWrite({ ...base, method: "POST", origin: null, secFetchSite: "cross-site" })).toBe(true);
    expect(isCrossOriginWrite({ ...base, method: "POST", origin: null, secFetchSite: "same-origin" })).toBe(false);
    expect(isCrossOriginWrite({ ...base, method: "POST", origin: null })).toBe(false);
  });
});
