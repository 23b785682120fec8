import { describe, expect, it } from "vitest";
import { en } from "../../app/i18n/en";
import { translator } from "../../app/i18n/messages";
import { zhCN } from "../../app/i18n/zh-CN";

const english = translator("en");
const chinese = translator("zh-CN");

/** The values a text names, plural forms included ("{n|lesson|lessons}" names n). */
const namesIn = (text: string) => new Set([...text.matchAll(/\{(\w+)(?:\|[^{}]*)?\}/g)].map((m) => m[1]));

describe("messages", () => {
  it("say one and many in English, and leave Chinese as it is", () => {
    expect(english("missing.moduleLessons", { module: "Hand care", n: 1 })).toBe("“Hand care”: 1 lesson left");
    expect(english("missing.moduleLessons", { module: "Hand care", n: 3 })).toBe("“Hand care”: 3 lessons left");
    expect(english("rotation.signedOff", { n: 1 })).toBe("1 entry signed");
    expect(english("certificate.expiringCount", { n: 1, days: 90 })).toBe("1 certificate expires within 90 days");
    expect(chinese("missing.moduleLessons", { module: "手部护理", n: 1 })).toBe(
      zhCN["missing.moduleLessons"].replace("{module}", "手部护理").replace("{n}", "1"),
    );
  });

  it("name the same values in both languages, so no value is lost in translation", () => {
    const differing = Object.keys(zhCN).filter((key) => {
      const a = namesIn(zhCN[key as keyof typeof zhCN]);
      const b = namesIn(en[key as keyof typeof en]);
      return a.size !== b.size || [...a].some((n) => !b.has(n));
    });
    expect(differing).toEqual([]);
  });

  it("are checked by the type checker: a value a message does not name, or one it needs, does not compile", () => {
    // @ts-expect-error claim.total names count, amount and capital, not wrong
    expect(chinese("claim.total", { wrong: 1 })).toContain("{count}");
    // @ts-expect-error roster.duplicateMobile needs the row it repeats
    expect(chinese("roster.duplicateMobile")).toContain("{row}");
    // @ts-expect-error common.save names nothing
    expect(chinese("common.save", { n: 1 })).toBe("保存");
    expect(chinese("roster.duplicateMobile", { row: 2 })).toBe("手机号与第 2 行重复");
  });
});
