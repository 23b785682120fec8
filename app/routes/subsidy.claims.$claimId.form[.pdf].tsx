import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderClaimForm } from "../pdf/claim-form.server";
import { requireClaim } from "../auth/claim-access.server";
import { today } from "../services/clock.server";
import { attachment } from "../utils/download";
import { recordExport } from "../services/audit.server";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, detail, wholeIds } = requireClaim(context, request, params.claimId, "form.pdf");
  recordExport(user.id, "claim-form", {
    entityType: "claim",
    entityId: detail.claim.id,
    organisationId: detail.claim.organisationId,
    people: detail.totalSubjects,
    wholeIds,
  });
  const pdf = await renderClaimForm(detail, today());
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": attachment(`${detail.policy?.title ?? "补贴"}申报表.pdf`, "claim-form.pdf"),
    },
  });
}
