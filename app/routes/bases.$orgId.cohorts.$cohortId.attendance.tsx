import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, SelectField } from "../components/Field";
import { FormError } from "../components/FormError";
import { Notice } from "../components/Notice";
import { isMessageKey } from "../i18n/messages";
import { useT } from "../i18n/use-t";
import { requireCohort } from "../auth/access.server";
import {
  addSession,
  attendanceOf,
  saveAttendance,
  sessionsOf,
  withSessionFilled,
  type AttendanceCell,
} from "../services/cohort-records.server";
import { enrolledTraineesPage } from "../services/cohorts.server";
import { ATTENDANCE_PAGE_SIZE, pageFrom } from "../domain/paging";
import { Pager } from "../components/Pager";
import { classSessionSchema } from "../validation/cohorts";
import { formValues, parseForm, type FieldErrors } from "../validation/form";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "cohort.tab.attendance" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { cohort } = requireCohort(context, request, params, "record:attendance");
  const { rows, info } = enrolledTraineesPage(cohort.id, gridPage(request));
  const recorded = new Map(
    attendanceOf(
      cohort.id,
      rows.map((r) => r.enrolmentId),
    ).map((a) => [`${a.sessionId}:${a.enrolmentId}`, a.hours]),
  );
  const sessions = sessionsOf(cohort.id);
  return {
    cohort: { startDate: cohort.startDate, endDate: cohort.endDate },
    sessions,
    info,
    // Each trainee's hours in the order of the sessions: a page of the grid is a thousand cells.
    trainees: rows.map((tr) => ({
      enrolmentId: tr.enrolmentId,
      name: tr.name,
      hours: sessions.map((s) => recorded.get(`${s.id}:${tr.enrolmentId}`) ?? null),
    })),
  };
}

/** The grid's page: a row holds a cell for every session, so a page holds fewer trainees than a list does. */
function gridPage(request: Request) {
  return pageFrom(new URL(request.url).searchParams.get("page"), ATTENDANCE_PAGE_SIZE);
}

type ActionResult = { intent: string; errors: FieldErrors; values: Record<string, string> };

export async function action({ context, request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const { user, cohort } = requireCohort(context, request, params, "record:attendance");
  const formData = await request.formData();
  const intent = String(formData.get("intent"));
  const page = gridPage(request).page;
  const back = () =>
    redirectWithNotice(context, `/bases/${params.orgId}/cohorts/${cohort.id}/attendance${page > 1 ? `?page=${page}` : ""}`, "common.saved");

  if (intent === "add-session") {
    const parsed = parseForm(classSessionSchema, formData);
    if (!parsed.ok) return { intent, errors: parsed.errors, values: parsed.values };
    const result = addSession(user.id, cohort, parsed.data);
    if (!result.ok) return { intent, errors: result.errors, values: formValues(formData) };
    throw back();
  }

  const cells: AttendanceCell[] = [];
  const values: Record<string, string> = {};
  for (const [name, value] of formData.entries()) {
    const match = name.match(/^a:(\d+):(.+)$/);
    if (!match) continue;
    values[name] = String(value);
    cells.push({ sessionId: Number(match[1]), enrolmentId: match[2], hours: String(value) });
  }
  // "Everyone present" fills the blank cells of one session with its full hours, for the whole cohort
  // and not only the page on screen.
  const fillSession = Number(formData.get("fillSession"));
  const result = await saveAttendance(user.id, cohort, fillSession ? withSessionFilled(cohort.id, fillSession, cells) : cells);
  if (!result.ok) return { intent: "save", errors: { _form: "attendance.fixCells", ...result.errors }, values };
  throw back();
}

export default function Attendance() {
  const t = useT();
  const { sessions, trainees, cohort, info } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const sessionState = result?.intent === "add-session" ? result : undefined;
  const gridState = result?.intent === "save" ? result : undefined;
  const cell = (sessionId: number, enrolmentId: string, saved: number | null) => {
    const key = `a:${sessionId}:${enrolmentId}`;
    return { key, value: gridState?.values[key] ?? saved?.toString() ?? "", error: gridState?.errors[key] };
  };
  return (
    <>
      <Notice />
      <section className="card">
        <h2>{t("attendance.title")}</h2>
        {sessions.length === 0 ? <p className="muted">{t("attendance.noSessions")}</p> : null}
        {sessions.length > 0 ? (
          <Form method="post" noValidate>
            <FormError state={gridState} />
            <TableWrap>
              <table className="grid-table" data-testid="attendance-grid">
                <thead>
                  <tr>
                    <th>{t("user.name")}</th>
                    {sessions.map((s) => (
                      <th key={s.id} title={s.title}>
                        <span id={`session-${s.id}`} hidden>
                          {s.date} {s.title}
                        </span>
                        {s.date.slice(5)}
                        <br />
                        <small>
                          {s.title} · {t(`session.${s.kind}`)} {s.hours}
                          {t("attendance.hourUnit")}
                        </small>
                        <br />
                        <SubmitButton name="fillSession" value={s.id} className="link-button">
                          {t("attendance.allPresent")}
                        </SubmitButton>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {trainees.map((tr, row) => (
                    <tr key={tr.enrolmentId}>
                      <th scope="row" id={`trainee-${row}`}>
                        {tr.name}
                      </th>
                      {sessions.map((s, column) => {
                        const c = cell(s.id, tr.enrolmentId, tr.hours[column]);
                        return (
                          <td key={s.id}>
                            <input
                              // Remount when the saved value changes: an uncontrolled input would keep showing the old one.
                              key={`${c.key}=${c.value}`}
                              name={c.key}
                              defaultValue={c.value}
                              inputMode="decimal"
                              // Named by its row and column headers (the trainee, the session's date and title) rather than a label repeated in every cell.
                              aria-labelledby={`trainee-${row} session-${s.id}`}
                              aria-invalid={c.error ? true : undefined}
                              aria-describedby={c.error ? `${c.key}-error` : undefined}
                            />
                            {/* In words under the cell, not in a tooltip: phones have no hover. */}
                            {c.error ? (
                              <small className="cell-error" id={`${c.key}-error`}>
                                {isMessageKey(c.error) ? t(c.error) : c.error}
                              </small>
                            ) : null}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
            <Pager info={info} />
            <input type="hidden" name="intent" value="save" />
            <p className="actions">
              <SubmitButton className="primary">{t("attendance.save")}</SubmitButton>
              <span className="muted">{t("attendance.help")}</span>
            </p>
          </Form>
        ) : null}
      </section>
      <section className="card">
        <h2>{t("attendance.addSession")}</h2>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="add-session" />
          <div className="row">
            <Field name="date" type="date" label={t("attendance.date")} state={sessionState} min={cohort.startDate} max={cohort.endDate} />
            <SelectField
              name="kind"
              label={t("attendance.kind")}
              state={sessionState}
              options={[
                { value: "theory", label: t("session.theory") },
                { value: "practice", label: t("session.practice") },
              ]}
            />
            <Field name="hours" inputMode="numeric" label={t("attendance.hours")} state={sessionState} />
          </div>
          <Field name="title" label={t("attendance.sessionTitle")} state={sessionState} />
          <div>
            <SubmitButton className="secondary">{t("attendance.addSession")}</SubmitButton>
          </div>
        </Form>
      </section>
    </>
  );
}
