import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { notFound, requirePermission } from "../auth/guard.server";
import { getFormProps } from "@conform-to/react";
import { FormMessages } from "../components/form-controls";
import { isCalendarDate } from "../domain/dates";
import { parseSubmission, replyRefused } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
import { newClaimSchema } from "../validation/subsidy";
import { formatFen } from "../domain/money";
import { useT } from "../i18n/use-t";
import { getOrganisation } from "../services/organisations.server";
import { today } from "../services/clock.server";
import { createClaim } from "../services/subsidy/claim-steps.server";
import { claimableSubjects, policyReachesOrganisation } from "../services/subsidy/claim-subjects.server";
import { payingPolicyByCode } from "../content/policies.server";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "subsidy.newClaim" };

function periodOf(params: URLSearchParams, window: { from: string; to: string }) {
  const valid = (s: string | null) => (s && isCalendarDate(s) ? s : null);
  return { from: valid(params.get("from")) ?? window.from, to: valid(params.get("to")) ?? (today() < window.to ? today() : window.to) };
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const organisationId = params.get("org") ?? "";
  requirePermission(context, request, "create:claim", { organisationId });
  const policy = payingPolicyByCode(params.get("policy") ?? "");
  // An organisation sees only the policies that reach it.
  if (!policy || !policyReachesOrganisation(policy, organisationId)) throw notFound();
  const period = periodOf(params, policy.window);
  const { eligible, ineligible } = claimableSubjects(policy, organisationId, period);
  return {
    policy: { code: policy.code, title: policy.title },
    kind: policy.kind,
    organisationId,
    baseName: getOrganisation(organisationId)?.name ?? "",
    period,
    eligible,
    ineligible,
  };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseSubmission(formData, newClaimSchema);
  // The organisation decides who may draft: checked before anything else is read.
  const user = requirePermission(context, request, "create:claim", { organisationId: String(formData.get("org") ?? "") });
  if (submission.status !== "success") return submission.reply();
  const { policy, org, from, to, subject } = submission.value;
  const result = createClaim(user.id, policy, org, { from, to }, subject);
  if (!result.ok) return replyRefused(submission, result);
  throw redirectWithNotice(context, `/subsidy/claims/${result.value}`, "claim.created");
}

export default function NewClaim() {
  const t = useT();
  const { policy, kind, organisationId, baseName, period, eligible, ineligible } = useLoaderData<typeof loader>();
  const [form] = useSchemaForm(newClaimSchema, { lastResult: useActionData<typeof action>() });
  const claimable = eligible.filter((h) => !h.beyondCap);
  // Awards and cohort grants pay an organisation: there is no person's ID number to show.
  const people = kind === "per_head" || kind === "dual_certificate";
  return (
    <>
      <h1>
        {t("subsidy.newClaim")} · {policy.title}
      </h1>
      <p className="muted">{baseName}</p>
      <Form method="get" className="row card">
        <input type="hidden" name="policy" value={policy.code} />
        <input type="hidden" name="org" value={organisationId} />
        <div className="field">
          <label htmlFor="from">{t("claim.periodFrom", { date: t(`claim.col.${kind}.date`) })}</label>
          <input id="from" name="from" type="date" defaultValue={period.from} />
        </div>
        <div className="field">
          <label htmlFor="to">{t("claim.periodTo", { date: t(`claim.col.${kind}.date`) })}</label>
          <input id="to" name="to" type="date" defaultValue={period.to} />
        </div>
        <SubmitButton className="secondary">{t("claim.preview")}</SubmitButton>
      </Form>
      <Form method="post" className="card" {...getFormProps(form)}>
        <input type="hidden" name="policy" value={policy.code} />
        <input type="hidden" name="org" value={organisationId} />
        <input type="hidden" name="from" value={period.from} />
        <input type="hidden" name="to" value={period.to} />
        <FormMessages errors={form.errors} />
        <TableWrap>
          <table data-testid="claimable-heads" className="cards">
            <thead>
              <tr>
                <th />
                <th>{t(`claim.col.${kind}.name`)}</th>
                {people ? <th>{t("user.idNumber")}</th> : null}
                <th>{t(`claim.col.${kind}.what`)}</th>
                <th>{t(`claim.col.${kind}.reference`)}</th>
                <th>{t(`claim.col.${kind}.date`)}</th>
                <th className="num">{t("claim.amount")}</th>
              </tr>
            </thead>
            <tbody>
              {eligible.map((h) => (
                <tr key={h.key}>
                  <td>
                    <input
                      type="checkbox"
                      name="subject"
                      value={h.key}
                      defaultChecked={!h.beyondCap}
                      disabled={h.beyondCap}
                      aria-label={h.name}
                    />
                  </td>
                  <td data-label={t(`claim.col.${kind}.name`)}>
                    <div>
                      {h.name}
                      {h.beyondCap ? (
                        <div className="error-text">{t("claim.beyondCapFlag")}</div>
                      ) : h.beyondTarget ? (
                        <div className="flag">{t("claim.beyondTargetFlag")}</div>
                      ) : null}
                    </div>
                  </td>
                  {people ? <td data-label={t("user.idNumber")}>{h.idNumber}</td> : null}
                  <td data-label={t(`claim.col.${kind}.what`)}>{h.what}</td>
                  <td data-label={t(`claim.col.${kind}.reference`)}>{h.reference}</td>
                  <td data-label={t(`claim.col.${kind}.date`)}>{h.date}</td>
                  <td className="num" data-label={t("claim.amount")}>
                    {formatFen(h.amountFen)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        <p>
          <SubmitButton className="primary" disabled={claimable.length === 0}>
            {t("claim.create", { count: t(`claim.count.${kind}`, { n: claimable.length }) })}
          </SubmitButton>
        </p>
      </Form>
      {ineligible.length ? (
        <section className="card">
          <h2>{t("claim.ineligibleTitle")}</h2>
          <ul data-testid="ineligible-heads">
            {ineligible.map((h) => (
              <li key={h.key}>
                {h.name}
                {h.reference ? ` · ${h.reference}` : ""}：{h.reasons.map((r) => t(r)).join("；")}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
