/**
 * One cell of the attendance grid as typed: blank (nothing recorded), or the hours attended in
 * half-hour steps from 0 to the session's length. Full-width digits and points, as Chinese input
 * methods type them (１．５), read as their ASCII forms.
 */
export type CellReading = { kind: "blank" } | { kind: "hours"; hours: number } | { kind: "invalid" };

export function readAttendanceCell(typed: string, sessionHours: number): CellReading {
  const text = typed.normalize("NFKC").trim();
  if (text === "") return { kind: "blank" };
  if (!/^\d{1,3}(\.(0|5))?$/.test(text)) return { kind: "invalid" };
  const hours = Number(text);
  return hours <= sessionHours ? { kind: "hours", hours } : { kind: "invalid" };
}
