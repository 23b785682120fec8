import { describe, expect, it } from "vitest";
import { checkCharacter, maskResidentId, parseResidentId, residentIdFor } from "../../app/domain/resident-id";

// 11010519491231002X is the worked example of GB 11643-1999.
const STANDARD_EXAMPLE = "11010519491231002X";
const TODAY = "2026-11-23";

describe("parseResidentId", () => {
  it("accepts a valid number and reads its birth date", () => {
    expect(parseResidentId(STANDARD_EXAMPLE, TODAY)).toEqual({ ok: true, value: STANDARD_EXAMPLE, birthDate: "1949-12-31" });
  });

  it("accepts a number whose check digit is a digit", () => {
    const first17 = "33010519900307123";
    const full = first17 + checkCharacter(first17);
    expect(parseResidentId(full, TODAY)).toMatchObject({ ok: true, value: full });
  });

  it("refuses a wrong check digit", () => {
    expect(parseResidentId("110105194912310021", TODAY)).toEqual({ ok: false, error: "checksum" });
  });

  it("refuses an impossible birth date", () => {
    const first17 = "11010519490230002"; // 30 February
    expect(parseResidentId(first17 + checkCharacter(first17), TODAY)).toEqual({ ok: false, error: "birthDate" });
  });

  it("refuses a birth date in the future or before 1900", () => {
    const future = "11010520991231002";
    const ancient = "11010518991231002";
    expect(parseResidentId(future + checkCharacter(future), TODAY)).toEqual({ ok: false, error: "birthDate" });
    expect(parseResidentId(ancient + checkCharacter(ancient), TODAY)).toEqual({ ok: false, error: "birthDate" });
  });

  it("accepts a lower-case x and stores it upper-case", () => {
    expect(parseResidentId("11010519491231002x", TODAY)).toMatchObject({ ok: true, value: STANDARD_EXAMPLE });
  });

  it("refuses the old 15-digit form with its own reason", () => {
    expect(parseResidentId("110105491231002", TODAY)).toEqual({ ok: false, error: "legacy15" });
  });

  it("recognises a number Excel turned into scientific notation", () => {
    expect(parseResidentId("1.10105E+17", TODAY)).toEqual({ ok: false, error: "scientific" });
    expect(parseResidentId("1.10105e17", TODAY)).toEqual({ ok: false, error: "scientific" });
  });

  it("recognises full-width characters", () => {
    expect(parseResidentId("１１０１０５１９４９１２３１００２Ｘ", TODAY)).toEqual({ ok: false, error: "fullwidth" });
  });

  it("refuses other shapes and empty input", () => {
    expect(parseResidentId("", TODAY)).toEqual({ ok: false, error: "empty" });
    expect(parseResidentId("11010519491231002", TODAY)).toEqual({ ok: false, error: "format" });
    expect(parseResidentId("1101051949123100Y2", TODAY)).toEqual({ ok: false, error: "format" });
  });

  it("ignores surrounding spaces", () => {
    expect(parseResidentId(`  ${STANDARD_EXAMPLE} `, TODAY)).toMatchObject({ ok: true, value: STANDARD_EXAMPLE });
  });
});

describe("maskResidentId", () => {
  it("keeps the first and last four characters", () => {
    expect(maskResidentId("33010519900307123X")).toBe("3301**********123X");
  });
});

describe("residentIdFor", () => {
  const id = "33010519900307123X";
  it("shows the whole number to admins and to the person", () => {
    expect(residentIdFor({ userId: "admin", isAdmin: true }, "u1", id)).toBe(id);
    expect(residentIdFor({ userId: "u1", isAdmin: false }, "u1", id)).toBe(id);
  });
  it("masks it for everyone else", () => {
    expect(residentIdFor({ userId: "u2", isAdmin: false }, "u1", id)).toBe("3301**********123X");
    expect(residentIdFor({ userId: "u2", isAdmin: false }, "u1", null)).toBeNull();
  });
});
