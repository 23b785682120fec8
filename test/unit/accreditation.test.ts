import { describe, expect, it } from "vitest";
import { isAccreditedOn, recordInForce, statusOn, type AccreditationRecord } from "../../app/domain/accreditation";

const accredited: AccreditationRecord = {
  id: 1,
  number: "N1",
  status: "accredited",
  validFrom: "2024-01-01",
  validTo: "2026-12-31",
  effectiveFrom: "2024-01-01",
};
const suspended: AccreditationRecord = { ...accredited, id: 2, status: "suspended", effectiveFrom: "2026-09-01" };
const reinstated: AccreditationRecord = { ...accredited, id: 3, status: "accredited", effectiveFrom: "2026-10-15" };

describe("accreditation history", () => {
  it("has no status before the first record", () => {
    expect(statusOn([accredited], "2023-12-31")).toBe("none");
  });

  it("answers for dates before and after a suspension", () => {
    const history = [accredited, suspended];
    expect(isAccreditedOn(history, "2026-08-31")).toBe(true);
    expect(statusOn(history, "2026-09-01")).toBe("suspended");
    expect(isAccreditedOn(history, "2026-09-30")).toBe(false);
  });

  it("a later record reinstates the base", () => {
    expect(isAccreditedOn([accredited, suspended, reinstated], "2026-10-15")).toBe(true);
  });

  it("an accredited record past its validity reads as expired", () => {
    expect(statusOn([accredited], "2027-01-01")).toBe("expired");
  });

  it("an accredited record not yet valid reads as pending", () => {
    expect(statusOn([{ ...accredited, validFrom: "2025-01-01" }], "2024-06-01")).toBe("pending");
  });

  it("on the same effective date the later entry wins, whatever the order given", () => {
    const correction = { ...suspended, id: 4, effectiveFrom: "2024-01-01" };
    expect(recordInForce([correction, accredited], "2024-02-01")?.id).toBe(4);
  });
});
