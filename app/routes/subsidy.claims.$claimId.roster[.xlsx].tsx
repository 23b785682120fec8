import type { LoaderFunctionArgs } from "@remix-run/node";
import { translator } from "../i18n/messages";
import { requireClaim } from "../auth/claim-access.server";
import { claimRosterWorkbook, XLSX_TYPE } from "../services/spreadsheets.server";
import { attachment } from "../utils/download";
import { recordExport } from "../services/audit.server";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, detail, wholeIds } = requireClaim(context, request, params.claimId, "roster.xlsx");
  recordExport(user.id, "claim-roster-xlsx", {
    entityType: "claim",
    entityId: detail.claim.id,
    organisationId: detail.claim.organisationId,
    people: detail.totalSubjects,
    wholeIds,
  });
  const lines = detail.lines.filter((l) => l.status === "included" || l.status === "approved");
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
