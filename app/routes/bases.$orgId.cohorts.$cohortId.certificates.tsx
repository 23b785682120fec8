import type { TitledHandle } from "../route-handle";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Fragment } from "react";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { CertificateStatus } from "../domain/certificate";
import { shanghaiDate } from "../domain/dates";
import { useT } from "../i18n/use-t";
import type { MessageKey } from "../i18n/messages";
import { requireCohort } from "../auth/access.server";
import { cohortHasEnded } from "../domain/certificate";
import { cohortCertificates, issueCertificate, issueForCohort, type BatchResult } from "../services/certificates.server";
import { cohortCertificateRows } from "../services/cohort-certificate-rows.server";
import { accreditationOn } from "../services/organisations.server";
import { today } from "../services/clock.server";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "cohort.tab.certificates" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { cohort } = requireCohort(context, request, params, "issue:certificate");
  return {
    rows: cohortCertificateRows(cohort.id),
    accredited: accreditationOn(cohort.organisationId, today()).status === "accredited",
    // Before the cohort ends, issuing needs a reason for finishing early.
    ended: cohortHasEnded(cohort.endDate, today()),
    cohortEnd: cohort.endDate,
  };
}

type ActionResult = { batch: BatchResult } | { single: { name: string; reason: MessageKey; char?: string } | null };

export async function action({ context, request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const { user, cohort } = requireCohort(context, request, params, "issue:certificate");
  const formData = await request.formData();
  const earlyReason = String(formData.get("earlyReason") ?? "");
  if (formData.get("intent") === "all") return { batch: await issueForCohort(user.id, cohort.id, today(), earlyReason) };
  const enrolmentId = String(formData.get("enrolmentId"));
  const row = cohortCertificates(cohort.id).find((r) => r.enrolmentId === enrolmentId);
  if (!row) throw new Response("Not Found", { status: 404 });
  const result = await issueCertificate(user.id, enrolmentId, today(), earlyReason);
  return { single: result.ok ? null : { name: row.name, reason: result.reason, char: result.char } };
}

/** Each status its own look: only a valid certificate is green. */
const STATUS_BADGE: Record<CertificateStatus, string> = {
  valid: "accredited",
  expired: "expired",
  revoked: "revoked",
  superseded: "superseded",
};

export default function CohortCertificates() {
  const t = useT();
  const { rows, accredited, ended, cohortEnd } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const missing = rows.filter((r) => !r.current).length;
  const refused = result && "batch" in result ? result.batch.refused : result && "single" in result && result.single ? [result.single] : [];
  return (
    <section className="card">
      <h2>{t("certificate.issueTitle")}</h2>
      {!accredited ? <p className="form-error">{t("certificate.baseNotAccredited")}</p> : null}
      {result && "batch" in result ? (
        <p className="flash" data-testid="batch-result">
          {t("certificate.batchIssued", { n: result.batch.issued })}
        </p>
      ) : null}
      {refused.length ? (
        <ul className="form-error" role="alert">
          {refused.map((r, i) => (
            <li key={i}>
              {r.name}：{t(r.reason, { char: r.char ?? "" })}
            </li>
          ))}
        </ul>
      ) : null}
      {rows.length === 0 ? <p className="muted">{t("certificate.noneCompleted")}</p> : null}
      {missing > 0 && accredited ? (
        <Form method="post">
          <input type="hidden" name="intent" value="all" />
          {!ended ? (
            <>
              <p className="muted">{t("certificate.notEndedNote", { end: cohortEnd })}</p>
              <label className="field">
                <span>{t("certificate.earlyReason")}</span>
                <input name="earlyReason" maxLength={200} />
              </label>
            </>
          ) : null}
          <SubmitButton className="primary" disabled={busy}>
            {t("certificate.issueAll", { n: missing })}
          </SubmitButton>
        </Form>
      ) : null}
      <TableWrap>
        <table data-testid="cohort-certificates">
          <thead>
            <tr>
              <th>{t("user.name")}</th>
              <th>{t("progress.completedAt")}</th>
              <th>{t("certificate.serial")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <Fragment key={r.enrolmentId}>
                <tr data-status={r.current?.status ?? "none"}>
                  <td>{r.name}</td>
                  <td>{r.completedAt ? shanghaiDate(r.completedAt) : null}</td>
                  <td>
                    {r.current ? (
                      <>
                        <Link
                          to={`/certificates/${r.current.id}`}
                          className={r.current.status === "revoked" ? "serial-revoked" : undefined}
                        >
                          {r.current.serial}
                        </Link>{" "}
                        <span className={`badge ${STATUS_BADGE[r.current.status]}`} data-testid="certificate-status">
                          {t(`certificate.status.${r.current.status}`)}
                        </span>
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>
                    {!r.current && accredited ? (
                      <Form method="post">
                        <input type="hidden" name="enrolmentId" value={r.enrolmentId} />
                        <SubmitButton className="secondary" disabled={busy}>
                          {t("certificate.issueOne")}
                        </SubmitButton>
                      </Form>
                    ) : null}
                  </td>
                </tr>
                {r.earlier.map((e) => (
                  <tr key={e.id} className="superseded" data-status="superseded">
                    <td>
                      <span className="muted">↳ {t("certificate.earlier")}</span>
                    </td>
                    <td />
                    <td>
                      <Link to={`/certificates/${e.id}`}>{e.serial}</Link>{" "}
                      <span className="badge superseded" data-testid="certificate-status">
                        {t("certificate.status.superseded")}
                      </span>
                      {e.replacedBy ? <div className="muted">{t("certificate.supersededBy", { serial: e.replacedBy })}</div> : null}
                    </td>
                    <td />
                  </tr>
                ))}
              </Fragment>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}
