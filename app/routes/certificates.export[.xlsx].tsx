import type { LoaderFunctionArgs } from "@remix-run/node";
import { idViewer } from "../auth/current-user.server";
import { residentIdFor } from "../domain/resident-id";
import { translator } from "../i18n/messages";
import { registerQuery } from "../auth/certificate-access.server";
import { statusOf } from "../services/certificates.server";
import { registerWorkbook, XLSX_TYPE } from "../services/spreadsheets.server";
import { attachment } from "../utils/download";
import { recordExport } from "../services/audit.server";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const { user, search } = registerQuery(context, request, new URL(request.url).searchParams);
  const viewer = idViewer(user);
  // Every matching certificate: the register page may list only the first ones, the export never stops short.
  const rows = search().map((c) => ({ ...c, holderIdNumber: residentIdFor(viewer, c.userId, c.holderIdNumber), status: statusOf(c) }));
  const body = await registerWorkbook(rows, translator(context.locale));
  const org = new URL(request.url).searchParams.get("org");
  recordExport(user.id, "certificate-register", {
    entityType: "organisation",
    entityId: org || "(all)",
    organisationId: org || null,
    people: rows.length,
    wholeIds: viewer.isAdmin,
  });
  return new Response(new Uint8Array(body), {
    headers: { "Content-Type": XLSX_TYPE, "Content-Disposition": attachment("证书登记册.xlsx", "certificates.xlsx") },
  });
}
