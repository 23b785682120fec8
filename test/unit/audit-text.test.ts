import { describe, expect, it } from "vitest";
import { auditActionText, auditDetailPairs, auditEntityText } from "../../app/i18n/audit-text";
import { translator } from "../../app/i18n/messages";

const zh = translator("zh-CN");
const en = translator("en");

describe("the audit log in words", () => {
  it("reads an action's code as what was done, in the reader's language", () => {
    expect(auditActionText(zh, "claim.approve")).toBe("批准申报");
    expect(auditActionText(en, "claim.approve")).toBe("Approved a claim");
    expect(auditActionText(zh, "export.claim-form")).toBe("导出申报表");
    expect(auditEntityText(zh, "cohort")).toBe("班级");
  });

  it("shows a code it has no words for as it is, rather than hiding it", () => {
    expect(auditActionText(zh, "something.new")).toBe("something.new");
    expect(auditActionText(zh, "export.new-kind")).toBe("导出new-kind");
    expect(auditEntityText(zh, "widget")).toBe("widget");
  });

  it("labels the details, counts lists, shortens ids and says yes or no", () => {
    const details = JSON.stringify({
      cohortId: "0f8fad5b-d9cb-469f-a165-70867728950e",
      cells: [1, 2, 3],
      onBehalf: true,
      reason: "",
      name: "张三",
    });
    expect(auditDetailPairs(zh, details)).toEqual([
      { label: "班级", value: "0f8fad5b" },
      { label: "考勤格", value: "3 项" },
      { label: "代录", value: "是" },
      { label: "名称/姓名", value: "张三" },
    ]);
  });

  it("reads what changed as labelled values, two levels deep, never as JSON", () => {
    const [pair] = auditDetailPairs(zh, JSON.stringify({ changed: { name: { from: "王芳", to: "王芳芳" } } }));
    expect(pair.value).toBe("名称/姓名 自 王芳；至 王芳芳");
    expect(auditDetailPairs(zh, JSON.stringify({ before: { name: "王芳", mobile: "13800000000" } }))).toEqual([
      { label: "原为", value: "名称/姓名 王芳；手机号 13800000000" },
    ]);
  });

  it("names a role rather than showing its code", () => {
    expect(auditDetailPairs(zh, JSON.stringify({ role: "trainee" }))).toEqual([{ label: "角色", value: "学员" }]);
  });

  it("keeps unknown fields by their own name and long text short", () => {
    expect(auditDetailPairs(zh, JSON.stringify({ widget: "x".repeat(100) }))).toEqual([{ label: "widget", value: `${"x".repeat(60)}…` }]);
    expect(auditDetailPairs(zh, "{}")).toEqual([]);
    expect(auditDetailPairs(zh, "not json")).toEqual([{ label: "", value: "not json" }]);
  });
});
