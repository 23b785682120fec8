import { describe, expect, it } from "vitest";
import { readAttendanceCell } from "../../app/domain/attendance";

describe("a cell of the attendance grid", () => {
  it("reads blank as nothing recorded", () => {
    expect(readAttendanceCell("  ", 4)).toEqual({ kind: "blank" });
  });

  it("takes whole and half hours up to the session's length", () => {
    expect(readAttendanceCell("0", 4)).toEqual({ kind: "hours", hours: 0 });
    expect(readAttendanceCell("1.5", 4)).toEqual({ kind: "hours", hours: 1.5 });
    expect(readAttendanceCell("4", 4)).toEqual({ kind: "hours", hours: 4 });
    expect(readAttendanceCell("3.0", 4)).toEqual({ kind: "hours", hours: 3 });
  });

  it("reads full-width digits and points as an input method types them", () => {
    expect(readAttendanceCell("１．５", 4)).toEqual({ kind: "hours", hours: 1.5 });
    expect(readAttendanceCell("　２　", 4)).toEqual({ kind: "hours", hours: 2 });
  });

  it("refuses more than the session, other fractions, signs and words", () => {
    for (const typed of ["4.5", "9", "1.25", "0.3", "-1", "1e1", "两", "2小时", ".5", "1."])
      expect(readAttendanceCell(typed, 4), typed).toEqual({ kind: "invalid" });
  });
});
