import type { TitledHandle } from "../route-handle";
import { holdsSubject } from "../domain/subsidy";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { forbidden } from "../auth/guard.server";
import { getFormProps } from "@conform-to/react";
import type * as z from "zod";
import { Field, FormMessages } from "../components/form-controls";
import { noFields, parseSubmission, replyRefused, type FormReply } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
import type { ServiceResult } from "../services/result";
import { claimReasonSchema, lineDecisionSchema, lineReasonSchema, paymentSchema } from "../validation/subsidy";
import { Notice } from "../components/Notice";
import { shanghaiDateTime } from "../domain/dates";
import { capitalAmount, formatFen } from "../domain/money";
import type { MessageKey } from "../i18n/messages";
import { useT } from "../i18n/use-t";
import { requireClaim } from "../auth/claim-access.server";
import { decideClaim, decideLine, markPaid, removeLine, submitClaim, withdrawClaim } from "../services/subsidy/claim-steps.server";
import { today } from "../services/clock.server";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "claim.title" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { detail, can, wholeIds } = requireClaim(context, request, params.claimId, "page");
  return { ...detail, can, wholeIds, today: today() };
}

/** Each step of a claim is its own small form; the answer says which one (and which line) it is for. */
type StepReply = { intent: string; lineId?: number; reply: FormReply };

export async function action({ context, request, params }: ActionFunctionArgs): Promise<StepReply> {
  const { user, detail, can } = requireClaim(context, request, params.claimId);
  const formData = await request.formData();
  const intent = String(formData.get("intent"));
  const id = detail.claim.id;
  const reviewing = !["remove-line", "submit", "withdraw"].includes(intent);
  if (reviewing ? !can.review : !can.edit) throw forbidden();

  const step = <S extends z.ZodType<unknown, Record<string, unknown>>>(schema: S, run: (value: z.output<S>) => ServiceResult<true>) => {
    const submission = parseSubmission(formData, schema);
    const lineId = Number(formData.get("lineId")) || undefined;
    if (submission.status !== "success") return { intent, lineId, reply: submission.reply() };
    const result = run(submission.value);
    if (!result.ok) return { intent, lineId, reply: replyRefused(submission, result) };
    throw redirectWithNotice(context, `/subsidy/claims/${id}`, "common.saved");
  };

  switch (intent) {
    case "remove-line":
      return step(lineReasonSchema, (v) => removeLine(user.id, id, v.lineId, v.reason));
    case "submit":
      return step(noFields, () => submitClaim(user.id, id));
    case "withdraw":
      return step(claimReasonSchema, (v) => withdrawClaim(user.id, id, v.reason));
    case "approve":
      return step(noFields, () => decideClaim(user.id, id, true, ""));
    case "reject":
      return step(claimReasonSchema, (v) => decideClaim(user.id, id, false, v.reason));
    case "approve-line":
      return step(lineDecisionSchema, (v) => decideLine(user.id, id, v.lineId, true, ""));
    case "reject-line":
      return step(lineReasonSchema, (v) => decideLine(user.id, id, v.lineId, false, v.reason));
    case "paid":
      return step(paymentSchema, (v) => markPaid(user.id, id, { paidOn: v.paidOn || today(), reference: v.reference }));
    default:
      throw new Response("Bad Request", { status: 400 });
  }
}

/** The answer to this form, when the last step sent was this one (on this line). */
function useStepReply(intent: string | string[], lineId?: number): FormReply | undefined {
  const data = useActionData<typeof action>();
  const intents = [intent].flat();
  return data && intents.includes(data.intent) && data.lineId === lineId ? data.reply : undefined;
}

/** One step of the claim that needs a reason: the reason field, and the button that takes the step. */
function ReasonForm(props: { intent: string; label: string; submit: string; lineId?: number; tone?: "danger" | "secondary" }) {
  const [form, fields] = useSchemaForm(props.lineId === undefined ? claimReasonSchema : lineReasonSchema, {
    lastResult: useStepReply(props.intent, props.lineId),
  });
  return (
    <Form method="post" className="row" {...getFormProps(form)}>
      <input type="hidden" name="intent" value={props.intent} />
      {props.lineId !== undefined ? <input type="hidden" name="lineId" value={props.lineId} /> : null}
      <Field meta={fields.reason} label={props.label} />
      <FormMessages errors={form.errors} />
      <SubmitButton className={props.tone ?? "danger"}>{props.submit}</SubmitButton>
    </Form>
  );
}

/** A reviewer's decision on one line: approving needs no reason, rejecting does. */
function LineDecisionForm({ lineId, canApprove }: { lineId: number; canApprove: boolean }) {
  const t = useT();
  const [form, fields] = useSchemaForm(lineDecisionSchema, { lastResult: useStepReply(["approve-line", "reject-line"], lineId) });
  return (
    <Form method="post" className="row" {...getFormProps(form)}>
      <input type="hidden" name="lineId" value={lineId} />
      <Field meta={fields.reason} label={t("claim.lineReason")} />
      <FormMessages errors={form.errors} />
      {canApprove ? (
        <SubmitButton name="intent" value="approve-line" className="secondary">
          {t("claim.approveLine")}
        </SubmitButton>
      ) : null}
      <SubmitButton name="intent" value="reject-line" className="danger">
        {t("claim.rejectLine")}
      </SubmitButton>
    </Form>
  );
}

function StepButton({ intent, label }: { intent: string; label: string }) {
  const [form] = useSchemaForm(noFields, { lastResult: useStepReply(intent) });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value={intent} />
      <FormMessages errors={form.errors} />
      <SubmitButton className="primary">{label}</SubmitButton>
    </Form>
  );
}

function PaymentForm({ today }: { today: string }) {
  const t = useT();
  const [form, fields] = useSchemaForm(paymentSchema, { lastResult: useStepReply("paid"), defaultValue: { paidOn: today } });
  return (
    <Form method="post" className="row" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="paid" />
      <Field meta={fields.paidOn} type="date" label={t("claim.paidOn")} />
      <Field meta={fields.reference} label={t("claim.paymentReference")} />
      <FormMessages errors={form.errors} />
      <SubmitButton className="primary">{t("claim.markPaid")}</SubmitButton>
    </Form>
  );
}

export default function ClaimPage() {
  const t = useT();
  const { claim, policy, kind, organisation, lines, totalSubjects, totalFen, history, can, today, issuer, unconfirmed, wholeIds } =
    useLoaderData<typeof loader>();
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
                        />
                      ) : null}
                      {submitted && can.review && holdsSubject(l) ? (
                        <LineDecisionForm lineId={l.id} canApprove={l.status === "included" && !l.flagged} />
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
              <ReasonForm intent="withdraw" label={t("claim.withdrawReason")} submit={t("claim.withdraw")} />
            </details>
          </>
        ) : null}
      </section>
      {submitted && can.review ? (
        <section className="card">
          <div className="actions">
            <StepButton intent="approve" label={t("claim.approve")} />
          </div>
          <ReasonForm intent="reject" label={t("claim.rejectReason")} submit={t("claim.reject")} />
        </section>
      ) : null}
      {claim.status === "approved" && can.review ? (
        <section className="card">
          <h2>{t("claim.markPaid")}</h2>
          <PaymentForm today={today} />
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
