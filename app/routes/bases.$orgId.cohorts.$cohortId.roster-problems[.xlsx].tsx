import type { ActionFunctionArgs } from "@remix-run/node";
import { translator } from "../i18n/messages";
import { rosterProblemsText } from "../i18n/roster-text";
import { requireCohort } from "../auth/access.server";
import { recordExport } from "../services/audit.server";
import { previewRoster } from "../services/cohorts.server";
import { rosterWithProblems, XLSX_TYPE } from "../services/spreadsheets.server";
import { attachment } from "../utils/download";
import { parseSubmission } from "../forms/submission";
import { rosterPayloadFormSchema } from "../validation/cohorts";

/** The roster just previewed, back as a workbook with each row's problems in a column of its own. */
export async function action({ context, request, params }: ActionFunctionArgs) {
  const { user, cohort } = requireCohort(context, request, params, "manage:cohort");
  const submission = parseSubmission(await request.formData(), rosterPayloadFormSchema);
  if (submission.status !== "success") throw new Response("Bad Request", { status: 400 });
  const inputs = submission.value.payload;
  const t = translator(context.locale);
  const rows = previewRoster(cohort, inputs).map((r, i) => ({
    // The cells as they were read, not as they were normalised, so nothing in the file changes but the problem column.
    name: String(inputs[i].name),
    mobile: String(inputs[i].mobile),
    idNumber: String(inputs[i].idNumber),
    employer: String(inputs[i].employer),
    problems: rosterProblemsText(t, r),
  }));
  recordExport(user.id, "roster-problems", {
    entityType: "cohort",
    entityId: cohort.id,
    organisationId: cohort.organisationId,
    people: rows.length,
    wholeIds: true,
  });
  return new Response(new Uint8Array(await rosterWithProblems(rows, t("roster.problemColumn"))), {
    headers: { "Content-Type": XLSX_TYPE, "Content-Disposition": attachment("学员名单（问题标注）.xlsx", "roster-problems.xlsx") },
  });
}
