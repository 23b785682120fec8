import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { actorOf, idViewer } from "../auth/current-user.server";
import { requirePasswordReset } from "../auth/guard.server";
import { Field } from "../components/Field";
import { FormError } from "../components/FormError";
import { Notice } from "../components/Notice";
import { canResetPassword } from "../domain/permissions";
import { formatActivationCode } from "../domain/activation";
import { residentIdFor } from "../domain/resident-id";
import { ROSTER_LIMITS, type RosterRow } from "../domain/roster";
import { fillMessages, type MessageKey } from "../i18n/messages";
import { rosterProblemsText } from "../i18n/roster-text";
import { useT } from "../i18n/use-t";
import { requireCohort } from "../auth/access.server";
import { enrolledTrainees, enrolPeople, previewRoster } from "../services/cohorts.server";
import { readRoster } from "../services/spreadsheets.server";
import { uploadedFile } from "../http/uploads.server";
import { runInBackground } from "../services/background-writer.server";
import { passwordHolder, passwordHolders, resetToActivation } from "../services/users.server";
import { awaitingActivation, reissueMissingCodes } from "../services/activation-slips.server";
import { shanghaiDate } from "../domain/dates";
import type { FieldErrors } from "../validation/form";
import { enrolOneSchema, parseRosterPayload } from "../validation/cohorts";
import { formValues, parseForm } from "../validation/form";
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

/** Where each roster problem belongs when one person is typed in by hand. */
const FIELD_OF: Partial<Record<MessageKey, string>> = {
  "roster.nameMissing": "name",
  "error.mobile": "mobile",
  "roster.duplicateMobile": "mobile",
  "roster.unprintableName": "name",
};

function fieldErrors(row: RosterRow): FieldErrors {
  const errors: FieldErrors = {};
  for (const e of row.errors) {
    const field = FIELD_OF[e] ?? (e.startsWith("id.") ? "idNumber" : "_form");
    errors[field] ??= e;
  }
  return errors;
}

type ActionResult =
  | {
      intent: "one";
      errors: FieldErrors;
      values: Record<string, string>;
      params?: Record<string, Record<string, string>>;
      canLink?: string;
    }
  | { intent: "preview"; errors: FieldErrors; params?: { roster?: Record<string, string | number> }; rows: RosterRow[]; payload: string }
  | {
      intent: "reset-password";
      userId: string;
      errors: FieldErrors;
      done?: { name: string; signInWith: string; code: string; expires: string };
    };

export async function action({ context, request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const { user, cohort } = requireCohort(context, request, params, "manage:cohort");
  const back = (n: number) => redirectWithNotice(context, `/bases/${params.orgId}/cohorts/${cohort.id}/enrol`, "cohort.enrolled", { n });
  const isUpload = request.headers.get("content-type")?.startsWith("multipart/form-data");

  if (isUpload) {
    const file = await uploadedFile(request, "roster", ROSTER_LIMITS.fileBytes);
    if (file === "tooLarge") return { intent: "preview", errors: { roster: "roster.tooLarge" }, rows: [], payload: "" };
    if (!file || file.size === 0) return { intent: "preview", errors: { roster: "roster.noFile" }, rows: [], payload: "" };
    const parsed = readRoster(await file.arrayBuffer());
    if (!parsed.ok)
      return {
        intent: "preview",
        errors: { roster: parsed.error },
        ...(parsed.params ? { params: { roster: parsed.params } } : {}),
        rows: [],
        payload: "",
      };
    return { intent: "preview", errors: {}, rows: previewRoster(cohort, parsed.rows), payload: JSON.stringify(parsed.rows) };
  }

  const formData = await request.formData();
  if (formData.get("intent") === "reset-password") {
    const traineeId = String(formData.get("userId") ?? "");
    requirePasswordReset(context, request, passwordHolder(traineeId));
    const result = await resetToActivation(user.id, traineeId, cohort.organisationId);
    if (!result.ok) return { intent: "reset-password", userId: traineeId, errors: result.errors };
    const { name, signInWith, code, expiresAt } = result.value;
    return {
      intent: "reset-password",
      userId: traineeId,
      errors: {},
      done: { name, signInWith, code: formatActivationCode(code), expires: shanghaiDate(new Date(expiresAt).toISOString()) },
    };
  }
  if (formData.get("intent") === "reissue-codes") {
    reissueMissingCodes(user, cohort);
    throw redirectWithNotice(context, `/bases/${params.orgId}/cohorts/${cohort.id}/enrol`, "slip.reissued");
  }
  if (formData.get("intent") === "link") {
    // The preview again, with one row taken as the person on record it names.
    const inputs = parseRosterPayload(formData.get("payload"));
    if (!inputs) return { intent: "preview", errors: { roster: "roster.payloadInvalid" }, rows: [], payload: "" };
    const row = Number(formData.get("row"));
    const linked = inputs.map((r) => (r.row === row ? { ...r, linkExisting: true } : r));
    return { intent: "preview", errors: {}, rows: previewRoster(cohort, linked), payload: JSON.stringify(linked) };
  }
  if (formData.get("intent") === "commit") {
    const inputs = parseRosterPayload(formData.get("payload"));
    if (!inputs) return { intent: "preview", errors: { roster: "roster.payloadInvalid" }, rows: [], payload: "" };
    // A roster of up to 2,000 people is written by the background writer, so the server keeps
    // answering everyone else while the transaction runs.
    const result = await runInBackground({ kind: "enrol", actorUserId: user.id, cohortId: cohort.id, inputs, source: "roster" });
    if (!result.ok)
      return { intent: "preview", errors: { _form: "roster.changedSincePreview" }, rows: result.rows, payload: JSON.stringify(inputs) };
    throw back(result.enrolled);
  }

  const parsed = parseForm(enrolOneSchema, formData);
  if (!parsed.ok) return { intent: "one", errors: parsed.errors, values: parsed.values };
  const result = await enrolPeople(user.id, cohort, [{ row: 1, ...parsed.data }], "single");
  if (!result.ok) {
    const [row] = result.rows;
    const named = { char: row.unprintable ?? "", name: row.heldBy?.name ?? "", mobile: row.heldBy?.mobile ?? "" };
    return {
      intent: "one",
      errors: fieldErrors(row),
      values: formValues(formData),
      params: { name: named, _form: named, idNumber: named },
      canLink: row.heldBy?.canLink ? row.heldBy.name : undefined,
    };
  }
  throw back(1);
}

function RosterPreview({ result }: { result: Extract<ActionResult, { intent: "preview" }> }) {
  const t = useT();
  const bad = result.rows.filter((r) => r.errors.length);
  return (
    <section className="card" data-testid="roster-preview">
      <h2>{t("roster.previewTitle")}</h2>
      <FormError state={result} />
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
                  {r.heldBy?.canLink ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="link" />
                      <input type="hidden" name="row" value={r.row} />
                      <input type="hidden" name="payload" value={result.payload} />
                      <SubmitButton className="link-button">{t("roster.linkExisting")}</SubmitButton>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {bad.length === 0 && result.rows.length > 0 ? (
        <Form method="post" className="actions">
          <input type="hidden" name="intent" value="commit" />
          <input type="hidden" name="payload" value={result.payload} />
          <SubmitButton className="primary">{t("roster.commit", { n: result.rows.length })}</SubmitButton>
        </Form>
      ) : (
        <>
          <p className="muted">{t("roster.fixAndRetry")}</p>
          {result.rows.length > 0 ? (
            // A plain form: the answer is a file to save, not a page.
            <form method="post" action="roster-problems.xlsx" className="actions">
              <input type="hidden" name="payload" value={result.payload} />
              <SubmitButton className="secondary">{t("roster.downloadProblems", { n: bad.length })}</SubmitButton>
            </form>
          ) : null}
        </>
      )}
    </section>
  );
}

export default function Enrol() {
  const t = useT();
  const { trainees, capacity, slips, withoutCode } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const one = result?.intent === "one" ? { ...result, errors: fillMessages(result.errors, result.params, t) } : undefined;
  const preview = result?.intent === "preview" ? result : undefined;
  const reset = result?.intent === "reset-password" ? result : undefined;
  return (
    <>
      <Notice />
      <section className="card">
        <h2>{t("roster.importTitle")}</h2>
        <p className="muted">
          {t("roster.importHelp")} <a href="/roster-template.xlsx">{t("roster.template")}</a>
        </p>
        <Form method="post" encType="multipart/form-data" className="row" noValidate>
          <div className="field">
            <label htmlFor="f-roster">{t("roster.file")}</label>
            <input
              id="f-roster"
              type="file"
              name="roster"
              accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            />
            {preview?.errors.roster ? (
              <span className="error" role="alert">
                {t(preview.errors.roster, preview.params?.roster)}
              </span>
            ) : null}
          </div>
          <SubmitButton className="secondary" disabled={busy}>
            {t("roster.preview")}
          </SubmitButton>
        </Form>
      </section>
      {preview && preview.rows.length ? <RosterPreview result={preview} /> : null}
      <section className="card">
        <h2>{t("roster.oneTitle")}</h2>
        <Form method="post" className="stack" noValidate>
          <FormError state={one} />
          <div className="row">
            <Field name="name" label={t("user.name")} state={one} />
            <Field name="mobile" label={t("user.mobile")} state={one} inputMode="tel" />
          </div>
          <Field name="idNumber" label={t("user.idNumber")} state={one} />
          <Field name="employer" label={t("roster.employer")} state={one} />
          {one?.canLink ? (
            <label className="confirm-check">
              <input type="checkbox" name="linkExisting" value="yes" /> {t("roster.linkHint", { name: one.canLink })}{" "}
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
            <Form method="post" action=".">
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
                    {tr.reset === "allowed" ? (
                      // Remounted (closed) once this trainee's reset is done.
                      <details key={reset?.done && reset.userId === tr.userId ? "done" : "ask"}>
                        <summary>{t("cohort.resetPassword")}</summary>
                        {/* "." drops the query string, so an earlier notice does not show again. */}
                        <Form method="post" action="." className="stack row-confirm">
                          <input type="hidden" name="intent" value="reset-password" />
                          <input type="hidden" name="userId" value={tr.userId} />
                          <p>{t("cohort.resetConfirm")}</p>
                          <div>
                            <SubmitButton className="danger" disabled={busy}>
                              {t("cohort.resetDo")}
                            </SubmitButton>
                          </div>
                        </Form>
                      </details>
                    ) : (
                      <span className="muted">{t(tr.reset === "noMobile" ? "cohort.resetNoMobile" : "cohort.resetAdminOnly")}</span>
                    )}
                    {reset?.userId === tr.userId && reset.errors._form ? (
                      <span className="error-text" role="alert">
                        {" "}
                        {t(reset.errors._form)}
                      </span>
                    ) : null}
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
