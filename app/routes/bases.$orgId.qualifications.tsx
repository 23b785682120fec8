import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { requirePermission, userCan } from "../auth/guard.server";
import { FieldError, FormMessages } from "../components/form-controls";
import { Notice } from "../components/Notice";
import { QualificationSummary } from "../components/QualificationSummary";
import { parseSubmission, replyRefused, type FormReply } from "../forms/submission";
import { replyFor, useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { decideQualification, dualCertificateRows, qualificationsAtBase } from "../services/qualifications.server";
import { TableWrap } from "../components/TableWrap";
import { qualificationDecisionSchema } from "../validation/qualifications";

export const handle: TitledHandle = { title: "qualification.baseTitle" };

/** The base's trainees' qualifications from elsewhere: its registrar checks them against the originals, and the 双证 list follows. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId!;
  const user = requirePermission(context, request, "view:base", { organisationId: orgId });
  return {
    orgId,
    canDecide: userCan(user, "manage:cohort", { organisationId: orgId }),
    qualifications: qualificationsAtBase(orgId).map(
      ({ id, name, kind, number, issuer, issuedOn, validUntil, status, rejectionReason }) => ({
        id,
        name,
        kind,
        number,
        issuer,
        issuedOn,
        validUntil,
        status,
        rejectionReason,
      }),
    ),
    dual: dualCertificateRows(orgId),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const orgId = params.orgId!;
  const user = requirePermission(context, request, "manage:cohort", { organisationId: orgId });
  const formData = await request.formData();
  // Which qualification's form was sent: its answer goes back to that form.
  const id = String(formData.get("id") ?? "");
  if (!id) throw new Response("Bad Request", { status: 400 });
  const submission = parseSubmission(formData, qualificationDecisionSchema);
  if (submission.status !== "success") return { intent: id, reply: submission.reply() };
  const result = decideQualification(user.id, orgId, id, submission.value.verdict === "verify", submission.value.reason);
  if (!result.ok) return { intent: id, reply: replyRefused(submission, result) };
  throw redirectWithNotice(context, `/bases/${orgId}/qualifications`, "qualification.decided");
}

/** The registrar's verdict on one qualification: verified, or refused with the reason. */
function Decision({ id, lastResult }: { id: string; lastResult?: FormReply }) {
  const t = useT();
  const [form, fields] = useSchemaForm(qualificationDecisionSchema, { id: `decide-${id}`, lastResult });
  const reason = fields.reason;
  return (
    <Form method="post" className="actions" {...getFormProps(form)}>
      <input type="hidden" name="id" value={id} />
      <SubmitButton name="verdict" value="verify" className="secondary-button">
        {t("qualification.verify")}
      </SubmitButton>
      <input
        key={reason.key}
        id={reason.id}
        name={reason.name}
        defaultValue={typeof reason.initialValue === "string" ? reason.initialValue : ""}
        aria-label={t("qualification.reason")}
        aria-invalid={reason.errors?.length ? true : undefined}
        aria-describedby={reason.errors?.length ? reason.errorId : undefined}
        placeholder={t("qualification.reason")}
        maxLength={200}
      />
      <SubmitButton name="verdict" value="reject" className="link-button">
        {t("qualification.reject")}
      </SubmitButton>
      <FieldError meta={reason} />
      <FormMessages errors={form.errors} />
    </Form>
  );
}

export default function BaseQualifications() {
  const t = useT();
  const { orgId, canDecide, qualifications, dual } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to={`/bases/${orgId}`}>← {t("nav.base")}</Link>
      </p>
      <h1>{t("qualification.baseTitle")}</h1>
      <Notice />
      <section className="card">
        {qualifications.length === 0 ? <p className="muted">{t("qualification.none")}</p> : null}
        <ul className="plain-list" data-testid="base-qualifications">
          {qualifications.map((q) => (
            <li key={q.id} data-person={q.name}>
              <QualificationSummary q={q} holder={q.name} />
              {canDecide && q.status === "pending" ? <Decision id={q.id} lastResult={replyFor(data, q.id)} /> : null}
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <h2>{t("qualification.dualTitle")}</h2>
        <p className="muted">{t("qualification.dualHint")}</p>
        <TableWrap>
          <table data-testid="dual-certificate">
            <tbody>
              {dual.map((d) => (
                <tr key={d.userId}>
                  <td>{d.name}</td>
                  <td>
                    {d.qualifies ? (
                      <span className="badge accredited">{t("qualification.qualifies")}</span>
                    ) : (
                      d.reasons.map((r) => t(`qualification.dual.${r}`)).join("；")
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </>
  );
}
