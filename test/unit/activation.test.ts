import { describe, expect, it } from "vitest";
import {
  ACTIVATION_ALPHABET,
  activationCodeFrom,
  activationExpiry,
  formatActivationCode,
  normaliseActivationCode,
} from "../../app/domain/activation";

describe("activation codes", () => {
  it("are eight characters without look-alikes, from random bytes, skipping bytes that would bias them", () => {
    const code = activationCodeFrom(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]));
    expect(code).toBe("23456789");
    expect(ACTIVATION_ALPHABET).not.toMatch(/[01ILO]/);
    // 248 and above would favour the first letters: they are skipped.
    expect(activationCodeFrom(new Uint8Array([255, 248, 30, 30, 30, 30, 30, 30, 30, 30]))).toBe("ZZZZZZZZ");
    expect(activationCodeFrom(new Uint8Array([255, 1, 2]))).toBeNull();
  });

  it("read back whatever the case, spaces and hyphens, and nothing else", () => {
    expect(normaliseActivationCode(" abcd-efgh ")).toBe("ABCDEFGH");
    expect(normaliseActivationCode(formatActivationCode("ABCDEFGH"))).toBe("ABCDEFGH");
    expect(normaliseActivationCode("ABCD-EFG")).toBeNull();
    expect(normaliseActivationCode("ABCD-EFG0")).toBeNull();
    expect(normaliseActivationCode("31002X")).toBeNull();
  });

  it("last thirty days", () => {
    expect(activationExpiry(Date.parse("2026-12-01T00:00:00Z"))).toBe(Date.parse("2026-12-31T00:00:00Z"));
  });
});
