import { describe, expect, it } from "vitest";
import { movedTo } from "../../app/http/moved-paths";

describe("moved pages", () => {
  it("send the old subsidy addresses to the new ones, keeping the rest of the address", () => {
    expect(movedTo("/finance")).toBe("/subsidy");
    expect(movedTo("/finance?org=abc")).toBe("/subsidy?org=abc");
    expect(movedTo("/finance/claims/7f0e/form.pdf?x=1")).toBe("/subsidy/claims/7f0e/form.pdf?x=1");
  });

  it("leave other addresses alone, including ones that only start with the same letters", () => {
    expect(movedTo("/financed")).toBeNull();
    expect(movedTo("/subsidy")).toBeNull();
    expect(movedTo("/login?redirectTo=/finance")).toBeNull();
  });

  it("never send anyone off the site", () => {
    expect(movedTo("//evil.example/finance")).toBeNull();
    expect(movedTo("/finance//evil.example")).toBe("/subsidy//evil.example");
  });
});
