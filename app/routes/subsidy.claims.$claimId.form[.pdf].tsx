import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderClaimForm } from "../pdf/claim-form.server";
import { requireClaimExport } from "../auth/claim-access.server";
import { today } from "../services/clock.server";
import { attachment } from "../utils/download";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { detail } = requireClaimExport(context, request, params.claimId, "form.pdf", "claim-form");
  const pdf = await renderClaimForm(detail, today());
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": attachment(`${detail.policy?.title ?? "补贴"}申报表.pdf`, "claim-form.pdf"),
    },
  });
}
