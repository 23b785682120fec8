import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/guard.server";
import { rosterTemplate, XLSX_TYPE } from "../services/spreadsheets.server";
import { attachment } from "../utils/download";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return new Response(new Uint8Array(await rosterTemplate()), {
    headers: { "Content-Type": XLSX_TYPE, "Content-Disposition": attachment("学员名单模板.xlsx", "roster-template.xlsx") },
  });
}
