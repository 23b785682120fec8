import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { forbidden } from "../auth/guard.server";
import { Field } from "../components/Field";
import { FormError } from "../components/FormError";
import { Notice } from "../components/Notice";
import { shanghaiDateTime } from "../domain/dates";
import { capitalAmount, formatFen } from "../domain/money";
import type { MessageKey } from "../i18n/messages";
import { useT } from "../i18n/use-t";
import { requireClaim } from "../auth/claim-access.server";
import {
  decideClaim,
  decideLine,
  markPaid,
  removeLine,
  submitClaim,
  withdrawClaim,
  type StepResult,
} from "../services/subsidy/claim-steps.server";
import { today } from "../services/clock.server";
import { formValues, type FieldErrors } from "../validation/form";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "claim.title" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { detail, can, wholeIds } = requireClaim(context, request, params.claimId, "page");
  return { ...detail, can, wholeIds, today: today() };
}

export async function action({
  context,
  request,
  params,
}: ActionFunctionArgs): Promise<{ intent: string; errors: FieldErrors; values: Record<string, string>; params?: Record<string, string> }> {
  const { user, detail, can } = requireClaim(context, request, params.claimId);
  const form = await request.formData();
  const intent = String(form.get("intent"));
  const values = formValues(form);
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const id = detail.claim.id;
  // Removing or rejecting needs a reason; a payment needs its reference.
  const required = (
    { "remove-line": "reason", withdraw: "reason", reject: "reason", "reject-line": "reason", paid: "reference" } as Record<string, string>
  )[intent];
  if (required && !text(required)) return { intent, errors: { [required]: "error.required" }, values };

  const reviewing = !["remove-line", "submit", "withdraw"].includes(intent);
  if (reviewing ? !can.review : !can.edit) throw forbidden();
  const lineId = Number(form.get("lineId"));
  const run: Record<string, () => StepResult> = {
    "remove-line": () => removeLine(user.id, id, lineId, text("reason")),
    submit: () => submitClaim(user.id, id),
    withdraw: () => withdrawClaim(user.id, id, text("reason")),
    approve: () => decideClaim(user.id, id, true, ""),
    reject: () => decideClaim(user.id, id, false, text("reason")),
    "approve-line": () => decideLine(user.id, id, lineId, true, ""),
    "reject-line": () => decideLine(user.id, id, lineId, false, text("reason")),
    paid: () => markPaid(user.id, id, { paidOn: text("paidOn") || today(), reference: text("reference") }),
  };
  if (!run[intent]) throw new Response("Bad Request", { status: 400 });
  const result = run[intent]();
  if (!result.ok) return { intent, errors: { [result.field ?? "_form"]: result.reason }, values, params: result.params };
  throw redirectWithNotice(context, `/subsidy/claims/${id}`, "common.saved");
}

type ActionState = Awaited<ReturnType<typeof action>>;

/** One step of the claim that needs a reason: the reason field, and the button that takes the step. */
function ReasonForm(props: {
  intent: string;
  label: string;
  submit: string;
  state: ActionState | undefined;
  lineId?: number;
  tone?: "danger" | "secondary";
}) {
  return (
    <Form method="post" className="row">
      <input type="hidden" name="intent" value={props.intent} />
      {props.lineId !== undefined ? <input type="hidden" name="lineId" value={props.lineId} /> : null}
      <Field name="reason" label={props.label} state={props.state} />
      <SubmitButton className={props.tone ?? "danger"}>{props.submit}</SubmitButton>
    </Form>
  );
}

function StepButton({ intent, label }: { intent: string; label: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <SubmitButton className="primary">{label}</SubmitButton>
    </Form>
  );
}

export default function ClaimPage() {
  const t = useT();
  const { claim, policy, kind, organisation, lines, totalSubjects, totalFen, history, can, today, issuer, unconfirmed, wholeIds } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const stateFor = (intent: string) => (result?.intent === intent ? result : undefined);
  const draft = claim.status === "draft";
  const submitted = claim.status === "submitted";
  // Awards and cohort grants pay an organisation: there is no person's ID number to show.
  const people = kind === "per_head" || kind === "dual_certificate";
  return (
    <>
      <p>
        <Link to={`/subsidy?org=${organisation.id}`}>← {t("subsidy.dashboard")}</Link>
      </p>
      <h1>
        {t("claim.title")} · {policy?.title}{" "}
        <span className="badge pending" data-testid="claim-status">
          {t(`claim.status.${claim.status}`)}
        </span>
      </h1>
      <Notice />
      <FormError state={result} params={result?.params} />
      <section className="card">
        <dl className="facts">
          <dt>{t("claim.claimant")}</dt>
          <dd>{organisation.name}</dd>
          <dt>{t("subsidy.source")}</dt>
          <dd>
            《{policy?.source.title}》{policy?.source.section}
          </dd>
          <dt>{t("subsidy.issuer")}</dt>
          <dd data-testid="claim-issuer">{issuer}</dd>
          <dt>{t("claim.period", { date: t(`claim.col.${kind}.date`) })}</dt>
          <dd>
            {claim.periodFrom} – {claim.periodTo}
          </dd>
        </dl>
        <p data-testid="claim-total">
          <strong>
            {t("claim.total", {
              count: t(`claim.count.${kind}`, { n: totalSubjects }),
              amount: formatFen(totalFen),
              capital: capitalAmount(totalFen),
            })}
          </strong>
        </p>
        {unconfirmed ? (
          <p className="flag" data-testid="claim-unconfirmed">
            {t("subsidy.unconfirmed", { authority: issuer })}
          </p>
        ) : null}
        {wholeIds ? <p className="muted">{t("claim.wholeIdsLogged")}</p> : null}
        {claim.rejectionReason && draft ? <p className="form-error">{t("claim.rejectedWith", { reason: claim.rejectionReason })}</p> : null}
        {claim.status === "paid" ? (
          <p className="status-completed">{t("claim.paidWith", { date: claim.paidOn ?? "", ref: claim.paymentReference ?? "" })}</p>
        ) : null}
        <p className="actions">
          <a className="button secondary-button" href={`/subsidy/claims/${claim.id}/form.pdf`}>
            {t("claim.exportPdf")}
          </a>
          <a className="button secondary-button" href={`/subsidy/claims/${claim.id}/roster.xlsx`}>
            {t("claim.exportXlsx")}
          </a>
          <a className="button secondary-button" href={`/subsidy/claims/${claim.id}/roster.csv`}>
            {t("claim.exportCsv")}
          </a>
        </p>
      </section>
      <section className="card">
        <TableWrap>
          <table data-testid="claim-lines" className="cards">
            <thead>
              <tr>
                <th>{t(`claim.col.${kind}.name`)}</th>
                {people ? <th>{t("user.idNumber")}</th> : null}
                <th>{t(`claim.col.${kind}.what`)}</th>
                <th>{t("claim.item")}</th>
                <th>{t(`claim.col.${kind}.reference`)}</th>
                <th>{t(`claim.col.${kind}.date`)}</th>
                <th className="num">{t("claim.amount")}</th>
                <th>{t("progress.status")}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <tr key={l.id} data-line={l.name}>
                  <td data-label={t(`claim.col.${kind}.name`)}>
                    <div>
                      {l.name}
                      {l.beyondTarget ? <div className="flag">{t("claim.beyondTargetFlag")}</div> : null}
                      {l.flagged ? <div className="error-text">{t("claim.revokedFlag")}</div> : null}
                    </div>
                  </td>
                  {people ? (
                    <td data-label={t("user.idNumber")} data-testid="line-id-number">
                      {l.idNumber}
                    </td>
                  ) : null}
                  <td data-label={t(`claim.col.${kind}.what`)}>{l.what}</td>
                  <td data-label={t("claim.item")}>{t(`claim.item.${l.item}`)}</td>
                  <td data-label={t(`claim.col.${kind}.reference`)}>{l.reference}</td>
                  <td data-label={t(`claim.col.${kind}.date`)}>{l.date}</td>
                  <td className="num" data-label={t("claim.amount")}>
                    {formatFen(l.amountFen)}
                  </td>
                  <td data-label={t("progress.status")}>
                    <div>
                      {t(`claim.line.${l.status}`)}
                      {l.reason ? <div className="muted">{l.reason}</div> : null}
                      {draft && can.edit && l.status === "included" ? (
                        <ReasonForm
                          intent="remove-line"
                          lineId={l.id}
                          label={t("claim.removeReason")}
                          submit={t("claim.remove")}
                          tone="secondary"
                          state={stateFor("remove-line")?.values.lineId === String(l.id) ? stateFor("remove-line") : undefined}
                        />
                      ) : null}
                      {submitted && can.review && (l.status === "included" || l.status === "approved") ? (
                        <Form method="post" className="row">
                          <input type="hidden" name="lineId" value={l.id} />
                          <Field
                            name="reason"
                            label={t("claim.lineReason")}
                            state={stateFor("reject-line")?.values.lineId === String(l.id) ? stateFor("reject-line") : undefined}
                          />
                          {l.status === "included" && !l.flagged ? (
                            <SubmitButton name="intent" value="approve-line" className="secondary">
                              {t("claim.approveLine")}
                            </SubmitButton>
                          ) : null}
                          <SubmitButton name="intent" value="reject-line" className="danger">
                            {t("claim.rejectLine")}
                          </SubmitButton>
                        </Form>
                      ) : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        {draft && can.edit ? (
          <>
            <StepButton intent="submit" label={t("claim.submit")} />
            <details>
              <summary>{t("claim.withdraw")}</summary>
              <ReasonForm intent="withdraw" label={t("claim.withdrawReason")} submit={t("claim.withdraw")} state={stateFor("withdraw")} />
            </details>
          </>
        ) : null}
      </section>
      {submitted && can.review ? (
        <section className="card">
          <div className="actions">
            <StepButton intent="approve" label={t("claim.approve")} />
          </div>
          <ReasonForm intent="reject" label={t("claim.rejectReason")} submit={t("claim.reject")} state={stateFor("reject")} />
        </section>
      ) : null}
      {claim.status === "approved" && can.review ? (
        <section className="card">
          <h2>{t("claim.markPaid")}</h2>
          <Form method="post" className="row">
            <input type="hidden" name="intent" value="paid" />
            <Field name="paidOn" type="date" label={t("claim.paidOn")} defaultValue={today} state={stateFor("paid")} />
            <Field name="reference" label={t("claim.paymentReference")} state={stateFor("paid")} />
            <SubmitButton className="primary">{t("claim.markPaid")}</SubmitButton>
          </Form>
        </section>
      ) : null}
      <section className="card">
        <h2>{t("claim.history")}</h2>
        <ol data-testid="claim-history">
          {history.map((h, i) => (
            <li key={i} data-action={h.action}>
              {shanghaiDateTime(h.at)} · {h.actorName ?? t("audit.system")} ·{" "}
              {t(`claim.step.${h.action}` as MessageKey, { n: h.heads ?? 0, count: t(`claim.count.${kind}`, { n: h.heads ?? 0 }) })}
              {h.line ? ` · ${h.line}` : ""}
              {h.payment ? ` · ${h.payment}` : ""}
              {h.reason ? `：${h.reason}` : ""}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
