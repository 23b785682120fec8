import { describe, expect, it } from "vitest";
import { capitalAmount, formatFen } from "../../app/domain/money";

describe("capitalAmount", () => {
  it.each([
    [0, "零元整"],
    [500_000, "伍仟元整"],
    [25_000_000, "贰拾伍万元整"],
    [1_005_005, "壹万零伍拾元零伍分"],
    [100_000_000_000, "壹拾亿元整"],
    [18_500_000, "壹拾捌万伍仟元整"],
    [10_001_000_000, "壹亿零壹万元整"],
    [1_010_000_000, "壹仟零壹拾万元整"],
    [1_000_100, "壹万零壹元整"],
    [150, "壹元伍角"],
    [5, "伍分"],
    [12_345_678_90, "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角"],
  ])("%i fen is %s", (fen, text) => {
    expect(capitalAmount(fen)).toBe(text);
  });

  it("refuses fractions of a fen and negative amounts", () => {
    expect(() => capitalAmount(1.5)).toThrow(RangeError);
    expect(() => capitalAmount(-100)).toThrow(RangeError);
  });
});

describe("formatFen", () => {
  it("shows yuan with thousands separators and two decimals", () => {
    expect(formatFen(18_500_000)).toBe("¥185,000.00");
    expect(formatFen(1_005_005)).toBe("¥10,050.05");
    expect(formatFen(0)).toBe("¥0.00");
  });
});
