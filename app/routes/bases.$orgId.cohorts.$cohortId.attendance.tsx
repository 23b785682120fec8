import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { useMemo } from "react";
import { Field, FormMessages, SelectField } from "../components/form-controls";
import { Notice } from "../components/Notice";
import { parseSubmission, replyRefused, type FormReply } from "../forms/submission";
import { replyFor, useFormMessage, useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { requireCohort } from "../auth/access.server";
import { addSession, attendanceOf, saveAttendance, sessionsOf, withSessionFilled } from "../services/cohort-records.server";
import { enrolledTraineesPage } from "../services/cohorts.server";
import { failure } from "../services/result";
import { ATTENDANCE_PAGE_SIZE, pageFrom } from "../domain/paging";
import { Pager } from "../components/Pager";
import { attendanceCellName, attendanceGridSchema, classSessionSchema } from "../validation/cohorts";
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

export async function action({ context, request, params }: ActionFunctionArgs): Promise<{ intent: string; reply: FormReply }> {
  const { user, cohort } = requireCohort(context, request, params, "record:attendance");
  const formData = await request.formData();
  const page = gridPage(request).page;
  const back = () =>
    redirectWithNotice(context, `/bases/${params.orgId}/cohorts/${cohort.id}/attendance${page > 1 ? `?page=${page}` : ""}`, "common.saved");

  if (formData.get("intent") === "add-session") {
    const submission = parseSubmission(formData, classSessionSchema);
    if (submission.status !== "success") return { intent: "add-session", reply: submission.reply() };
    const result = addSession(user.id, cohort, submission.value);
    if (!result.ok) return { intent: "add-session", reply: replyRefused(submission, result) };
    throw back();
  }

  const submission = parseSubmission(formData, attendanceGridSchema(sessionsOf(cohort.id)));
  if (submission.status !== "success") return { intent: "save", reply: submission.reply() };
  const { cells, fillSession } = submission.value;
  // "Everyone present" fills the blank cells of one session with its full hours, for the whole cohort
  // and not only the page on screen.
  const result = await saveAttendance(user.id, cohort, fillSession ? withSessionFilled(cohort.id, fillSession, cells) : cells);
  if (!result.ok) return { intent: "save", reply: replyRefused(submission, failure({ _form: "attendance.fixCells", ...result.errors })) };
  throw back();
}

export default function Attendance() {
  const t = useT();
  const message = useFormMessage();
  const { sessions, trainees, cohort, info } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const gridSchema = useMemo(() => attendanceGridSchema(sessions), [sessions]);
  const gridReply = replyFor(data, "save");
  // Checked when saved, then as each cell is corrected: a message shown as a cell is left would grow
  // its row and move the save button away from under the pointer pressing it.
  const [grid] = useSchemaForm(gridSchema, { id: "attendance", lastResult: gridReply, checkWhen: "submitted" });
  // Every cell's message from one map: a field's metadata for each of a thousand cells would cost the page more than its data.
  const cellErrors = grid.allErrors;
  const [session, fields] = useSchemaForm(classSessionSchema, {
    id: "add-session",
    lastResult: replyFor(data, "add-session"),
    defaultValue: { kind: "theory" },
  });
  // What was typed comes back with a refused save; a save that went through shows what is stored.
  const typed = (gridReply?.initialValue ?? {}) as Record<string, unknown>;
  const cell = (sessionId: number, enrolmentId: string, saved: number | null) => {
    const key = attendanceCellName(sessionId, enrolmentId);
    const value = typeof typed[key] === "string" ? (typed[key] as string) : (saved?.toString() ?? "");
    return { key, value, error: message(cellErrors[key]?.[0]) };
  };
  return (
    <>
      {/* A save the browser refused no longer stands under the last save's confirmation. */}
      {grid.status === "error" || session.status === "error" ? null : <Notice />}
      <section className="card">
        <h2>{t("attendance.title")}</h2>
        {sessions.length === 0 ? <p className="muted">{t("attendance.noSessions")}</p> : null}
        {sessions.length > 0 ? (
          <Form method="post" {...getFormProps(grid)}>
            <FormMessages errors={grid.errors} />
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
                                {c.error}
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
        <Form method="post" className="stack" {...getFormProps(session)}>
          <input type="hidden" name="intent" value="add-session" />
          <FormMessages errors={session.errors} />
          <div className="row">
            <Field meta={fields.date} type="date" label={t("attendance.date")} min={cohort.startDate} max={cohort.endDate} />
            <SelectField
              meta={fields.kind}
              label={t("attendance.kind")}
              options={[
                { value: "theory", label: t("session.theory") },
                { value: "practice", label: t("session.practice") },
              ]}
            />
            <Field meta={fields.hours} inputMode="numeric" label={t("attendance.hours")} />
          </div>
          <Field meta={fields.title} label={t("attendance.sessionTitle")} />
          <div>
            <SubmitButton className="secondary">{t("attendance.addSession")}</SubmitButton>
          </div>
        </Form>
      </section>
    </>
  );
}
