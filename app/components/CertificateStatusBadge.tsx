import type { CertificateStatus } from "../domain/certificate";
import { useT } from "../i18n/use-t";

/** A certificate's standing in one badge: valid, expiring soon, renewed, expired, revoked or replaced. */
export function CertificateStatusBadge({
  status,
  expiringSoon,
  renewed,
}: {
  status: CertificateStatus;
  expiringSoon: boolean;
  renewed: boolean;
}) {
  const t = useT();
  if (status === "valid" && expiringSoon)
    return (
      <span className="badge expiring" data-status="expiring">
        {t("certificate.expiringSoon")}
      </span>
    );
  return (
    <span className={`badge ${status === "valid" ? "accredited" : "suspended"}`} data-status={status}>
      {t(`certificate.status.${status}`)}
      {renewed ? ` · ${t("certificate.renewedMark")}` : null}
    </span>
  );
}
