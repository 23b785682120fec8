import type { LoaderFunctionArgs } from "@remix-run/node";
import { translator } from "../i18n/messages";
import { requireClaimExport } from "../auth/claim-access.server";
import { claimRosterWorkbook, XLSX_TYPE } from "../services/spreadsheets.server";
import { attachment } from "../utils/download";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { detail, claimedLines: lines } = requireClaimExport(context, request, params.claimId, "roster.xlsx", "claim-roster-xlsx");
  const body = await claimRosterWorkbook(
    `${detail.organisation.name} · ${detail.policy?.title ?? ""}`,
    detail.kind,
    lines,
    detail.totalFen,
    translator(context.locale),
  );
  return new Response(new Uint8Array(body), {
    headers: { "Content-Type": XLSX_TYPE, "Content-Disposition": attachment("申报名单.xlsx", "claim-roster.xlsx") },
  });
}
