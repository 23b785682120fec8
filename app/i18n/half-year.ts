import type { Translate } from "./messages";

/** "2026H1" as people say it: 2026年上半年. */
export function halfYearWords(t: Translate, period: string): string {
  const [year, half] = period.split("H");
  return t(half === "1" ? "assessment.firstHalf" : "assessment.secondHalf", { year });
}
