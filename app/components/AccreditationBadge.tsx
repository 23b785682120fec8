import { useT } from "../i18n/use-t";

export function AccreditationBadge({ status }: { status: "pending" | "accredited" | "suspended" | "expired" | "none" }) {
  const t = useT();
  return <span className={`badge ${status}`}>{t(`accr.${status}`)}</span>;
}
