import type { TitledHandle } from "../route-handle";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/guard.server";
import { ProgressBar } from "../components/ProgressBar";
import { shanghaiDate } from "../domain/dates";
import { missingLines } from "../i18n/missing-text";
import { useT } from "../i18n/use-t";
import { enrolmentsOfUser } from "../services/learning.server";
import { certificatesOfUser, statusOf, verifyUrl } from "../services/certificates.server";
import { CertificateStatusBadge } from "../components/CertificateStatusBadge";
import { expiringSoon } from "../domain/certificate";
import { refresherOf } from "../content/programs.server";
import { today } from "../services/clock.server";
import { CopyLink } from "../components/CopyLink";

export const handle: TitledHandle = { title: "learning.title" };

export async function loader({ context, request }: LoaderFunctionArgs) {
  const me = requirePermission(context, request, "view:learning", { ownerUserId: context.user?.id });
  return {
    enrolments: enrolmentsOfUser(me.id),
    certificates: certificatesOfUser(me.id).map((c) => {
      const soon = expiringSoon(c, today());
      return {
        id: c.id,
        title: c.certificateTitle,
        serial: c.serial,
        issueDate: c.issueDate,
        expiryDate: c.expiryDate,
        status: statusOf(c),
        verifyUrl: verifyUrl(c),
        expiringSoon: soon,
        renewed: !!c.renewedById,
        refresher: soon ? (refresherOf(c.programCode)?.rules.title ?? null) : null,
      };
    }),
  };
}

export default function MyProgrammes() {
  const t = useT();
  const { enrolments, certificates } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("learning.title")}</h1>
      <p>
        <Link to="/learn/qualifications">{t("qualification.title")} →</Link>
      </p>
      {certificates.length ? (
        <section className="card" data-testid="my-certificates">
          <h2>{t("certificate.mine")}</h2>
          <ul className="area-list">
            {certificates.map((c) => (
              <li key={c.id}>
                <a href={`/certificates/${c.id}/pdf`} download>
                  <strong>{c.title}</strong> <CertificateStatusBadge status={c.status} expiringSoon={c.expiringSoon} renewed={c.renewed} />
                  <span>
                    {c.serial} · {t("certificate.issueDate")} {c.issueDate}
                    {c.expiryDate ? ` · ${t("certificate.expiryDate")} ${c.expiryDate}` : ""} · {t("certificate.downloadPdf")}
                  </span>
                </a>
                {c.expiringSoon ? (
                  <p className="expiry-hint" data-testid="expiry-hint">
                    {c.refresher
                      ? t("certificate.renewWith", { date: c.expiryDate ?? "", refresher: c.refresher })
                      : t("certificate.renewAsk", { date: c.expiryDate ?? "" })}
                  </p>
                ) : null}
                <span className="certificate-links">
                  <a href={`/certificates/${c.id}/credential`} download title={t("certificate.badgeHelp")}>
                    {t("certificate.downloadBadge")}
                  </a>
                  <CopyLink url={c.verifyUrl} />
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {enrolments.length === 0 ? (
        <section className="card">
          <p className="muted">{t("learning.noEnrolments")}</p>
        </section>
      ) : null}
      {enrolments.map((e) => (
        <section className="card" key={e.id} data-testid="my-programme">
          <h2>
            <Link to={e.id}>{e.programTitle}</Link>
          </h2>
          <p className="muted">
            {e.baseName} · {e.cohortName} · {e.startDate} – {e.endDate}
          </p>
          <ProgressBar percent={e.completion.progress.percent} label={e.programTitle} />
          {e.completedAt ? (
            <p className="status-completed" data-testid="programme-status">
              {t("learning.completedOn", { date: shanghaiDate(e.completedAt) })}
            </p>
          ) : (
            <>
              <p data-testid="programme-status">
                {t("learning.percent", { n: e.completion.progress.percent })} · {t("learning.stillMissing")}
              </p>
              <ul className="missing">
                {missingLines(e.completion.missing, t).map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            </>
          )}
          <p>
            <Link to={e.id} className="button">
              {e.completedAt ? t("learning.review") : t("learning.continue")}
            </Link>
          </p>
        </section>
      ))}
    </>
  );
}
