import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission, userCan } from "../auth/guard.server";
import { Notice } from "../components/Notice";
import { QualificationSummary } from "../components/QualificationSummary";
import { useT } from "../i18n/use-t";
import { decideQualification, dualCertificateRows, qualificationsAtBase } from "../services/qualifications.server";
import { TableWrap } from "../components/TableWrap";

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
  const form = await request.formData();
  const id = String(form.get("id") ?? "");
  if (!id) throw new Response("Bad Request", { status: 400 });
  const reason = String(form.get("reason") ?? "").slice(0, 200);
  const result = decideQualification(user.id, orgId, id, form.get("verdict") === "verify", reason);
  if (!result.ok) return { id, errors: result.errors };
  throw redirectWithNotice(context, `/bases/${orgId}/qualifications`, "qualification.decided");
}

export default function BaseQualifications() {
  const t = useT();
  const { orgId, canDecide, qualifications, dual } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
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
              {canDecide && q.status === "pending" ? (
                <Form method="post" className="actions">
                  <input type="hidden" name="id" value={q.id} />
                  <SubmitButton name="verdict" value="verify" className="secondary-button">
                    {t("qualification.verify")}
                  </SubmitButton>
                  <input name="reason" aria-label={t("qualification.reason")} placeholder={t("qualification.reason")} maxLength={200} />
                  <SubmitButton name="verdict" value="reject" className="link-button">
                    {t("qualification.reject")}
                  </SubmitButton>
                  {state?.id === q.id && state.errors ? (
                    <span className="error" role="alert">
                      {t(Object.values(state.errors)[0]!)}
                    </span>
                  ) : null}
                </Form>
              ) : null}
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
