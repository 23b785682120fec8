import type { TitledHandle } from "../route-handle";
import type { MessageKey } from "../i18n/messages";
import { SubmitButton } from "../components/SubmitButton";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { forbidden, notFound, requirePermission, userCan } from "../auth/guard.server";
import { Field, FormMessages, SelectField, type FieldMeta } from "../components/form-controls";
import { Notice } from "../components/Notice";
import { EVALUATION_CRITERIA, placementRecord, signOffTiming } from "../domain/rotation";
import type { Submission } from "@conform-to/react";
import { noFields, parseSubmission, replyRefused, type FormReply } from "../forms/submission";
import { replyFor, useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { SignoffDecisionForm } from "../components/SignoffDecisionForm";
import { today } from "../services/clock.server";
import { contentOfVersion, rulesOfVersion } from "../services/program-versions.server";
import { decideSignoff, signOff, signoffsOf, type SignOffInput } from "../services/rotations/signoffs.server";
import { deletePlacement, endPlacementEarly, placementInHospital } from "../services/rotations/placements.server";
import { effectiveEnd } from "../domain/rotation";
import { learningEnrolment } from "../services/learning.server";
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

/** Which of the page's forms was sent, and the answer to show it. */
type ActionResult = { intent: string; reply: FormReply };

export async function action({ context, request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const { user, placement, isCoordinator, hospitalId } = access(context, request, params);
  const formData = await request.formData();
  const intent = String(formData.get("intent"));
  const back = (notice: MessageKey) => redirectWithNotice(context, `/hospital/${hospitalId}/placements/${placement.id}`, notice);
  const signer = { userId: user.id, isCoordinator };

  const sign = (submission: Submission<unknown>, input: SignOffInput): ActionResult => {
    const result = signOff(signer, placement.id, input);
    if (!result.ok) return { intent, reply: replyRefused(submission, result) };
    throw back(result.value.status === "pending" ? "rotation.sentForApproval" : "common.saved");
  };

  if (intent === "day") {
    const submission = parseSubmission(formData, signDaySchema);
    if (submission.status !== "success") return { intent, reply: submission.reply() };
    return sign(submission, { kind: "day", ...submission.value });
  }
  if (intent === "skill") {
    const submission = parseSubmission(formData, signSkillSchema);
    if (submission.status !== "success") return { intent, reply: submission.reply() };
    return sign(submission, { kind: "skill", ...submission.value });
  }
  if (intent === "evaluation") {
    const submission = parseSubmission(formData, evaluationSchema);
    if (submission.status !== "success") return { intent, reply: submission.reply() };
    const { date, passed, comments, lateReason, ...scores } = submission.value;
    return sign(submission, { kind: "evaluation", date, scores, passed: passed === "yes", comments, lateReason });
  }

  if (!isCoordinator) throw forbidden();
  if (intent === "approve" || intent === "reject") {
    const submission = parseSubmission(formData, noFields);
    const result = decideSignoff(user.id, hospitalId, Number(formData.get("signoffId")), intent === "approve");
    if (!result.ok) return { intent, reply: replyRefused(submission, result) };
    throw back("common.saved");
  }
  if (intent === "end-early") {
    const submission = parseSubmission(formData, endEarlySchema);
    if (submission.status !== "success") return { intent, reply: submission.reply() };
    const result = endPlacementEarly(user.id, hospitalId, placement.id, submission.value);
    if (!result.ok) return { intent, reply: replyRefused(submission, result) };
    throw back("common.saved");
  }
  if (intent === "delete") {
    const submission = parseSubmission(formData, noFields);
    const result = deletePlacement(user.id, hospitalId, placement.id);
    if (!result.ok) return { intent, reply: replyRefused(submission, result) };
    throw redirectWithNotice(context, `/hospital/${hospitalId}/placements`, "common.saved");
  }
  throw new Response("Bad Request", { status: 400 });
}

function LateReason({ meta, timing }: { meta: FieldMeta; timing: string }) {
  const t = useT();
  if (timing !== "late") return null;
  return <Field meta={meta} label={t("rotation.lateReason")} hint={t("rotation.lateHint")} />;
}

export default function PlacementPage() {
  const t = useT();
  const { placement, signoffs, record, skills, today, timing, isCoordinator, onBehalf } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const defaultDate = today <= placement.end ? today : placement.end;
  const [dayForm, day] = useSchemaForm(signDaySchema, {
    id: "day",
    lastResult: replyFor(data, "day"),
    defaultValue: { date: defaultDate },
  });
  const [skillForm, skill] = useSchemaForm(signSkillSchema, {
    id: "skill",
    lastResult: replyFor(data, "skill"),
    defaultValue: { date: defaultDate },
  });
  const [evaluationForm, evaluation] = useSchemaForm(evaluationSchema, {
    id: "evaluation",
    lastResult: replyFor(data, "evaluation"),
    defaultValue: { date: placement.end },
  });
  // Approving and rejecting are buttons of each pending row; what refuses them shows above the history.
  const [decision] = useSchemaForm(noFields, { id: "decision", lastResult: replyFor(data, "approve") ?? replyFor(data, "reject") });
  const [endEarlyForm, endEarly] = useSchemaForm(endEarlySchema, { id: "end-early", lastResult: replyFor(data, "end-early") });
  const [deleteForm] = useSchemaForm(noFields, { id: "delete", lastResult: replyFor(data, "delete") });
  const skillTitle = new Map(skills.map((s) => [s.code, s.title]));
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
            <Form method="post" className="stack" {...getFormProps(dayForm)}>
              <input type="hidden" name="intent" value="day" />
              <FormMessages errors={dayForm.errors} />
              <Field meta={day.date} type="date" label={t("rotation.date")} min={placement.startDate} max={placement.end} />
              <LateReason meta={day.lateReason} timing={timing} />
              <div>
                <SubmitButton className="primary">{t("rotation.signDayButton")}</SubmitButton>
              </div>
            </Form>
          </section>
          <section className="card">
            <h2>{t("rotation.signSkill")}</h2>
            <Form method="post" className="stack" {...getFormProps(skillForm)}>
              <input type="hidden" name="intent" value="skill" />
              <FormMessages errors={skillForm.errors} />
              <SelectField
                meta={skill.skillCode}
                label={t("practical.skill")}
                placeholder=""
                options={skills.map((s) => ({ value: s.code, label: s.title }))}
              />
              <Field meta={skill.date} type="date" label={t("rotation.date")} min={placement.startDate} max={placement.end} />
              <LateReason meta={skill.lateReason} timing={timing} />
              <div>
                <SubmitButton className="primary">{t("rotation.signSkillButton")}</SubmitButton>
              </div>
            </Form>
          </section>
          <section className="card">
            <h2>{t("rotation.evaluation")}</h2>
            <Form method="post" className="stack" {...getFormProps(evaluationForm)}>
              <input type="hidden" name="intent" value="evaluation" />
              <FormMessages errors={evaluationForm.errors} />
              {EVALUATION_CRITERIA.map((c) => (
                <SelectField
                  key={c}
                  meta={evaluation[c]}
                  label={t(`rotation.criteria.${c}`)}
                  placeholder=""
                  options={([5, 4, 3, 2, 1] as const).map((n) => ({ value: String(n), label: t(`rotation.score.${n}`) }))}
                />
              ))}
              <SelectField
                meta={evaluation.passed}
                label={t("rotation.verdict")}
                placeholder=""
                options={[
                  { value: "yes", label: t("rotation.verdictPass") },
                  { value: "no", label: t("rotation.verdictFail") },
                ]}
              />
              <Field meta={evaluation.comments} label={t("rotation.comments")} />
              <Field
                meta={evaluation.date}
                type="date"
                label={t("rotation.date")}
                min={placement.end}
                max={placement.end}
                hint={t("rotation.evaluationHint", { date: placement.end })}
              />
              <LateReason meta={evaluation.lateReason} timing={timing} />
              <div>
                <SubmitButton className="primary">{t("rotation.signEvaluation")}</SubmitButton>
              </div>
            </Form>
          </section>
        </div>
      ) : null}
      <section className="card">
        <h2>{t("rotation.history")}</h2>
        <FormMessages errors={decision.errors} />
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
                    {s.status === "pending" && isCoordinator ? <SignoffDecisionForm signoffId={s.id} own={s.own} /> : null}
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
          <Form method="post" className="stack" {...getFormProps(endEarlyForm)}>
            <input type="hidden" name="intent" value="end-early" />
            <FormMessages errors={endEarlyForm.errors ?? deleteForm.errors} />
            <div className="row">
              <Field meta={endEarly.date} type="date" label={t("rotation.lastDay")} min={placement.startDate} max={placement.endDate} />
              <Field meta={endEarly.reason} label={t("rotation.endReason")} />
            </div>
            <div>
              <SubmitButton className="secondary">{t("rotation.endEarly")}</SubmitButton>
            </div>
          </Form>
          {signoffs.length === 0 ? (
            <Form method="post" className="actions" {...getFormProps(deleteForm)}>
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
