import { describe, expect, it } from "vitest";
import { holderCheckErrors, holderMatches, isIdTail, normaliseHolderName, normaliseIdTail } from "../../app/domain/holder-match";

const withId = { holderName: "冯雪梅", holderIdNumber: "33010519760606606X" };
const withoutId = { holderName: "冯雪梅", holderIdNumber: null };

describe("normalising a typed name", () => {
  it("trims and drops half-width, full-width and no-break spaces between Chinese characters", () => {
    for (const typed of ["冯雪梅", " 冯雪梅 ", "\u3000冯雪梅\u3000", "冯 雪梅", "冯\u3000雪\u00A0梅", "冯\t雪梅\n"])
      expect(normaliseHolderName(typed), JSON.stringify(typed)).toBe("冯雪梅");
  });

  it("keeps one space between Latin words, folds full-width letters and case, and unifies middle dots", () => {
    expect(normaliseHolderName("  Li\u3000\u3000Na ")).toBe("li na");
    expect(normaliseHolderName("ＬＩ ＮＡ")).toBe("li na");
    expect(normaliseHolderName("阿依古丽・买买提")).toBe(normaliseHolderName("阿依古丽·买买提"));
    expect(normaliseHolderName("阿依古丽 · 买买提")).toBe("阿依古丽·买买提");
  });

  it("still tells different names apart", () => {
    expect(normaliseHolderName("冯雪梅")).not.toBe(normaliseHolderName("冯雪"));
    expect(normaliseHolderName("Li Na")).not.toBe(normaliseHolderName("Lina"));
  });
});

describe("the ID number's last four characters", () => {
  it("fold full-width digits, spaces and a lower-case x", () => {
    expect(normaliseIdTail(" 606x ")).toBe("606X");
    expect(normaliseIdTail("６０６Ｘ")).toBe("606X");
    expect(normaliseIdTail("6 0 6 x")).toBe("606X");
  });

  it("are four characters, digits with an optional final X", () => {
    expect(isIdTail("606X")).toBe(true);
    expect(isIdTail("1234")).toBe(true);
    for (const bad of ["", "123", "12345", "X123", "12a4"]) expect(isIdTail(bad), bad).toBe(false);
  });
});

describe("whether a check matches", () => {
  it("needs both the name and the last four of the ID number when the record has one", () => {
    expect(holderMatches(withId, { name: "冯雪梅", idTail: "606X" })).toBe(true);
    expect(holderMatches(withId, { name: "\u3000冯 雪梅 ", idTail: "606x" })).toBe(true);
    expect(holderMatches(withId, { name: "冯雪梅", idTail: "6060" })).toBe(false);
    expect(holderMatches(withId, { name: "冯雪", idTail: "606X" })).toBe(false);
    expect(holderMatches(withId, { name: "冯雪梅", idTail: "" })).toBe(false);
  });

  it("matches by name alone when no ID number is on record", () => {
    expect(holderMatches(withoutId, { name: "冯雪梅", idTail: "" })).toBe(true);
    expect(holderMatches(withoutId, { name: "冯雪梅", idTail: "9999" })).toBe(true);
    expect(holderMatches(withoutId, { name: "蒋国华", idTail: "" })).toBe(false);
  });

  it("asks for what is missing or malformed before anything is compared", () => {
    expect(holderCheckErrors({ name: " \u3000", idTail: "" }, true)).toEqual({
      name: "holderCheck.nameRequired",
      idTail: "holderCheck.idTailRequired",
    });
    expect(holderCheckErrors({ name: "冯雪梅", idTail: "12" }, true)).toEqual({ idTail: "holderCheck.idTailFormat" });
    expect(holderCheckErrors({ name: "冯雪梅", idTail: "" }, false)).toEqual({});
    expect(holderCheckErrors({ name: "冯雪梅", idTail: "606x" }, true)).toEqual({});
  });
});
