import { describe, expect, it } from "vitest";
import { publicUrlWarning } from "../../app/domain/public-url";

describe("the warning when PUBLIC_URL is not set", () => {
  it("is given in production, on one line, naming the setting and the address certificates would carry", () => {
    const warning = publicUrlWarning({ NODE_ENV: "production", PORT: "8080" });
    expect(warning).toContain("PUBLIC_URL is not set");
    expect(warning).toContain("http://localhost:8080/v/");
    expect(warning).toContain("QR code");
    expect(warning).not.toContain("\n");
    expect(publicUrlWarning({ NODE_ENV: "production", PUBLIC_URL: "  " })).not.toBeNull();
  });

  it("is not given when PUBLIC_URL is set, or outside production", () => {
    expect(publicUrlWarning({ NODE_ENV: "production", PUBLIC_URL: "https://cert.example.gov.cn" })).toBeNull();
    expect(publicUrlWarning({ NODE_ENV: "test" })).toBeNull();
    expect(publicUrlWarning({})).toBeNull();
  });
});
