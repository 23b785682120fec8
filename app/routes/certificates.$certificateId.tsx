import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import * as z from "zod";
import { idViewer } from "../auth/current-user.server";
import { forbidden, userCan } from "../auth/guard.server";
import { Field, FormMessages, SelectField, type FieldMeta } from "../components/form-controls";
import { Notice } from "../components/Notice";
import { parseSubmission, replyRefused, type FormReply } from "../forms/submission";
import { replyFor, useFormMessage, useSchemaForm } from "../forms/use-schema-form";
import { REVOCATION_REASONS } from "../domain/certificate";
import { residentIdFor } from "../domain/resident-id";
import { shanghaiDate } from "../domain/dates";
import { useT } from "../i18n/use-t";
import { requireCertificate } from "../auth/certificate-access.server";
import { getCertificate, reissueCertificate, revokeCertificate, statusOf, verifyUrl } from "../services/certificates.server";
import { requiredText } from "../validation/fields";

export const handle: TitledHandle = { title: "certificate.register" };

/** Revoking cannot be undone, so the form must carry the ticked confirmation; without it nothing changes. */
const revokeSchema = z.object({
  reason: z.enum(REVOCATION_REASONS, { message: "error.choose" }),
  note: requiredText(300),
  confirm: z.literal("yes", { message: "certificate.revokeConfirmRequired" }),
});
const reissueSchema = z.object({ note: requiredText(300) });

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, certificate: c } = requireCertificate(context, request, params.certificateId, "view:base");
  const target = { organisationId: c.organisationId };
  const successor = c.supersededById ? getCertificate(c.supersededById) : null;
  return {
    c: { ...c, holderIdNumber: residentIdFor(idViewer(user), c.userId, c.holderIdNumber), payload: undefined, signature: undefined },
    status: statusOf(c),
    verifyUrl: verifyUrl(c),
    successor: successor ? { id: successor.id, serial: successor.serial } : null,
    can: { revoke: userCan(user, "revoke:certificate", target), reissue: userCan(user, "issue:certificate", target) },
  };
}

export async function action({ context, request, params }: ActionFunctionArgs): Promise<{ intent: string; reply: FormReply }> {
  const formData = await request.formData();
  const intent = String(formData.get("intent"));
  const needed = intent === "revoke" ? "revoke:certificate" : "issue:certificate";
  const { user, certificate: c } = requireCertificate(context, request, params.certificateId, needed);
  if (intent === "revoke") {
    const submission = parseSubmission(formData, revokeSchema);
    if (submission.status !== "success") return { intent, reply: submission.reply() };
    const result = revokeCertificate(user.id, c.id, submission.value.reason, submission.value.note);
    if (!result.ok) return { intent, reply: replyRefused(submission, result) };
    throw redirectWithNotice(context, `/certificates/${c.id}`, "certificate.revokedNotice");
  }
  if (intent === "reissue") {
    const submission = parseSubmission(formData, reissueSchema);
    if (submission.status !== "success") return { intent, reply: submission.reply() };
    const result = await reissueCertificate(user.id, c.id, submission.value.note);
    if (!result.ok) return { intent, reply: replyRefused(submission, result) };
    throw redirectWithNotice(context, `/certificates/${result.value}`, "certificate.reissuedNotice");
  }
  throw forbidden();
}

export default function CertificatePage() {
  const t = useT();
  const { c, status, verifyUrl, successor, can } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [reissue, reissueFields] = useSchemaForm(reissueSchema, { id: "reissue", lastResult: replyFor(result, "reissue") });
  const [revoke, revokeFields] = useSchemaForm(revokeSchema, { id: "revoke", lastResult: replyFor(result, "revoke") });
  // An expired certificate can still be revoked, but not reissued: a reissue never renews.
  const open = status === "valid" || status === "expired";
  const reissuable = status === "valid";
  return (
    <>
      <p>
        <Link to={`/certificates?org=${c.organisationId}`}>← {t("certificate.register")}</Link>
      </p>
      <h1>
        {c.certificateTitle}{" "}
        <span className={`badge ${status === "valid" ? "accredited" : "suspended"}`} data-testid="certificate-status">
          {t(`certificate.status.${status}`)}
        </span>
      </h1>
      <Notice />
      <section className="card">
        <dl className="facts">
          <dt>{t("certificate.serial")}</dt>
          <dd>{c.serial}</dd>
          <dt>{t("user.name")}</dt>
          <dd>{c.holderName}</dd>
          <dt>{t("user.idNumber")}</dt>
          <dd>{c.holderIdNumber ?? "—"}</dd>
          <dt>{t("cohort.program")}</dt>
          <dd>
            {c.programTitle} v{c.programVersion}
          </dd>
          <dt>{t("base.title")}</dt>
          <dd>{c.organisationName}</dd>
          <dt>{t("certificate.hours")}</dt>
          <dd>{t("certificate.hoursValue", { theory: c.theoryHours, practice: c.practiceHours })}</dd>
          <dt>{t("progress.completedAt")}</dt>
          <dd>{c.completionDate}</dd>
          <dt>{t("certificate.issueDate")}</dt>
          <dd>{c.issueDate}</dd>
          <dt>{t("certificate.expiryDate")}</dt>
          <dd>{c.expiryDate ?? t("certificate.noExpiry")}</dd>
          <dt>{t("certificate.verifyAt")}</dt>
          <dd>
            <a href={verifyUrl}>{verifyUrl}</a>
          </dd>
          {c.revokedAt ? (
            <>
              <dt>{t("certificate.revokedOn")}</dt>
              <dd>
                {shanghaiDate(c.revokedAt)} · {t(`certificate.reason.${c.revokedReason as "other"}`)} · {c.revokedNote}
              </dd>
            </>
          ) : null}
          {successor ? (
            <>
              <dt>{t("certificate.replacedBy")}</dt>
              <dd>
                <Link to={`/certificates/${successor.id}`}>{successor.serial}</Link>
              </dd>
            </>
          ) : null}
          {c.reissueReason ? (
            <>
              <dt>{t("certificate.reissueReason")}</dt>
              <dd>{c.reissueReason}</dd>
            </>
          ) : null}
        </dl>
        <p>
          <a className="button" href={`/certificates/${c.id}/pdf`}>
            {t("certificate.downloadPdf")}
          </a>{" "}
          <a className="button secondary-button" href={`/certificates/${c.id}/credential`} download title={t("certificate.badgeHelp")}>
            {t("certificate.downloadBadge")}
          </a>
        </p>
      </section>
      {reissuable && can.reissue ? (
        <section className="card">
          <h2>{t("certificate.reissue")}</h2>
          <p className="muted">
            {t("certificate.reissueHelp")}
            {c.expiryDate ? t("certificate.reissueKeepsExpiry") : null}
          </p>
          <Form method="post" className="stack" {...getFormProps(reissue)}>
            <input type="hidden" name="intent" value="reissue" />
            <FormMessages errors={reissue.errors} />
            <Field meta={reissueFields.note} label={t("certificate.reissueReason")} />
            <div>
              <SubmitButton className="secondary">{t("certificate.reissue")}</SubmitButton>
            </div>
          </Form>
        </section>
      ) : null}
      {status === "expired" && can.reissue ? (
        <p className="muted" data-testid="no-reissue">
          {t("certificate.expiredNoReissue")}
        </p>
      ) : null}
      {open && can.revoke ? (
        <section className="card">
          <h2>{t("certificate.revoke")}</h2>
          <Form method="post" className="stack" {...getFormProps(revoke)}>
            <input type="hidden" name="intent" value="revoke" />
            <FormMessages errors={revoke.errors} />
            <SelectField
              meta={revokeFields.reason}
              label={t("certificate.revokeReason")}
              placeholder=""
              options={REVOCATION_REASONS.map((r) => ({ value: r, label: t(`certificate.reason.${r}`) }))}
            />
            <Field meta={revokeFields.note} label={t("certificate.revokeNote")} />
            <RevokeConfirm meta={revokeFields.confirm} />
            <div>
              <SubmitButton className="danger">{t("certificate.revoke")}</SubmitButton>
            </div>
          </Form>
        </section>
      ) : null}
    </>
  );
}

/** The required tick before revoking, with the refusal shown beside it. It is never ticked again for the registrar after a refusal. */
function RevokeConfirm({ meta }: { meta: FieldMeta }) {
  const t = useT();
  const error = useFormMessage()(meta.errors?.[0]);
  return (
    <div className="field">
      <label className="confirm-check">
        <input
          type="checkbox"
          name={meta.name}
          value="yes"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "revoke-confirm-error" : undefined}
        />
        <span>{t("certificate.revokeConfirm")}</span>
      </label>
      {error ? (
        <span className="error" id="revoke-confirm-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
