import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import * as z from "zod";
import { actorOf, idViewer } from "../auth/current-user.server";
import { requirePasswordReset } from "../auth/guard.server";
import { Field, FormMessages } from "../components/form-controls";
import { Notice } from "../components/Notice";
import { canResetPassword } from "../domain/permissions";
import { formatActivationCode } from "../domain/activation";
import { residentIdFor } from "../domain/resident-id";
import { ROSTER_LIMITS, type RosterRow } from "../domain/roster";
import { noFields, parseSubmission, replyRefused, type FormReply } from "../forms/submission";
import { replyFor, useFormMessage, useSchemaForm } from "../forms/use-schema-form";
import type { MessageKey } from "../i18n/messages";
import { rosterProblemsText } from "../i18n/roster-text";
import { useT } from "../i18n/use-t";
import { requireCohort } from "../auth/access.server";
import { enrolledTrainees, enrolPeople, previewRoster } from "../services/cohorts.server";
import { readRoster } from "../services/spreadsheets.server";
import { uploadedFile } from "../http/uploads.server";
import { runInBackground } from "../services/background-writer.server";
import { passwordHolder, passwordHolders, resetToActivation } from "../services/users.server";
import { awaitingActivation, reissueMissingCodes } from "../services/activation-slips.server";
import { failure, refuse, type FieldErrors, type Refusal } from "../services/result";
import { shanghaiDate } from "../domain/dates";
import { enrolOneSchema, rosterLinkSchema, rosterPayloadFormSchema, rosterUploadSchema } from "../validation/cohorts";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "cohort.tab.enrol" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, cohort } = requireCohort(context, request, params, "manage:cohort");
  const trainees = enrolledTrainees(cohort.id);
  const holders = passwordHolders(trainees.map((tr) => tr.userId));
  // Whether the registrar can reset this trainee's password here, and if not, whom to ask.
  const reset = (tr: (typeof trainees)[number]) => {
    const holder = holders.get(tr.userId);
    if (!holder || !canResetPassword(actorOf(user), holder)) return "adminOnly" as const;
    return tr.mobile ? ("allowed" as const) : ("noMobile" as const);
  };
  const activation = awaitingActivation(user, cohort);
  const pending = new Map(activation.slips.map((s) => [s.userId, s.validUntil]));
  const missing = new Set([...activation.withoutCode, ...activation.notOurs]);
  return {
    capacity: cohort.capacity,
    slips: activation.slips.length,
    withoutCode: activation.withoutCode.length,
    trainees: trainees.map((tr) => ({
      userId: tr.userId,
      name: tr.name,
      mobile: tr.mobile,
      employerName: tr.employerName,
      idNumber: residentIdFor(idViewer(user), tr.userId, tr.idNumber),
      reset: reset(tr),
      signIn: pending.has(tr.userId)
        ? { state: "pending" as const, until: pending.get(tr.userId)! }
        : missing.has(tr.userId)
          ? { state: "missing" as const }
          : { state: "active" as const },
    })),
  };
}

/** The trainee whose password the pressed button resets. */
const resetPasswordSchema = z.object({ userId: z.string().default("") });

/** Where each roster problem belongs when one person is typed in by hand. */
const FIELD_OF: Partial<Record<MessageKey, string>> = {
  "roster.nameMissing": "name",
  "error.mobile": "mobile",
  "roster.duplicateMobile": "mobile",
  "roster.unprintableName": "name",
};

/** The problems of the one person typed in, each beside its field, naming the person on record or the character it is about. */
function refusalOf(row: RosterRow): Refusal {
  const errors: FieldErrors = {};
  for (const e of row.errors) {
    const field = FIELD_OF[e] ?? (e.startsWith("id.") ? "idNumber" : "_form");
    errors[field] ??= e;
  }
  const named = { char: row.unprintable ?? "", name: row.heldBy?.name ?? "", mobile: row.heldBy?.mobile ?? "" };
  return failure(errors, { name: named, _form: named, idNumber: named });
}

type Preview = { intent: "preview"; reply: FormReply; rows: RosterRow[]; payload: string };

type ActionResult =
  | Preview
  | { intent: "one"; reply: FormReply; canLink?: string }
  | {
      intent: "reset-password";
      userId: string;
      reply: FormReply;
      done?: { name: string; signInWith: string; code: string; expires: string };
    };

/**
 * A roster refused before any row is shown (the file, or rows sent back that no preview made): said
 * beside the file field, which is where the registrar starts again.
 */
function rosterRefused(refusal: Refusal): Preview {
  return { intent: "preview", reply: replyRefused(parseSubmission(new FormData(), noFields), refusal), rows: [], payload: "" };
}

export async function action({ context, request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const { user, cohort } = requireCohort(context, request, params, "manage:cohort");
  const back = (n: number) => redirectWithNotice(context, `/bases/${params.orgId}/cohorts/${cohort.id}/enrol`, "cohort.enrolled", { n });
  const isUpload = request.headers.get("content-type")?.startsWith("multipart/form-data");

  if (isUpload) {
    // Read part by part against the limit, so an upload of any size or shape cannot fill memory.
    const file = await uploadedFile(request, "roster", ROSTER_LIMITS.fileBytes);
    if (file === "tooLarge") return rosterRefused(refuse("roster", "roster.tooLarge"));
    const sent = new FormData();
    if (file) sent.set("roster", file);
    const submission = parseSubmission(sent, rosterUploadSchema);
    if (submission.status !== "success") return { intent: "preview", reply: submission.reply(), rows: [], payload: "" };
    const read = readRoster(await submission.value.roster.arrayBuffer());
    if (!read.ok) return { intent: "preview", reply: replyRefused(submission, read), rows: [], payload: "" };
    return { intent: "preview", reply: submission.reply(), rows: previewRoster(cohort, read.value), payload: JSON.stringify(read.value) };
  }

  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "reset-password") {
    const submission = parseSubmission(formData, resetPasswordSchema);
    const traineeId = submission.status === "success" ? submission.value.userId : "";
    requirePasswordReset(context, request, passwordHolder(traineeId));
    const result = await resetToActivation(user.id, traineeId, cohort.organisationId);
    if (!result.ok) return { intent: "reset-password", userId: traineeId, reply: replyRefused(submission, result) };
    const { name, signInWith, code, expiresAt } = result.value;
    return {
      intent: "reset-password",
      userId: traineeId,
      reply: submission.reply(),
      done: { name, signInWith, code: formatActivationCode(code), expires: shanghaiDate(new Date(expiresAt).toISOString()) },
    };
  }
  if (intent === "reissue-codes") {
    reissueMissingCodes(user, cohort);
    throw redirectWithNotice(context, `/bases/${params.orgId}/cohorts/${cohort.id}/enrol`, "slip.reissued");
  }
  if (intent === "link") {
    // The preview again, with one row taken as the person on record it names.
    const submission = parseSubmission(formData, rosterLinkSchema);
    if (submission.status !== "success") return rosterRefused(refuse("roster", "roster.payloadInvalid"));
    const { payload, row } = submission.value;
    const linked = payload.map((r) => (r.row === row ? { ...r, linkExisting: true } : r));
    return {
      intent: "preview",
      reply: submission.reply({ hideFields: ["payload"] }),
      rows: previewRoster(cohort, linked),
      payload: JSON.stringify(linked),
    };
  }
  if (intent === "commit") {
    const submission = parseSubmission(formData, rosterPayloadFormSchema);
    if (submission.status !== "success") return rosterRefused(refuse("roster", "roster.payloadInvalid"));
    const inputs = submission.value.payload;
    // A roster of up to 2,000 people is written by the background writer, so the server keeps
    // answering everyone else while the transaction runs.
    const result = await runInBackground({ kind: "enrol", actorUserId: user.id, cohortId: cohort.id, inputs, source: "roster" });
    if (!result.ok)
      return {
        intent: "preview",
        reply: replyRefused(submission, refuse("_form", "roster.changedSincePreview"), { hideFields: ["payload"] }),
        rows: result.rows,
        payload: JSON.stringify(inputs),
      };
    throw back(result.enrolled);
  }

  const submission = parseSubmission(formData, enrolOneSchema);
  if (submission.status !== "success") return { intent: "one", reply: submission.reply() };
  const result = await enrolPeople(user.id, cohort, [{ row: 1, ...submission.value }], "single");
  if (!result.ok) {
    const [row] = result.rows;
    return {
      intent: "one",
      reply: replyRefused(submission, refusalOf(row)),
      canLink: row.heldBy?.canLink ? row.heldBy.name : undefined,
    };
  }
  throw back(1);
}

/** A preview row's button: enrol this row as the person on record its ID number belongs to. */
function LinkRow({ row, payload }: { row: number; payload: string }) {
  const t = useT();
  const [form] = useSchemaForm(rosterLinkSchema, { id: `roster-link-${row}` });
  return (
    <Form method="post" className="inline-form" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="link" />
      <input type="hidden" name="row" value={row} />
      <input type="hidden" name="payload" value={payload} />
      <SubmitButton className="link-button">{t("roster.linkExisting")}</SubmitButton>
    </Form>
  );
}

function RosterPreview({ result }: { result: Preview }) {
  const t = useT();
  const [commit] = useSchemaForm(rosterPayloadFormSchema, { id: "roster-commit", lastResult: result.reply });
  const [problems] = useSchemaForm(rosterPayloadFormSchema, { id: "roster-problems" });
  const bad = result.rows.filter((r) => r.errors.length);
  return (
    <section className="card" data-testid="roster-preview">
      <h2>{t("roster.previewTitle")}</h2>
      <FormMessages errors={commit.errors} />
      <p>
        {bad.length === 0
          ? t("roster.allGood", { n: result.rows.length })
          : t("roster.someBad", { n: result.rows.length, bad: bad.length })}
      </p>
      <TableWrap>
        <table>
          <thead>
            <tr>
              <th>{t("roster.row")}</th>
              <th>{t("user.name")}</th>
              <th>{t("user.mobile")}</th>
              <th>{t("user.idNumber")}</th>
              <th>{t("roster.employer")}</th>
              <th>{t("roster.problems")}</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((r) => (
              <tr key={r.row} data-row={r.row} className={r.errors.length ? "bad-row" : undefined}>
                <td>{r.row}</td>
                <td>{r.name}</td>
                <td>{r.mobile}</td>
                <td>{r.idNumber}</td>
                <td>{r.employer}</td>
                <td className="error-text">
                  {rosterProblemsText(t, r) || (r.existingUserId ? t("roster.knownPerson") : "✓")}
                  {r.heldBy?.canLink ? <LinkRow row={r.row} payload={result.payload} /> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {bad.length === 0 && result.rows.length > 0 ? (
        <Form method="post" className="actions" {...getFormProps(commit)}>
          <input type="hidden" name="intent" value="commit" />
          <input type="hidden" name="payload" value={result.payload} />
          <SubmitButton className="primary">{t("roster.commit", { n: result.rows.length })}</SubmitButton>
        </Form>
      ) : (
        <>
          <p className="muted">{t("roster.fixAndRetry")}</p>
          {result.rows.length > 0 ? (
            // A plain form: the answer is a file to save, not a page.
            <form method="post" action="roster-problems.xlsx" className="actions" {...getFormProps(problems)}>
              <input type="hidden" name="payload" value={result.payload} />
              <SubmitButton className="secondary">{t("roster.downloadProblems", { n: bad.length })}</SubmitButton>
            </form>
          ) : null}
        </>
      )}
    </section>
  );
}

/** A trainee's password reset (when the registrar may do it here), or whom to ask; its refusal is said in the row. */
function ResetPassword({
  trainee,
  reply,
  done,
}: {
  trainee: { userId: string; reset: "allowed" | "noMobile" | "adminOnly" };
  reply?: FormReply;
  done: boolean;
}) {
  const t = useT();
  const message = useFormMessage();
  const busy = useNavigation().state === "submitting";
  const [form] = useSchemaForm(resetPasswordSchema, { id: `reset-password-${trainee.userId}`, lastResult: reply });
  const refused = message(form.errors?.[0]);
  return (
    <>
      {trainee.reset === "allowed" ? (
        // Remounted (closed) once this trainee's reset is done.
        <details key={done ? "done" : "ask"}>
          <summary>{t("cohort.resetPassword")}</summary>
          {/* "." drops the query string, so an earlier notice does not show again. */}
          <Form method="post" action="." className="stack row-confirm" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="reset-password" />
            <input type="hidden" name="userId" value={trainee.userId} />
            <p>{t("cohort.resetConfirm")}</p>
            <div>
              <SubmitButton className="danger" disabled={busy}>
                {t("cohort.resetDo")}
              </SubmitButton>
            </div>
          </Form>
        </details>
      ) : (
        <span className="muted">{t(trainee.reset === "noMobile" ? "cohort.resetNoMobile" : "cohort.resetAdminOnly")}</span>
      )}
      {refused ? (
        <span className="error-text" role="alert">
          {" "}
          {refused}
        </span>
      ) : null}
    </>
  );
}

export default function Enrol() {
  const t = useT();
  const { trainees, capacity, slips, withoutCode } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const preview = data?.intent === "preview" ? data : undefined;
  const one = data?.intent === "one" ? data : undefined;
  const reset = data?.intent === "reset-password" ? data : undefined;
  const [upload, uploadFields] = useSchemaForm(rosterUploadSchema, { id: "roster-upload", lastResult: preview?.reply });
  const [enrolOne, fields] = useSchemaForm(enrolOneSchema, { id: "enrol-one", lastResult: replyFor(data, "one") });
  const [reissue] = useSchemaForm(noFields, { id: "reissue-codes" });
  return (
    <>
      <Notice />
      <section className="card">
        <h2>{t("roster.importTitle")}</h2>
        <p className="muted">
          {t("roster.importHelp")} <a href="/roster-template.xlsx">{t("roster.template")}</a>
        </p>
        <Form method="post" encType="multipart/form-data" className="row" {...getFormProps(upload)}>
          <Field
            meta={uploadFields.roster}
            type="file"
            label={t("roster.file")}
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
          />
          <SubmitButton className="secondary" disabled={busy}>
            {t("roster.preview")}
          </SubmitButton>
        </Form>
      </section>
      {preview && preview.rows.length ? <RosterPreview result={preview} /> : null}
      <section className="card">
        <h2>{t("roster.oneTitle")}</h2>
        <Form method="post" className="stack" {...getFormProps(enrolOne)}>
          <FormMessages errors={enrolOne.errors} />
          <div className="row">
            <Field meta={fields.name} label={t("user.name")} />
            <Field meta={fields.mobile} label={t("user.mobile")} inputMode="tel" />
          </div>
          <Field meta={fields.idNumber} label={t("user.idNumber")} />
          <Field meta={fields.employer} label={t("roster.employer")} />
          {one?.canLink ? (
            <label className="confirm-check">
              <input type="checkbox" name={fields.linkExisting.name} value="yes" /> {t("roster.linkHint", { name: one.canLink })}{" "}
              {t("roster.linkExisting")}
            </label>
          ) : null}
          <div>
            <SubmitButton className="primary" disabled={busy}>
              {t("roster.enrolOne")}
            </SubmitButton>
          </div>
        </Form>
      </section>
      {slips || withoutCode ? (
        <section className="card" data-testid="slips">
          <h2>{t("slip.title")}</h2>
          <p className="muted">{t("slip.help")}</p>
          <p className="actions">
            {slips ? (
              <>
                <a className="button" href="slips.pdf" download>
                  {t("slip.pdf")}
                </a>
                <a className="button secondary-button" href="slips.xlsx" download>
                  {t("slip.xlsx")}
                </a>
              </>
            ) : null}
          </p>
          {withoutCode ? (
            <Form method="post" action="." {...getFormProps(reissue)}>
              <input type="hidden" name="intent" value="reissue-codes" />
              <SubmitButton className="secondary" disabled={busy}>
                {t("slip.reissue", { n: withoutCode })}
              </SubmitButton>
            </Form>
          ) : null}
        </section>
      ) : null}
      <section className="card">
        <h2>
          {t("cohort.trainees")} ({trainees.length}/{capacity})
        </h2>
        {reset?.done ? (
          <p className="flash" role="status" data-testid="reset-done">
            {t("cohort.passwordReset", {
              name: reset.done.name,
              identifier: reset.done.signInWith,
              code: reset.done.code,
              expires: reset.done.expires,
            })}
          </p>
        ) : null}
        <TableWrap>
          <table data-testid="enrolled-list">
            <tbody>
              {trainees.map((tr) => (
                <tr key={tr.userId}>
                  <td>{tr.name}</td>
                  <td>{tr.mobile}</td>
                  <td>{tr.idNumber}</td>
                  <td>{tr.employerName}</td>
                  <td data-testid="sign-in-state">
                    {tr.signIn.state === "pending" ? (
                      <>
                        {t("cohort.activationPending", { date: tr.signIn.until })}{" "}
                        <a href={`slips.pdf?user=${tr.userId}`} download>
                          {t("slip.one")}
                        </a>
                      </>
                    ) : tr.signIn.state === "missing" ? (
                      t("cohort.activationMissing")
                    ) : (
                      t("cohort.activated")
                    )}
                  </td>
                  <td>
                    <ResetPassword
                      trainee={tr}
                      reply={reset?.userId === tr.userId ? reset.reply : undefined}
                      done={!!reset?.done && reset.userId === tr.userId}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </>
  );
}
