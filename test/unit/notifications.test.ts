import { describe, expect, it } from "vitest";
import {
  emailRetryDelayMs,
  expiryReminderDue,
  expiryWindow,
  isEmailAddress,
  kindsForRoles,
  signoffWaitingSince,
} from "../../app/domain/notifications";
import { notificationText } from "../../app/i18n/notification-text";
import { translator } from "../../app/i18n/messages";

describe("expiry reminders", () => {
  it("fall due at 90, 30 and 7 days before expiry, the nearest threshold reached", () => {
    expect(expiryReminderDue("2027-06-30", "2027-03-31")).toBeNull(); // 91 days
    expect(expiryReminderDue("2027-06-30", "2027-04-01")).toBe(90);
    expect(expiryReminderDue("2027-06-30", "2027-05-31")).toBe(30);
    expect(expiryReminderDue("2027-06-30", "2027-06-10")).toBe(30);
    expect(expiryReminderDue("2027-06-30", "2027-06-23")).toBe(7);
    expect(expiryReminderDue("2027-06-30", "2027-06-30")).toBe(7);
    expect(expiryReminderDue("2027-06-30", "2027-07-01")).toBeNull();
  });

  it("look at certificates expiring from today to 90 days on", () => {
    expect(expiryWindow("2026-12-02")).toEqual({ from: "2026-12-02", to: "2027-03-02" });
  });
});

it("counts a sign-off as waiting more than three days from the fourth day after it was entered", () => {
  expect(signoffWaitingSince("2026-11-06")).toBe("2026-11-02");
});

it("offers each role only the notifications it can receive", () => {
  expect(kindsForRoles(["trainee"])).toEqual(["certificate_issued", "certificate_expiring", "placement_tomorrow"]);
  expect(kindsForRoles(["base_finance", "registrar"])).toEqual([
    "certificate_expiring",
    "claim_returned",
    "claim_approved",
    "claim_paid",
    "assessment_result",
  ]);
  expect(kindsForRoles(["admin"])).toEqual([]);
});

it("waits longer after each failed e-mail", () => {
  expect([1, 2, 3, 4].map(emailRetryDelayMs)).toEqual([60_000, 240_000, 960_000, 3_840_000]);
});

it("accepts plausible e-mail addresses only", () => {
  expect(isEmailAddress("zhang.san@example.com")).toBe(true);
  expect(isEmailAddress("王@医院.中国")).toBe(true);
  for (const bad of ["zhang", "zhang@", "@example.com", "zhang@example", "zhang san@example.com", "a@b@c.com", `${"a".repeat(250)}@b.cn`])
    expect(isEmailAddress(bad), bad).toBe(false);
});

describe("notification text", () => {
  it("says a base's assessment period and verdict in the reader's language", () => {
    const params = { base: "富阳区第一人民医院", period: "2026H2", score: 86.5, passed: 1 };
    expect(notificationText(translator("zh-CN"), "assessment_result", params)).toEqual({
      title: "基地考核结果：2026年下半年",
      body: "富阳区第一人民医院 2026年下半年 考核得分 86.5，结果：合格。",
    });
    expect(notificationText(translator("en"), "assessment_result", { ...params, passed: 0 }).body).toMatch(/not passed/);
  });

  it("fills every value a kind's message names", () => {
    const text = notificationText(translator("zh-CN"), "claim_paid", {
      policy: "师资培训补贴",
      period: "2026-01-01 – 2026-12-31",
      paidOn: "2026-12-01",
      reference: "富财拨〔2026〕31号",
    });
    expect(text.body).toBe("师资培训补贴（2026-01-01 – 2026-12-31）的补贴已于 2026-12-01 拨付，凭证号 富财拨〔2026〕31号。");
    expect(text.body).not.toMatch(/[{}]/);
  });
});
