import { describe, expect, it } from "vitest";
import {
  beatCredit,
  creditedOnlineHours,
  creditedOnlineTenths,
  MAX_BEAT_CREDIT_SECONDS,
  minimumSeconds,
  readableLength,
  secondsStillNeeded,
} from "../../app/domain/study-time";

const rules = { charactersPerMinute: 300, minimumMinutes: 3 };

describe("a lesson's minimum study time", () => {
  it("follows its length at the programme's reading speed, markup and spaces aside", () => {
    const lesson = `## 要点\n\n${"护".repeat(1500)}\n\n- ${"理".repeat(300)}`;
    expect(readableLength(lesson)).toBe(2 + 1500 + 300);
    // 1,802 characters at 300 a minute: 6 minutes and a part, in whole seconds.
    expect(minimumSeconds(lesson, rules)).toBe(Math.ceil((1802 / 300) * 60));
  });

  it("is never under the floor, however short the lesson", () => {
    expect(minimumSeconds("# 标题\n\n很短。", rules)).toBe(180);
  });

  it("says how long is still needed, and nothing once enough is recorded", () => {
    const lesson = "护".repeat(3000); // 10 minutes
    expect(secondsStillNeeded(0, lesson, rules)).toBe(600);
    expect(secondsStillNeeded(420, lesson, rules)).toBe(180);
    expect(secondsStillNeeded(900, lesson, rules)).toBe(0);
  });
});

describe("beats", () => {
  const at = (seconds: number) => new Date(Date.UTC(2026, 11, 2, 8, 0, seconds)).toISOString();

  it("credit the time since the last beat while the trainee is active", () => {
    expect(beatCredit(at(0), at(30), true)).toBe(30);
  });

  it("credit nothing for an inactive page, a long pause, or a beat out of order", () => {
    expect(beatCredit(at(0), at(30), false)).toBe(0);
    expect(beatCredit(at(0), at(600), true)).toBe(0);
    expect(beatCredit(at(30), at(0), true)).toBe(0);
  });

  it("never credit more than one beat's worth, whatever the gap within the limit", () => {
    expect(beatCredit(at(0), at(110), true)).toBe(MAX_BEAT_CREDIT_SECONDS);
  });
});

describe("online hours", () => {
  it("count the time studied, to a tenth of an hour, up to the module's online share", () => {
    expect(creditedOnlineHours(0, 2)).toBe(0);
    expect(creditedOnlineHours(5_400, 2)).toBe(1.5);
    expect(creditedOnlineHours(5_399, 2)).toBe(1.4);
    expect(creditedOnlineHours(36_000, 2)).toBe(2);
  });
});

describe("online tenths", () => {
  it("count whole tenths of an hour (6 minutes), never more than the share", () => {
    expect(creditedOnlineTenths(359, 0.5)).toBe(0);
    expect(creditedOnlineTenths(360, 0.5)).toBe(1);
    expect(creditedOnlineTenths(1_799, 0.5)).toBe(4);
    expect(creditedOnlineTenths(99_999, 0.5)).toBe(5);
  });
});
