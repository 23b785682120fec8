import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { notFound, requirePermission } from "../auth/guard.server";
import { FormError } from "../components/FormError";
import { formatFen } from "../domain/money";
import { useT } from "../i18n/use-t";
import { getOrganisation, today } from "../services/organisations.server";
import { claimableHeads, createClaim, policyByCode } from "../services/subsidies.server";
import { policyReach } from "../services/jurisdictions.server";

function periodOf(params: URLSearchParams, window: { from: string; to: string }) {
  const valid = (s: string | null) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : null);
  return { from: valid(params.get("from")) ?? window.from, to: valid(params.get("to")) ?? (today() < window.to ? today() : window.to) };
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const organisationId = params.get("org") ?? "";
  requirePermission(context, request, "create:claim", { organisationId });
  const policy = policyByCode(params.get("policy") ?? "");
  // A base sees only the policies that reach it.
  if (!policy || !policyReach(policy).has(organisationId)) throw notFound();
  const period = periodOf(params, policy.window);
  const { eligible, ineligible } = claimableHeads(policy, organisationId, period);
  return { policy, organisationId, baseName: getOrganisation(organisationId)?.name ?? "", period, eligible, ineligible };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const form = await request.formData();
  const organisationId = String(form.get("org") ?? "");
  const user = requirePermission(context, request, "create:claim", { organisationId });
  const result = createClaim(user.id, String(form.get("policy")), organisationId, { from: String(form.get("from")), to: String(form.get("to")) }, form.getAll("certificateId").map(String));
  if (!result.ok) return { errors: { _form: result.reason }, names: result.names ?? "" };
  throw redirect(`/finance/claims/${result.id}?notice=claim.created`);
}

export default function NewClaim() {
  const t = useT();
  const { policy, organisationId, baseName, period, eligible, ineligible } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const claimable = eligible.filter((h) => !h.beyondCap);
  return (
    <>
      <h1>
        {t("finance.newClaim")} · {policy.title}
      </h1>
      <p className="muted">{baseName}</p>
      <Form method="get" className="row card">
        <input type="hidden" name="policy" value={policy.code} />
        <input type="hidden" name="org" value={organisationId} />
        <div className="field">
          <label htmlFor="from">{t("claim.periodFrom")}</label>
          <input id="from" name="from" type="date" defaultValue={period.from} />
        </div>
        <div className="field">
          <label htmlFor="to">{t("claim.periodTo")}</label>
          <input id="to" name="to" type="date" defaultValue={period.to} />
        </div>
        <button type="submit" className="secondary">
          {t("claim.preview")}
        </button>
      </Form>
      <Form method="post" className="card">
        <input type="hidden" name="policy" value={policy.code} />
        <input type="hidden" name="org" value={organisationId} />
        <input type="hidden" name="from" value={period.from} />
        <input type="hidden" name="to" value={period.to} />
        <FormError state={state} params={{ names: state?.names ?? "" }} />
        <div className="table-wrap">
          <table data-testid="claimable-heads" className="cards">
            <thead>
              <tr>
                <th />
                <th>{t("user.name")}</th>
                <th>{t("user.idNumber")}</th>
                <th>{t("cohort.program")}</th>
                <th>{t("certificate.serial")}</th>
                <th>{t("progress.completedAt")}</th>
                <th className="num">{t("claim.amount")}</th>
              </tr>
            </thead>
            <tbody>
              {eligible.map((h) => (
                <tr key={h.certificateId}>
                  <td>
                    <input type="checkbox" name="certificateId" value={h.certificateId} defaultChecked={!h.beyondCap} disabled={h.beyondCap} aria-label={h.holderName} />
                  </td>
                  <td data-label={t("user.name")}>
                    <div>
                      {h.holderName}
                      {h.beyondCap ? <div className="error-text">{t("claim.beyondCapFlag")}</div> : h.beyondTarget ? <div className="flag">{t("claim.beyondTargetFlag")}</div> : null}
                    </div>
                  </td>
                  <td data-label={t("user.idNumber")}>{h.idMasked}</td>
                  <td data-label={t("cohort.program")}>{h.programTitle}</td>
                  <td data-label={t("certificate.serial")}>{h.serial}</td>
                  <td data-label={t("progress.completedAt")}>{h.completionDate}</td>
                  <td className="num" data-label={t("claim.amount")}>
                    {formatFen(h.amountFen)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p>
          <button type="submit" className="primary" disabled={claimable.length === 0}>
            {t("claim.create", { n: claimable.length })}
          </button>
        </p>
      </Form>
      {ineligible.length ? (
        <section className="card">
          <h2>{t("claim.ineligibleTitle")}</h2>
          <ul data-testid="ineligible-heads">
            {ineligible.map((h) => (
              <li key={h.certificateId}>
                {h.holderName} · {h.serial}：{h.reasons.map((r) => t(`claim.reason.${r}`)).join("；")}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
