import { describe, expect, it } from "vitest";
import { chineseDate, shanghaiDate, shanghaiDateTime } from "../../app/domain/dates";

describe("dates in China time", () => {
  it("put a UTC moment on the calendar day it falls on in China", () => {
    expect(shanghaiDate("2026-11-23T15:59:59.999Z")).toBe("2026-11-23");
    expect(shanghaiDate("2026-11-23T16:00:00.000Z")).toBe("2026-11-24");
    expect(shanghaiDate("2026-12-31T17:30:00Z")).toBe("2027-01-01");
  });

  it("show a UTC moment as China date and minute", () => {
    expect(shanghaiDateTime("2026-11-23T16:05:42.123Z")).toBe("2026-11-24 00:05");
    expect(shanghaiDateTime("2026-11-24T03:48:00Z")).toBe("2026-11-24 11:48");
  });

  it("write a date the Chinese way", () => {
    expect(chineseDate("2026-01-05")).toBe("2026年1月5日");
  });
});
