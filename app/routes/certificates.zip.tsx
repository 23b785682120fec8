import type { ActionFunctionArgs } from "@remix-run/node";
import { zipSync } from "fflate";
import * as z from "zod";
import { requireUser, userCan } from "../auth/guard.server";
import { certificatePdf, getCertificate, type Certificate } from "../services/certificates.server";
import { attachment } from "../utils/download";
import { certificateFileName, uniqueFileNames } from "../domain/file-name";
import { recordExport } from "../services/audit.server";
import { parseSubmission } from "../forms/submission";
import { checkboxes } from "../validation/fields";

/** The certificates ticked in the register. */
const selectionSchema = z.object({ id: checkboxes(z.string()) });

/** The selected certificates as one .zip of their PDFs; ones the user may not see are left out. */
export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const submission = parseSubmission(await request.formData(), selectionSchema);
  const ids = submission.status === "success" ? submission.value.id.slice(0, 2000) : [];
  const chosen = [...new Set(ids)]
    .map(getCertificate)
    .filter((c): c is Certificate => !!c && userCan(user, "view:base", { organisationId: c.organisationId }));
  // Names come from rosters and may hold anything: each becomes one plain, unique file name.
  const names = uniqueFileNames(chosen.map((c) => certificateFileName(c.serial, c.holderName)));
  const files: Record<string, Uint8Array> = {};
  for (const [i, c] of chosen.entries()) {
    files[names[i]] = new Uint8Array(await certificatePdf(c));
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (Object.keys(files).length === 0) throw new Response("没有选中可下载的证书 / No certificates selected", { status: 400 });
  recordExport(user.id, "certificate-pdfs", { entityType: "certificate", entityId: "(selection)", people: Object.keys(files).length });
  // PDFs are already compressed: store them rather than deflate again.
  const zip = zipSync(files, { level: 0 });
  return new Response(zip, {
    headers: { "Content-Type": "application/zip", "Content-Disposition": attachment("证书.zip", "certificates.zip") },
  });
}
