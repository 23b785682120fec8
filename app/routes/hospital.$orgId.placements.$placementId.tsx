import type { TitledHandle } from "../route-handle";
import type { MessageKey } from "../i18n/messages";
import { SubmitButton } from "../components/SubmitButton";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { forbidden, notFound, requirePermission, userCan } from "../auth/guard.server";
import { Field, SelectField, type FormState } from "../components/Field";
import { FormError } from "../components/FormError";
import { Notice } from "../components/Notice";
import { EVALUATION_CRITERIA, placementRecord, signOffTiming } from "../domain/rotation";
import { fillMessages } from "../i18n/messages";
import { useT } from "../i18n/use-t";
import { today } from "../services/clock.server";
import { contentOfVersion, rulesOfVersion } from "../services/program-versions.server";
import { decideSignoff, signOff, signoffsOf, type SignOffInput } from "../services/rotations/signoffs.server";
import { deletePlacement, endPlacementEarly, placementInHospital } from "../services/rotations/placements.server";
import { effectiveEnd } from "../domain/rotation";
import { type MessageParams } from "../services/result";
import { learningEnrolment } from "../services/learning.server";
import { formValues, parseForm, type FieldErrors } from "../validation/form";
import { endEarlySchema, evaluationSchema, signDaySchema, signSkillSchema } from "../validation/rotations";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "rotation.placements" };

function access(context: Parameters<typeof requirePermission>[0], request: Request, params: { orgId?: string; placementId?: string }) {
  const hospitalId = params.orgId!;
  const user = requirePermission(context, request, "view:hospital", { organisationId: hospitalId });
  const placement = placementInHospital(hospitalId, params.placementId ?? "");
  if (!placement) throw notFound();
  const isCoordinator = userCan(user, "manage:rotation", { organisationId: hospitalId });
  const isMentor = placement.mentorUserId === user.id && userCan(user, "signoff:rotation", { organisationId: hospitalId });
  if (!isCoordinator && !isMentor) throw forbidden();
  return { user, placement, isCoordinator, isMentor, hospitalId };
}

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, placement, isCoordinator, isMentor } = access(context, request, params);
  // Nobody approves an entry of their own: the approve button is not offered for it.
  const signoffs = signoffsOf([placement.id]).map(({ enteredBy, ...s }) => ({
    ...s,
    own: enteredBy === user.id || placement.mentorUserId === user.id,
  }));
  const versionId = learningEnrolment(placement.enrolmentId)!.programVersionId;
  const rules = rulesOfVersion(versionId);
  const criteria = new Map(contentOfVersion(versionId)?.skills.map((s) => [s.code, s.criteria]));
  const end = effectiveEnd(placement);
  return {
    placement: { ...placement, end },
    signoffs,
    record: placementRecord(placement.requiredDays, signoffs),
    skills: rules.skills.map((s) => ({ code: s.code, title: s.title, criteria: criteria.get(s.code) ?? "" })),
    today: today(),
    timing: signOffTiming({ start: placement.startDate, end }, today()),
    isCoordinator,
    onBehalf: !isMentor,
  };
}

type ActionResult = { intent: string; errors: FieldErrors; values: Record<string, string>; params?: MessageParams };

export async function action({ context, request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const { user, placement, isCoordinator, hospitalId } = access(context, request, params);
  const formData = await request.formData();
  const intent = String(formData.get("intent"));
  const back = (notice: MessageKey) => redirectWithNotice(context, `/hospital/${hospitalId}/placements/${placement.id}`, notice);
  const signer = { userId: user.id, isCoordinator };

  const sign = (input: SignOffInput) => {
    const result = signOff(signer, placement.id, input);
    if (!result.ok)
      return { intent, errors: result.errors, values: formValues(formData), params: "params" in result ? result.params : undefined };
    throw back(result.value.status === "pending" ? "rotation.sentForApproval" : "common.saved");
  };

  if (intent === "day") {
    const parsed = parseForm(signDaySchema, formData);
    return parsed.ok ? sign({ kind: "day", ...parsed.data }) : { intent, errors: parsed.errors, values: parsed.values };
  }
  if (intent === "skill") {
    const parsed = parseForm(signSkillSchema, formData);
    return parsed.ok ? sign({ kind: "skill", ...parsed.data }) : { intent, errors: parsed.errors, values: parsed.values };
  }
  if (intent === "evaluation") {
    const parsed = parseForm(evaluationSchema, formData);
    if (!parsed.ok) return { intent, errors: parsed.errors, values: parsed.values };
    const { date, passed, comments, lateReason, ...scores } = parsed.data;
    return sign({ kind: "evaluation", date, scores, passed: passed === "yes", comments, lateReason });
  }

  if (!isCoordinator) throw forbidden();
  if (intent === "approve" || intent === "reject") {
    const result = decideSignoff(user.id, hospitalId, Number(formData.get("signoffId")), intent === "approve");
    if (!result.ok) return { intent, errors: result.errors, values: {} };
    throw back("common.saved");
  }
  if (intent === "end-early") {
    const parsed = parseForm(endEarlySchema, formData);
    if (!parsed.ok) return { intent, errors: parsed.errors, values: parsed.values };
    const result = endPlacementEarly(user.id, hospitalId, placement.id, parsed.data);
    if (!result.ok) return { intent, errors: result.errors, values: formValues(formData) };
    throw back("common.saved");
  }
  if (intent === "delete") {
    const result = deletePlacement(user.id, hospitalId, placement.id);
    if (!result.ok) return { intent, errors: result.errors, values: {} };
    throw redirectWithNotice(context, `/hospital/${hospitalId}/placements`, "common.saved");
  }
  throw new Response("Bad Request", { status: 400 });
}

function LateReason({ state, timing }: { state?: FormState; timing: string }) {
  const t = useT();
  if (timing !== "late") return null;
  return <Field name="lateReason" label={t("rotation.lateReason")} state={state} hint={t("rotation.lateHint")} />;
}

export default function PlacementPage() {
  const t = useT();
  const { placement, signoffs, record, skills, today, timing, isCoordinator, onBehalf } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const stateFor = (intent: string) =>
    result?.intent === intent ? { ...result, errors: fillMessages(result.errors, result.params, t) } : undefined;
  const skillTitle = new Map(skills.map((s) => [s.code, s.title]));
  const defaultDate = today <= placement.end ? today : placement.end;
  return (
    <>
      <p className="no-print">
        <Link to={isCoordinator ? "../placements" : "../mentor"} relative="path">
          ← {t("common.back")}
        </Link>
      </p>
      <h1>
        {placement.traineeName} · {placement.departmentName}
      </h1>
      <p className="muted">
        {placement.baseName} · {placement.cohortName} · {t("rotation.mentor")} {placement.mentorName} · {placement.startDate} –{" "}
        {placement.end}
        {placement.endedEarlyOn ? ` · ${t("rotation.endedEarly")}：${placement.endReason}` : ""}
      </p>
      <Notice />
      <section className="card" data-testid="placement-summary">
        <p>
          {t("rotation.daysAttended", { n: record.attendedDays, need: record.requiredDays })} ·{" "}
          {record.evaluationPassed ? t("rotation.evaluationPassed") : t("rotation.evaluationPending")} ·{" "}
          {record.complete ? <span className="status-completed">{t("rotation.complete")}</span> : <span>{t("rotation.incomplete")}</span>}
        </p>
        {onBehalf ? <p className="muted">{t("rotation.onBehalfNote")}</p> : null}
        {timing === "late" ? <p className="error-text">{t("rotation.lateNote")}</p> : null}
        {timing === "notStarted" ? <p className="muted">{t("rotation.notStarted")}</p> : null}
      </section>
      {timing !== "notStarted" ? (
        <div className="grid">
          <section className="card">
            <h2>{t("rotation.signDay")}</h2>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="day" />
              <FormError state={stateFor("day")} />
              <Field
                name="date"
                type="date"
                label={t("rotation.date")}
                state={stateFor("day")}
                defaultValue={defaultDate}
                min={placement.startDate}
                max={placement.end}
              />
              <LateReason state={stateFor("day")} timing={timing} />
              <div>
                <SubmitButton className="primary">{t("rotation.signDayButton")}</SubmitButton>
              </div>
            </Form>
          </section>
          <section className="card">
            <h2>{t("rotation.signSkill")}</h2>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="skill" />
              <FormError state={stateFor("skill")} />
              <SelectField
                name="skillCode"
                label={t("practical.skill")}
                state={stateFor("skill")}
                placeholder=""
                options={skills.map((s) => ({ value: s.code, label: s.title }))}
              />
              <Field
                name="date"
                type="date"
                label={t("rotation.date")}
                state={stateFor("skill")}
                defaultValue={defaultDate}
                min={placement.startDate}
                max={placement.end}
              />
              <LateReason state={stateFor("skill")} timing={timing} />
              <div>
                <SubmitButton className="primary">{t("rotation.signSkillButton")}</SubmitButton>
              </div>
            </Form>
          </section>
          <section className="card">
            <h2>{t("rotation.evaluation")}</h2>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="evaluation" />
              <FormError state={stateFor("evaluation")} />
              {EVALUATION_CRITERIA.map((c) => (
                <SelectField
                  key={c}
                  name={c}
                  label={t(`rotation.criteria.${c}`)}
                  state={stateFor("evaluation")}
                  placeholder=""
                  options={([5, 4, 3, 2, 1] as const).map((n) => ({ value: String(n), label: t(`rotation.score.${n}`) }))}
                />
              ))}
              <SelectField
                name="passed"
                label={t("rotation.verdict")}
                state={stateFor("evaluation")}
                placeholder=""
                options={[
                  { value: "yes", label: t("rotation.verdictPass") },
                  { value: "no", label: t("rotation.verdictFail") },
                ]}
              />
              <Field name="comments" label={t("rotation.comments")} state={stateFor("evaluation")} />
              <Field
                name="date"
                type="date"
                label={t("rotation.date")}
                state={stateFor("evaluation")}
                defaultValue={placement.end}
                min={placement.end}
                max={placement.end}
                hint={t("rotation.evaluationHint", { date: placement.end })}
              />
              <LateReason state={stateFor("evaluation")} timing={timing} />
              <div>
                <SubmitButton className="primary">{t("rotation.signEvaluation")}</SubmitButton>
              </div>
            </Form>
          </section>
        </div>
      ) : null}
      <section className="card">
        <h2>{t("rotation.history")}</h2>
        <FormError state={stateFor("approve") ?? stateFor("reject")} />
        <TableWrap>
          <table data-testid="signoff-history">
            <thead>
              <tr>
                <th>{t("rotation.date")}</th>
                <th>{t("rotation.entry")}</th>
                <th>{t("rotation.signedBy")}</th>
                <th>{t("progress.status")}</th>
              </tr>
            </thead>
            <tbody>
              {signoffs.map((s) => (
                <tr key={s.id}>
                  <td className="nowrap">{s.date}</td>
                  <td>
                    {s.kind === "day" ? t("rotation.kind.day") : null}
                    {s.kind === "skill" ? `${t("rotation.kind.skill")}：${skillTitle.get(s.skillCode ?? "") ?? s.skillCode}` : null}
                    {s.kind === "evaluation"
                      ? `${t("rotation.kind.evaluation")}：${s.passed ? t("rotation.verdictPass") : t("rotation.verdictFail")} · ${s.comments}`
                      : null}
                  </td>
                  <td>
                    <span className="nowrap">{s.mentorName}</span>
                    {s.onBehalf ? <span className="badge pending">{t("rotation.onBehalf")}</span> : null}
                  </td>
                  <td>
                    <span className="nowrap">{t(`rotation.status.${s.status}`)}</span>
                    {s.lateReason ? <div className="muted">{s.lateReason}</div> : null}
                    {s.status === "pending" && isCoordinator && s.own ? <div className="muted">{t("rotation.ownEntryNote")}</div> : null}
                    {s.status === "pending" && isCoordinator ? (
                      <Form method="post" className="actions">
                        <input type="hidden" name="signoffId" value={s.id} />
                        {s.own ? null : (
                          <SubmitButton name="intent" value="approve" className="secondary">
                            {t("rotation.approve")}
                          </SubmitButton>
                        )}
                        <SubmitButton name="intent" value="reject" className="danger">
                          {t("rotation.reject")}
                        </SubmitButton>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
      {isCoordinator && !placement.endedEarlyOn ? (
        <section className="card no-print">
          <h2>{t("rotation.endEarly")}</h2>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="end-early" />
            <FormError state={stateFor("end-early") ?? stateFor("delete")} />
            <div className="row">
              <Field
                name="date"
                type="date"
                label={t("rotation.lastDay")}
                state={stateFor("end-early")}
                min={placement.startDate}
                max={placement.endDate}
              />
              <Field name="reason" label={t("rotation.endReason")} state={stateFor("end-early")} />
            </div>
            <div>
              <SubmitButton className="secondary">{t("rotation.endEarly")}</SubmitButton>
            </div>
          </Form>
          {signoffs.length === 0 ? (
            <Form method="post" className="actions">
              <input type="hidden" name="intent" value="delete" />
              <SubmitButton className="danger">{t("rotation.delete")}</SubmitButton>
              <span className="muted">{t("rotation.deleteHelp")}</span>
            </Form>
          ) : (
            <p className="muted">{t("rotation.hasSignoffs")}</p>
          )}
        </section>
      ) : null}
    </>
  );
}
