import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { useState } from "react";
import { getFormProps } from "@conform-to/react";
import { Field, FormMessages, SelectField } from "../components/form-controls";
import { Notice } from "../components/Notice";
import { parseSubmission, replyRefused } from "../forms/submission";
import { useFormMessage, useSchemaForm } from "../forms/use-schema-form";
import { isScored, scoreChecklist } from "../domain/practical";
import { useT } from "../i18n/use-t";
import { requireCohort } from "../auth/access.server";
import { practicalsOf, recordSkillAssessment } from "../services/cohort-records.server";
import { enrolledTrainees } from "../services/cohorts.server";
import { today } from "../services/clock.server";
import { contentOfVersion, rulesOfVersion } from "../services/program-versions.server";
import { practicalSchema } from "../validation/cohorts";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "cohort.tab.practicals" };

/** The skills of the cohort's version as published: with their checklist, or pass/fail only in older versions. */
function skillsOf(programVersionId: number) {
  const rules = rulesOfVersion(programVersionId);
  const content = new Map(contentOfVersion(programVersionId)?.skills.map((s) => [s.code, s]));
  return rules.skills.map((s) => {
    const c = content.get(s.code);
    const checklist = c && isScored(c) ? { passScore: c.passScore, items: c.items } : null;
    return {
      code: s.code,
      title: s.title,
      criteria: c?.criteria ?? "",
      checklist,
    };
  });
}

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, cohort } = requireCohort(context, request, params, "record:attendance");
  const url = new URL(request.url);
  const skills = skillsOf(cohort.programVersionId);
  const chosen = skills.find((s) => s.code === url.searchParams.get("skill")) ?? skills[0];
  const byCode = new Map(skills.map((s) => [s.code, s]));
  const records = practicalsOf(cohort.id).map((r) => {
    const checklist = byCode.get(r.skillCode)?.checklist;
    // A row without marks was recorded pass/fail only: it is shown as it was recorded.
    const marks = r.itemMarks && checklist ? (JSON.parse(r.itemMarks) as Record<string, boolean>) : null;
    const keyItemsFailed =
      marks && checklist
        ? scoreChecklist(checklist, marks).keyItemsFailed.map((code) => checklist.items.find((i) => i.code === code)?.text ?? code)
        : [];
    return {
      id: r.id,
      assessedOn: r.assessedOn,
      traineeName: r.traineeName,
      skillCode: r.skillCode,
      result: r.result,
      examiners: [r.examiner, r.examiner2].filter(Boolean).join("、"),
      score: marks ? r.score : null,
      keyItemsFailed,
    };
  });
  const savedId = Number(url.searchParams.get("saved"));
  return {
    examiner: url.searchParams.get("examiner") || user.name,
    examiner2: url.searchParams.get("examiner2") ?? "",
    assessedOn: url.searchParams.get("on") || today(),
    today: today(),
    examiners: rulesOfVersion(cohort.programVersionId).practical?.examiners ?? 1,
    skills,
    chosen,
    trainees: enrolledTrainees(cohort.id).map((tr) => ({
      enrolmentId: tr.enrolmentId,
      name: tr.name,
    })),
    records,
    saved: records.find((r) => r.id === savedId) ?? null,
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { user, cohort } = requireCohort(context, request, params, "record:attendance");
  const submission = parseSubmission(await request.formData(), practicalSchema);
  if (submission.status !== "success") return submission.reply();
  const { result: posted, met, ...input } = submission.value;
  const marks = Object.fromEntries(met.map((code) => [code, true]));
  const result = recordSkillAssessment(user.id, cohort, {
    ...input,
    marks,
    result: posted ?? null,
  });
  if (!result.ok) return replyRefused(submission, result);
  const next = new URLSearchParams({
    skill: input.skillCode,
    saved: String(result.value.id),
    examiner: input.examiner,
    examiner2: input.examiner2,
    on: input.assessedOn,
  });
  throw redirect(`/bases/${params.orgId}/cohorts/${cohort.id}/practicals?${next}`);
}

export default function Practicals() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const { skills, chosen, records, saved } = data;
  const submit = useSubmit();
  const skillTitle = new Map(skills.map((s) => [s.code, s.title]));

  const verdict = (r: (typeof records)[number]) =>
    r.score === null
      ? t(r.result === "pass" ? "practical.legacyPass" : "practical.legacyFail")
      : `${t(`practical.${r.result}`)} · ${t("practical.scoreLine", {
          score: r.score,
          total: 100,
        })}`;

  return (
    <>
      <Notice />
      {saved ? (
        <section className={`card verdict ${saved.result}`} data-testid="practical-verdict" data-saved={saved.id} role="status">
          <p className="muted">
            {t("practical.savedFor", {
              trainee: saved.traineeName,
              skill: skillTitle.get(saved.skillCode) ?? saved.skillCode,
            })}
          </p>
          <p className="result">
            <strong>{verdict(saved)}</strong>
          </p>
          {saved.keyItemsFailed.length ? (
            <p className="error-text">
              {t("practical.keyFailed", {
                items: saved.keyItemsFailed.join("；"),
              })}
            </p>
          ) : null}
        </section>
      ) : null}
      <section className="card">
        <h2>{t("practical.title")}</h2>
        {/* Opening another skill's checklist only reads: nothing to check, so no schema. */}
        <Form method="get" id="choose-skill" className="row" onChange={(e) => submit(e.currentTarget)}>
          <SelectField
            meta={{ id: "f-skill", name: "skill", formId: "choose-skill", errorId: "f-skill-error", initialValue: chosen?.code }}
            label={t("practical.chooseSkill")}
            options={skills.map((s) => ({ value: s.code, label: s.title }))}
          />
          <noscript>
            <SubmitButton className="secondary">{t("practical.openChecklist")}</SubmitButton>
          </noscript>
        </Form>
        {chosen ? (
          // A fresh form for each skill and after each save, so the last trainee's marks are not carried over.
          <AssessmentForm key={`${chosen.code}-${records.length}`} />
        ) : null}
      </section>
      <section className="card">
        <h2>{t("practical.history")}</h2>
        <TableWrap>
          <table data-testid="practical-records">
            <thead>
              <tr>
                <th>{t("practical.date")}</th>
                <th>{t("practical.trainee")}</th>
                <th>{t("practical.skill")}</th>
                <th>{t("practical.result")}</th>
                <th>{t("practical.examiner")}</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <tr key={r.id}>
                  <td className="nowrap">{r.assessedOn}</td>
                  <td>{r.traineeName}</td>
                  <td>{skillTitle.get(r.skillCode) ?? r.skillCode}</td>
                  <td className={r.result === "pass" ? "status-completed" : "error-text"}>
                    <span className="nowrap">{verdict(r)}</span>
                    {r.keyItemsFailed.length ? (
                      <small className="key-failed">
                        {t("practical.keyFailed", {
                          items: r.keyItemsFailed.join("；"),
                        })}
                      </small>
                    ) : null}
                  </td>
                  <td>{r.examiners}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </>
  );
}

/** The chosen skill's checklist for one trainee; its ticks count up a score as the examiner goes. */
function AssessmentForm() {
  const t = useT();
  const message = useFormMessage();
  const data = useLoaderData<typeof loader>();
  const { trainees } = data;
  const chosen = data.chosen!;
  const [form, fields] = useSchemaForm(practicalSchema, {
    id: "practical",
    lastResult: useActionData<typeof action>(),
    defaultValue: { assessedOn: data.assessedOn, examiner: data.examiner, examiner2: data.examiner2 },
  });
  const checklist = chosen.checklist;
  // Ticks sent with a refused save come back ticked.
  const [ticked, setTicked] = useState<string[]>(() => [fields.met.initialValue ?? []].flat().map(String));
  const liveScore = checklist ? checklist.items.filter((i) => ticked.includes(i.code)).reduce((n, i) => n + i.points, 0) : 0;
  const resultError = message(fields.result.errors?.[0]);
  return (
    <Form method="post" className="stack wide" {...getFormProps(form)}>
      <FormMessages errors={form.errors} />
      <input type="hidden" name={fields.skillCode.name} value={chosen.code} />
      <div className="row">
        <SelectField
          meta={fields.enrolmentId}
          label={t("practical.trainee")}
          placeholder=""
          options={trainees.map((tr) => ({
            value: tr.enrolmentId,
            label: tr.name,
          }))}
        />
        <Field meta={fields.assessedOn} type="date" label={t("practical.date")} max={data.today} />
      </div>
      <div className="row">
        <Field meta={fields.examiner} label={t("practical.examiner")} autoComplete="off" />
        {data.examiners === 2 ? <Field meta={fields.examiner2} label={t("practical.examiner2")} autoComplete="off" /> : null}
      </div>
      <details>
        <summary className="muted">{t("practical.criteria")}</summary>
        <p className="muted">{chosen.criteria}</p>
      </details>
      {checklist ? (
        <fieldset className="checklist" data-testid="skills-checklist">
          <legend>
            <strong>{chosen.title}</strong>
          </legend>
          <p className="hint muted">
            {t("practical.itemsHint", {
              total: 100,
              passScore: checklist.passScore,
            })}
          </p>
          {checklist.items.map((item) => (
            <label key={item.code} className={`option checklist-item${item.key ? " key-item" : ""}`}>
              <input
                type="checkbox"
                name={fields.met.name}
                value={item.code}
                defaultChecked={ticked.includes(item.code)}
                onChange={(e) => setTicked((now) => (e.target.checked ? [...now, item.code] : now.filter((c) => c !== item.code)))}
              />
              <span className="item-text">
                {item.text}
                <span className="item-meta">
                  {item.key ? <span className="badge key">{t("practical.keyItem")}</span> : null}
                  <span className="muted">{t("practical.points", { points: item.points })}</span>
                </span>
              </span>
              <span className="met-label">{t("practical.met")}</span>
            </label>
          ))}
          <p className="muted" aria-live="polite">
            {t("practical.liveScore", { score: liveScore })}
          </p>
        </fieldset>
      ) : (
        <fieldset className="checklist">
          <legend>
            <strong>{chosen.title}</strong>
          </legend>
          <p className="hint muted">{t("practical.noChecklist")}</p>
          {(["pass", "fail"] as const).map((r) => (
            <label key={r} className="option">
              <input type="radio" name={fields.result.name} value={r} defaultChecked={fields.result.initialValue === r} />
              {t(`practical.${r}`)}
            </label>
          ))}
          {resultError ? <span className="error-text">{resultError}</span> : null}
        </fieldset>
      )}
      <div>
        <SubmitButton className="primary submit-answers">{t("practical.saveOne")}</SubmitButton>
      </div>
    </Form>
  );
}
