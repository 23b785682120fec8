import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Field, SelectField } from "../components/Field";
import { FormError } from "../components/FormError";
import { Notice } from "../components/Notice";
import { useT } from "../i18n/use-t";
import { requireCohort } from "../services/access.server";
import { practicalsOf, recordPracticals } from "../services/cohort-records.server";
import { enrolledTrainees } from "../services/cohorts.server";
import { today } from "../services/organisations.server";
import { contentOfVersion, rulesOfVersion } from "../services/program-versions.server";
import { isoDate, formValues, parseForm, requiredText } from "../validation/form";

const headerSchema = z.object({ enrolmentId: z.string().min(1, "error.choose"), examiner: requiredText(50), assessedOn: isoDate });

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, cohort } = requireCohort(context, request, params, "record:attendance");
  const rules = rulesOfVersion(cohort.programVersionId);
  const criteria = new Map(contentOfVersion(cohort.programVersionId)?.skills.map((s) => [s.code, s.criteria]));
  return {
    examiner: user.name,
    today: today(),
    skills: rules.skills.map((s) => ({ ...s, criteria: criteria.get(s.code) ?? "" })),
    trainees: enrolledTrainees(cohort.id).map((tr) => ({ enrolmentId: tr.enrolmentId, name: tr.name })),
    records: practicalsOf(cohort.id),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { user, cohort } = requireCohort(context, request, params, "record:attendance");
  const formData = await request.formData();
  const parsed = parseForm(headerSchema, formData);
  if (!parsed.ok) return { errors: parsed.errors, values: parsed.values };
  const skills = rulesOfVersion(cohort.programVersionId).skills.map((s) => s.code);
  const results = skills.flatMap((code) => {
    const value = formData.get(`skill:${code}`);
    return value === "pass" || value === "fail" ? [{ skillCode: code, result: value as "pass" | "fail" }] : [];
  });
  const result = recordPracticals(user.id, cohort, { ...parsed.data, results }, skills);
  if (!result.ok) return { errors: result.errors, values: formValues(formData) };
  throw redirect(`/bases/${params.orgId}/cohorts/${cohort.id}/practicals?notice=common.saved`);
}

export default function Practicals() {
  const t = useT();
  const { skills, trainees, records, examiner, today } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const skillTitle = new Map(skills.map((s) => [s.code, s.title]));
  return (
    <>
      <Notice />
      <section className="card">
        <h2>{t("practical.title")}</h2>
        {/* A fresh form after each save, so the last trainee's marks are not carried over. */}
        <Form method="post" className="stack wide" noValidate key={records.length}>
          <FormError state={state} />
          <div className="row">
            <SelectField name="enrolmentId" label={t("practical.trainee")} state={state} placeholder="" options={trainees.map((tr) => ({ value: tr.enrolmentId, label: tr.name }))} />
            <Field name="examiner" label={t("practical.examiner")} state={state} defaultValue={examiner} />
            <Field name="assessedOn" type="date" label={t("practical.date")} state={state} defaultValue={today} max={today} />
          </div>
          <div className="table-wrap">
            <table data-testid="skills-checklist">
              <thead>
                <tr>
                  <th>{t("practical.skill")}</th>
                  <th>{t("practical.pass")}</th>
                  <th>{t("practical.fail")}</th>
                  <th>{t("practical.notAssessed")}</th>
                </tr>
              </thead>
              <tbody>
                {skills.map((s) => (
                  <tr key={s.code}>
                    <td>
                      <strong>{s.title}</strong>
                      <details>
                        <summary className="muted">{t("practical.criteria")}</summary>
                        <p className="muted">{s.criteria}</p>
                      </details>
                    </td>
                    <td>
                      <input type="radio" name={`skill:${s.code}`} value="pass" aria-label={`${s.title} ${t("practical.pass")}`} defaultChecked={state?.values[`skill:${s.code}`] === "pass"} />
                    </td>
                    <td>
                      <input type="radio" name={`skill:${s.code}`} value="fail" aria-label={`${s.title} ${t("practical.fail")}`} defaultChecked={state?.values[`skill:${s.code}`] === "fail"} />
                    </td>
                    <td>
                      <input type="radio" name={`skill:${s.code}`} value="" aria-label={`${s.title} ${t("practical.notAssessed")}`} defaultChecked={!state?.values[`skill:${s.code}`]} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div>
            <button type="submit" className="primary">
              {t("practical.save")}
            </button>
          </div>
        </Form>
      </section>
      <section className="card">
        <h2>{t("practical.history")}</h2>
        <div className="table-wrap">
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
                  <td>{r.assessedOn}</td>
                  <td>{r.traineeName}</td>
                  <td>{skillTitle.get(r.skillCode) ?? r.skillCode}</td>
                  <td className={r.result === "pass" ? "status-completed" : "error-text"}>{t(`practical.${r.result}`)}</td>
                  <td>{r.examiner}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
