import type { TitledHandle } from "../route-handle";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Fragment } from "react";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import * as z from "zod";
import type { CertificateStatus } from "../domain/certificate";
import { shanghaiDate } from "../domain/dates";
import { Field } from "../components/form-controls";
import { encodeMessage } from "../forms/messages";
import { parseSubmission, replyRefused, type FormReply } from "../forms/submission";
import { replyFor, useFormMessage, useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { requireCohort } from "../auth/access.server";
import { cohortHasEnded } from "../domain/certificate";
import { cohortCertificates, issueCertificate, issueForCohort } from "../services/certificates.server";
import type { Refusal } from "../services/result";
import { optionalText } from "../validation/fields";
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

/** Issuing every missing certificate: before the cohort ends, with the reason for finishing early. */
const issueAllSchema = z.object({ earlyReason: optionalText(200) });
/** Issuing one trainee's certificate, from their row. */
const issueOneSchema = z.object({ enrolmentId: z.string().default(""), earlyReason: optionalText(200) });

/** Whose certificate was not issued, and why (a message with the values it names). */
type Refused = { name: string; message: string };
const refusedAs = (name: string, refusal: Refusal): Refused => ({
  name,
  message: encodeMessage(refusal.errors._form!, refusal.params?._form),
});

type ActionResult =
  | { intent: "all"; reply: FormReply; issued?: number; refused: Refused[] }
  | { intent: "one"; enrolmentId: string; reply: FormReply; refused: Refused[] };

export async function action({ context, request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const { user, cohort } = requireCohort(context, request, params, "issue:certificate");
  const formData = await request.formData();
  if (formData.get("intent") === "all") {
    const submission = parseSubmission(formData, issueAllSchema);
    if (submission.status !== "success") return { intent: "all", reply: submission.reply(), refused: [] };
    const batch = await issueForCohort(user.id, cohort.id, today(), submission.value.earlyReason);
    return {
      intent: "all",
      reply: submission.reply(),
      issued: batch.issued,
      refused: batch.refused.map((r) => refusedAs(r.name, r.refusal)),
    };
  }
  const submission = parseSubmission(formData, issueOneSchema);
  const enrolmentId = submission.status === "success" ? submission.value.enrolmentId : "";
  const row = cohortCertificates(cohort.id).find((r) => r.enrolmentId === enrolmentId);
  if (!row || submission.status !== "success") throw new Response("Not Found", { status: 404 });
  const result = await issueCertificate(user.id, enrolmentId, today(), submission.value.earlyReason);
  if (!result.ok) return { intent: "one", enrolmentId, reply: replyRefused(submission, result), refused: [refusedAs(row.name, result)] };
  return { intent: "one", enrolmentId, reply: submission.reply(), refused: [] };
}

/** Each status its own look: only a valid certificate is green. */
const STATUS_BADGE: Record<CertificateStatus, string> = {
  valid: "accredited",
  expired: "expired",
  revoked: "revoked",
  superseded: "superseded",
};

/** A row's button: issue this trainee's certificate. */
function IssueOne({ enrolmentId, reply }: { enrolmentId: string; reply?: FormReply }) {
  const t = useT();
  const busy = useNavigation().state === "submitting";
  const [form] = useSchemaForm(issueOneSchema, { id: `issue-${enrolmentId}`, lastResult: reply });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="enrolmentId" value={enrolmentId} />
      <SubmitButton className="secondary" disabled={busy}>
        {t("certificate.issueOne")}
      </SubmitButton>
    </Form>
  );
}

export default function CohortCertificates() {
  const t = useT();
  const message = useFormMessage();
  const { rows, accredited, ended, cohortEnd } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [all, fields] = useSchemaForm(issueAllSchema, { id: "issue-all", lastResult: replyFor(result, "all") });
  const missing = rows.filter((r) => !r.current).length;
  const refused = result?.refused ?? [];
  return (
    <section className="card">
      <h2>{t("certificate.issueTitle")}</h2>
      {!accredited ? <p className="form-error">{t("certificate.baseNotAccredited")}</p> : null}
      {result?.intent === "all" && result.issued !== undefined ? (
        <p className="flash" data-testid="batch-result">
          {t("certificate.batchIssued", { n: result.issued })}
        </p>
      ) : null}
      {refused.length ? (
        <ul className="form-error" role="alert">
          {refused.map((r, i) => (
            <li key={i}>
              {r.name}：{message(r.message)}
            </li>
          ))}
        </ul>
      ) : null}
      {rows.length === 0 ? <p className="muted">{t("certificate.noneCompleted")}</p> : null}
      {missing > 0 && accredited ? (
        <Form method="post" {...getFormProps(all)}>
          <input type="hidden" name="intent" value="all" />
          {!ended ? (
            <>
              <p className="muted">{t("certificate.notEndedNote", { end: cohortEnd })}</p>
              <Field meta={fields.earlyReason} label={t("certificate.earlyReason")} />
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
                      <IssueOne
                        enrolmentId={r.enrolmentId}
                        reply={result?.intent === "one" && result.enrolmentId === r.enrolmentId ? result.reply : undefined}
                      />
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
