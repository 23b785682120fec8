import { halfYearWords } from "../i18n/half-year";
import { useT } from "../i18n/use-t";

/** "2026H1" as people say it: 2026年上半年. */
export function HalfYearText({ period }: { period: string }) {
  return <>{halfYearWords(useT(), period)}</>;
}
