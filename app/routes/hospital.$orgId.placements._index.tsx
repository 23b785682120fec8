import type { TitledHandle } from "../route-handle";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { requirePermission } from "../auth/guard.server";
import { Field, FormMessages, SelectField } from "../components/form-controls";
import { Notice } from "../components/Notice";
import { noFields, parseSubmission, replyRefused, type FormReply } from "../forms/submission";
import { replyFor, useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { rulesOfVersion } from "../services/program-versions.server";
import {
  autoPlaceCohort,
  cohortsForPlacement,
  createPlacement,
  placementList,
  traineesOfCohort,
  type AutoPlaceResult,
} from "../services/rotations/placements.server";
import { effectiveEnd } from "../domain/rotation";
import { hospitalDepartments } from "../services/rotations/departments.server";
import { placementSchema } from "../validation/rotations";
import { TableWrap } from "../components/TableWrap";
import { useEffect, useState } from "react";
import { holidaysIn, unpublishedYears } from "../domain/dates";
import { workCalendar } from "../content/calendars.server";

export const handle: TitledHandle = { title: "rotation.placements" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const hospitalId = params.orgId!;
  requirePermission(context, request, "manage:rotation", { organisationId: hospitalId });
  const cohorts = cohortsForPlacement();
  const cohortId = new URL(request.url).searchParams.get("cohort") ?? "";
  const cohort = cohorts.find((c) => c.id === cohortId) ?? null;
  return {
    cohorts: cohorts.map((c) => ({ id: c.id, label: `${c.baseName} · ${c.name}（${c.programTitle}）` })),
    cohort: cohort
      ? { ...cohort, requirements: rulesOfVersion(cohort.programVersionId).rotations, trainees: traineesOfCohort(cohort.id) }
      : null,
    departments: hospitalDepartments(hospitalId).filter((d) => d.active),
    placements: cohort
      ? placementList({ hospitalId, cohortId: cohort.id }).map((p) => ({
          ...p,
          end: effectiveEnd(p),
          holidays: [...new Set(holidaysIn(p.startDate, effectiveEnd(p), workCalendar()).map((h) => h.name))],
        }))
      : [],
    unpublishedYears: cohort ? unpublishedYears(cohort.startDate, cohort.endDate, workCalendar()) : [],
  };
}

type ActionResult = { intent: "auto"; reply: FormReply; result: AutoPlaceResult } | { intent: "manual"; reply: FormReply };

export async function action({ context, request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const hospitalId = params.orgId!;
  const user = requirePermission(context, request, "manage:rotation", { organisationId: hospitalId });
  const formData = await request.formData();
  const cohortId = String(formData.get("cohortId") ?? "");
  if (formData.get("intent") === "auto") {
    const submission = parseSubmission(formData, noFields);
    return { intent: "auto", reply: submission.reply(), result: autoPlaceCohort(user.id, hospitalId, cohortId) };
  }
  const submission = parseSubmission(formData, placementSchema);
  if (submission.status !== "success") return { intent: "manual", reply: submission.reply() };
  const result = createPlacement(user.id, hospitalId, submission.value);
  // An overlap names the other placement and a full department its first full day.
  if (!result.ok) return { intent: "manual", reply: replyRefused(submission, result) };
  throw redirectWithNotice(context, `/hospital/${hospitalId}/placements?cohort=${cohortId}`, "common.saved");
}

export default function Placements() {
  const t = useT();
  const { cohorts, cohort, departments, placements, unpublishedYears } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const auto = data?.intent === "auto" ? data.result : undefined;
  const [autoForm] = useSchemaForm(noFields, { id: "auto-place", lastResult: replyFor(data, "auto") });
  const [form, fields] = useSchemaForm(placementSchema, { id: "placement", lastResult: replyFor(data, "manual") });
  // Only the chosen department's mentors; before one is chosen (or without JavaScript) all of them, and the server checks.
  const sentDepartment = fields.departmentId.initialValue;
  const [departmentId, setDepartmentId] = useState(typeof sentDepartment === "string" ? sentDepartment : "");
  useEffect(() => setDepartmentId(typeof sentDepartment === "string" ? sentDepartment : ""), [sentDepartment]);
  const chosen = departments.find((d) => d.id === departmentId);
  const mentors = chosen ? chosen.mentors : [...new Map(departments.flatMap((d) => d.mentors.map((m) => [m.id, m] as const))).values()];
  return (
    <>
      <h1>{t("rotation.placements")}</h1>
      <Notice />
      <Form method="get" className="row card">
        <div className="field">
          <label htmlFor="cohort">{t("rotation.cohort")}</label>
          <select id="cohort" name="cohort" defaultValue={cohort?.id ?? ""}>
            <option value="" />
            {cohorts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <SubmitButton className="secondary">{t("rotation.chooseCohort")}</SubmitButton>
      </Form>
      {cohort ? (
        <>
          <section className="card">
            <h2>{t("rotation.autoTitle")}</h2>
            <p className="muted">
              {cohort.startDate} – {cohort.endDate} ·{" "}
              {cohort.requirements.length
                ? cohort.requirements
                    .map((r) => t("rotation.requirement", { department: t(`dept.${r.departmentKind}`), days: r.days }))
                    .join("；")
                : t("rotation.noRequirements")}
            </p>
            <Form method="post" {...getFormProps(autoForm)}>
              <input type="hidden" name="intent" value="auto" />
              <input type="hidden" name="cohortId" value={cohort.id} />
              <SubmitButton className="primary" disabled={cohort.requirements.length === 0}>
                {t("rotation.autoPlace", { n: cohort.trainees.length })}
              </SubmitButton>
            </Form>
            {auto ? (
              <div data-testid="auto-result">
                <p className="flash">{t("rotation.autoPlaced", { n: auto.placed })}</p>
                {auto.unplaced.length ? (
                  <>
                    <p className="error-text">{t("rotation.unplacedTitle", { n: auto.unplaced.length })}</p>
                    <ul className="missing">
                      {auto.unplaced.map((u, i) => (
                        <li key={i}>
                          {u.name} · {t(`dept.${u.departmentKind}`)} {u.days}
                          {t("rotation.dayUnit")}：{t(`rotation.unplaced.${u.reason}`)}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </div>
            ) : null}
          </section>
          <section className="card">
            <h2>{t("rotation.placedTitle")}</h2>
            <TableWrap>
              <table data-testid="placement-list">
                <thead>
                  <tr>
                    <th>{t("practical.trainee")}</th>
                    <th>{t("rotation.department")}</th>
                    <th>{t("rotation.mentor")}</th>
                    <th>{t("rotation.period")}</th>
                    <th className="num">{t("rotation.requiredDays")}</th>
                  </tr>
                </thead>
                <tbody>
                  {placements.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <Link to={p.id}>{p.traineeName}</Link>
                      </td>
                      <td>{p.departmentName}</td>
                      <td>{p.mentorName}</td>
                      <td>
                        {p.startDate} – {p.end}
                        {p.endedEarlyOn ? <span className="badge suspended">{t("rotation.endedEarly")}</span> : null}
                        {p.holidays.length ? (
                          <small className="muted" data-testid="placement-holidays">
                            {" "}
                            {t("rotation.spansHolidays", { names: p.holidays.join("、") })}
                          </small>
                        ) : null}
                      </td>
                      <td className="num">{p.requiredDays}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </section>
          <section className="card">
            <h2>{t("rotation.manualTitle")}</h2>
            {unpublishedYears.length ? (
              <p className="warning-text" data-testid="calendar-not-published">
                {t("rotation.calendarNotPublished", { years: unpublishedYears.join("、") })}
              </p>
            ) : null}
            <Form method="post" className="stack" {...getFormProps(form)}>
              <input type="hidden" name="intent" value="manual" />
              <input type="hidden" name="cohortId" value={cohort.id} />
              <FormMessages errors={form.errors} />
              <div className="row">
                <SelectField
                  meta={fields.enrolmentId}
                  label={t("practical.trainee")}
                  placeholder=""
                  options={cohort.trainees.map((tr) => ({ value: tr.enrolmentId, label: tr.name }))}
                />
                <SelectField
                  meta={fields.departmentId}
                  label={t("rotation.department")}
                  placeholder=""
                  onChange={setDepartmentId}
                  options={departments.map((d) => ({ value: d.id, label: `${d.name}（${t("hospital.capacity")} ${d.capacity}）` }))}
                />
                <SelectField
                  key={departmentId}
                  meta={fields.mentorUserId}
                  label={t("rotation.mentor")}
                  placeholder={chosen ? "" : t("rotation.mentorChooseDepartment")}
                  options={mentors.map((m) => ({ value: m.id, label: m.name }))}
                />
              </div>
              <div className="row">
                <Field meta={fields.startDate} type="date" label={t("cohort.startDate")} min={cohort.startDate} max={cohort.endDate} />
                <Field meta={fields.endDate} type="date" label={t("cohort.endDate")} min={cohort.startDate} max={cohort.endDate} />
                <Field meta={fields.requiredDays} inputMode="numeric" label={t("rotation.requiredDays")} />
              </div>
              <div>
                <SubmitButton className="secondary">{t("rotation.place")}</SubmitButton>
              </div>
            </Form>
          </section>
        </>
      ) : null}
    </>
  );
}
