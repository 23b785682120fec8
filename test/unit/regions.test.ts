import { describe, expect, it } from "vitest";
import {
  findRegion,
  regionFieldValue,
  regionLabel,
  regionPath,
  regionTree,
  regionWithin,
  regionsWithin,
  suggestRegions,
} from "../../app/domain/regions";
import { loadRegions } from "../../app/content/regions.server";

const { tree } = regionTree([
  { code: "330000", name: "浙江省", parent: "" },
  { code: "330100", name: "杭州市", parent: "330000" },
  { code: "330105", name: "拱墅区", parent: "330100" },
  { code: "330111", name: "富阳区", parent: "330100" },
  { code: "110000", name: "北京市", parent: "" },
  { code: "110100", name: "市辖区", parent: "110000" },
  { code: "110105", name: "朝阳区", parent: "110100" },
  { code: "220000", name: "吉林省", parent: "" },
  { code: "220100", name: "长春市", parent: "220000" },
  { code: "220104", name: "朝阳区", parent: "220100" },
]);

describe("the region tree", () => {
  it("lists every region a region-scoped role reaches, itself included, and nothing for no region", () => {
    expect(regionsWithin(tree, ["330111"])).toEqual(["330111"]);
    expect(regionsWithin(tree, ["330100"]).sort()).toEqual(["330100", "330105", "330111"]);
    expect(regionsWithin(tree, ["330105", "110000"]).sort()).toEqual(["110000", "110100", "110105", "330105"]);
    expect(regionsWithin(tree, [])).toEqual([]);
  });

  it("walks from a district up to its province", () => {
    expect(regionPath(tree, "330111")).toEqual(["330111", "330100", "330000"]);
    expect(regionPath(tree, "999999")).toEqual([]);
    expect(regionPath(tree, null)).toEqual([]);
  });

  it("a district lies in its city and province, and in itself, but not in the next district", () => {
    expect(regionWithin(tree, "330111", "330111")).toBe(true);
    expect(regionWithin(tree, "330111", "330100")).toBe(true);
    expect(regionWithin(tree, "330111", "330000")).toBe(true);
    expect(regionWithin(tree, "330111", "330105")).toBe(false);
    expect(regionWithin(tree, "330100", "330111")).toBe(false);
    expect(regionWithin(tree, null, "330000")).toBe(false);
  });

  it("labels a region from the province down, without the statistics office's placeholders", () => {
    expect(regionLabel(tree, "330111")).toBe("浙江省杭州市富阳区");
    expect(regionLabel(tree, "110105")).toBe("北京市朝阳区");
  });

  it("reads what was typed: a code, a full label, a label with its code, or a name only one region has", () => {
    expect(findRegion(tree, "330111")).toEqual({ ok: true, code: "330111" });
    expect(findRegion(tree, regionFieldValue(tree, "330111"))).toEqual({ ok: true, code: "330111" });
    expect(findRegion(tree, " 浙江省杭州市富阳区 ")).toEqual({ ok: true, code: "330111" });
    expect(findRegion(tree, "富阳区")).toEqual({ ok: true, code: "330111" });
    expect(findRegion(tree, "朝阳区")).toEqual({ ok: false, error: "ambiguous" });
    expect(findRegion(tree, "吉林省长春市朝阳区")).toEqual({ ok: true, code: "220104" });
    expect(findRegion(tree, "330183")).toEqual({ ok: false, error: "notFound" });
    expect(findRegion(tree, "火星")).toEqual({ ok: false, error: "notFound" });
  });

  it("suggests regions by part of a name or code", () => {
    expect(suggestRegions(tree, "富阳").map((r) => r.label)).toEqual(["浙江省杭州市富阳区"]);
    expect(suggestRegions(tree, "3301").map((r) => r.code)).toEqual(["330100", "330105", "330111"]);
    expect(suggestRegions(tree, "")).toEqual([]);
  });

  it("names every broken row of a table", () => {
    const { problems } = regionTree([
      { code: "33", name: "浙江省", parent: "" },
      { code: "330100", name: "杭州市", parent: "330000" },
      { code: "330100", name: "杭州市", parent: "" },
    ]);
    expect(problems).toEqual([
      'row 1: code "33" is not six digits',
      "row 3: code 330100 appears twice",
      "code 330100: parent 330000 is not in the table",
    ]);
  });
});

describe("the shipped GB/T 2260 table", () => {
  const shipped = loadRegions();

  it("holds every province, city and county-level district, with 富阳区 at 330111", () => {
    expect(shipped.size).toBeGreaterThan(3000);
    expect(regionLabel(shipped, "330111")).toBe("浙江省杭州市富阳区");
    expect(regionLabel(shipped, "330105")).toBe("浙江省杭州市拱墅区");
    expect(regionLabel(shipped, "370406")).toBe("山东省枣庄市山亭区");
    expect(regionWithin(shipped, "410102", "410000")).toBe(true);
  });
});
