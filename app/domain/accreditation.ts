import type { AccreditationStatus } from "../../db/schema";

export interface AccreditationRecord {
  id: number;
  number: string;
  status: AccreditationStatus;
  validFrom: string; // YYYY-MM-DD
  validTo: string; // YYYY-MM-DD, inclusive
  effectiveFrom: string; // YYYY-MM-DD: the day this record starts to apply
}

/** The record in force on `date`: the latest one that had taken effect by then (later entries win ties). */
export function recordInForce<T extends AccreditationRecord>(history: T[], date: string): T | null {
  let best: T | null = null;
  for (const r of history) {
    if (r.effectiveFrom > date) continue;
    if (!best || r.effectiveFrom > best.effectiveFrom || (r.effectiveFrom === best.effectiveFrom && r.id > best.id)) {
      best = r;
    }
  }
  return best;
}

/**
 * The status a person should see for `date`: an accredited record past its validity reads as
 * expired, and one not yet valid reads as pending.
 */
export function statusOn(history: AccreditationRecord[], date: string): AccreditationStatus | "none" {
  const r = recordInForce(history, date);
  if (!r) return "none";
  if (r.status !== "accredited") return r.status;
  if (date > r.validTo) return "expired";
  if (date < r.validFrom) return "pending";
  return "accredited";
}

export function isAccreditedOn(history: AccreditationRecord[], date: string): boolean {
  return statusOn(history, date) === "accredited";
}
