import type { AccreditationStatus, HostKind } from "../../db/schema";
import { shanghaiDateTime } from "../domain/dates";
import { useT } from "../i18n/use-t";
import { TableWrap } from "./TableWrap";

export interface DesignationRecord {
  id: number;
  effectiveFrom: string;
  status: AccreditationStatus;
  number: string;
  validFrom: string;
  validTo: string;
  hostName: string | null;
  hostKind: HostKind | null;
  authorityName: string | null;
  note: string;
  recordedAt: string;
}

/** A base's designation records, newest first: who designated it, where, and for how long. */
export function DesignationHistory({ history }: { history: DesignationRecord[] }) {
  const t = useT();
  if (history.length === 0) return <p className="muted">{t("accr.none")}</p>;
  return (
    <TableWrap>
      <table data-testid="accreditation-history" className="cards">
        <thead>
          <tr>
            <th>{t("org.effectiveFrom")}</th>
            <th>{t("org.accrStatus")}</th>
            <th>{t("org.accrNumber")}</th>
            <th>{t("base.validity")}</th>
            <th>{t("org.host")}</th>
            <th>{t("org.designatedBy")}</th>
            <th>{t("org.note")}</th>
            <th>{t("org.recordedAt")}</th>
          </tr>
        </thead>
        <tbody>
          {history.map((h) => (
            <tr key={h.id}>
              <td data-label={t("org.effectiveFrom")}>{h.effectiveFrom}</td>
              <td data-label={t("org.accrStatus")}>{t(`accr.${h.status}`)}</td>
              <td data-label={t("org.accrNumber")}>{h.number}</td>
              <td data-label={t("base.validity")}>
                {h.validFrom} – {h.validTo}
              </td>
              <td data-label={t("org.host")}>
                {h.hostName ? (
                  <div>
                    {h.hostName}
                    {h.hostKind ? <div className="muted">{t(`hostKind.${h.hostKind}`)}</div> : null}
                  </div>
                ) : (
                  "—"
                )}
              </td>
              <td data-label={t("org.designatedBy")}>{h.authorityName ?? "—"}</td>
              <td data-label={t("org.note")}>{h.note}</td>
              <td data-label={t("org.recordedAt")}>{shanghaiDateTime(h.recordedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
