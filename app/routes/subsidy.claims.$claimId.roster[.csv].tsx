import type { LoaderFunctionArgs } from "@remix-run/node";
import { translator } from "../i18n/messages";
import { requireClaim } from "../auth/claim-access.server";
import { claimRosterCsv } from "../services/spreadsheets.server";
import { attachment } from "../utils/download";
import { recordExport } from "../services/audit.server";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, detail, wholeIds } = requireClaim(context, request, params.claimId, "roster.csv");
  recordExport(user.id, "claim-roster-csv", {
    entityType: "claim",
    entityId: detail.claim.id,
    organisationId: detail.claim.organisationId,
    people: detail.totalSubjects,
    wholeIds,
  });
  const lines = detail.lines.filter((l) => l.status === "included" || l.status === "approved");
  return new Response(claimRosterCsv(detail.kind, lines, translator(context.locale)), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": attachment("申报名单.csv", "claim-roster.csv") },
  });
}
