import { useT } from "../i18n/use-t";
import type { publicView } from "../services/verification.server";

type View = ReturnType<typeof publicView>;

/** The public face of a certificate on the verification pages. */
export function PublicCertificate({ c, signature }: { c: View; signature?: "valid" | "invalid" | "absent" }) {
  const t = useT();
  return (
    <section className={`card verify-result ${c.status}`} data-testid="verify-result" data-status={c.status}>
      <p className="verify-status">{t(`verify.status.${c.status}`)}</p>
      {c.status === "revoked" ? (
        <p className="error-text">
          {t("verify.revokedOn", { date: c.revokedOn ?? "", reason: t(`certificate.reason.${(c.revokedReason ?? "other") as "other"}`) })}
        </p>
      ) : null}
      {c.status === "superseded" && c.replacedBy ? (
        <p>
          {t("verify.replacedBy")} <a href={`/v/${c.replacedBy}`}>{c.replacedBy}</a>
        </p>
      ) : null}
      {c.renewedBy ? (
        <p data-testid="renewed-by">
          {t("verify.renewedBy")} <a href={`/v/${c.renewedBy.serial}`}>{c.renewedBy.serial}</a>
          {c.renewedBy.expiryDate ? t("verify.renewedUntil", { date: c.renewedBy.expiryDate }) : null}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t("certificate.serial")}</dt>
        <dd>{c.serial}</dd>
        <dt>{t("verify.holder")}</dt>
        <dd>{c.holder}</dd>
        <dt>{t("verify.certificate")}</dt>
        <dd>{c.certificateTitle}</dd>
        <dt>{t("cohort.program")}</dt>
        <dd>
          {c.programTitle}（v{c.programVersion}）
        </dd>
        <dt>{t("certificate.hours")}</dt>
        <dd data-testid="public-hours">{t("certificate.hoursValue", { theory: c.theoryHours, practice: c.practiceHours })}</dd>
        <dt>{t("verify.trainingPeriod")}</dt>
        <dd data-testid="public-period">{t("verify.periodValue", { start: c.cohortStart, end: c.cohortEnd })}</dd>
        <dt>{t("verify.issuer")}</dt>
        <dd>{c.organisationName}</dd>
        <dt>{t("progress.completedAt")}</dt>
        <dd>{c.completionDate}</dd>
        <dt>{t("certificate.issueDate")}</dt>
        <dd>{c.issueDate}</dd>
        <dt>{t("certificate.expiryDate")}</dt>
        <dd>{c.expiryDate ?? t("certificate.noExpiry")}</dd>
        {c.renews ? (
          <>
            <dt>{t("certificate.renews")}</dt>
            <dd data-testid="renews">
              <a href={`/v/${c.renews}`}>{c.renews}</a>
            </dd>
          </>
        ) : null}
      </dl>
      {signature && signature !== "absent" ? (
        <p className={signature === "valid" ? "status-completed" : "error-text"}>{t(`verify.signature.${signature}`)}</p>
      ) : null}
    </section>
  );
}
