import { useT } from "../i18n/use-t";

/** "2026H1" as people say it: 2026年上半年. */
export function HalfYearText({ period }: { period: string }) {
  const t = useT();
  const [year, half] = period.split("H");
  return <>{t(half === "1" ? "assessment.firstHalf" : "assessment.secondHalf", { year })}</>;
}
