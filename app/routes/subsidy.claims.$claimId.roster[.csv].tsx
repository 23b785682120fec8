import type { LoaderFunctionArgs } from "@remix-run/node";
import { translator } from "../i18n/messages";
import { requireClaimExport } from "../auth/claim-access.server";
import { claimRosterCsv } from "../services/spreadsheets.server";
import { attachment } from "../utils/download";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { detail, claimedLines: lines } = requireClaimExport(context, request, params.claimId, "roster.csv", "claim-roster-csv");
  return new Response(claimRosterCsv(detail.kind, lines, translator(context.locale)), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": attachment("申报名单.csv", "claim-roster.csv") },
  });
}
