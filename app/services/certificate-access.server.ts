import type { AppLoadContext } from "@remix-run/node";
import { forbidden, notFound, requireGlobalPermission, requirePermission, requireUser, userCan } from "../auth/guard.server";
import type { Action } from "../domain/permissions";
import { getCertificate, searchCertificates, type RegisterQuery } from "./certificates.server";

/** A certificate for its holder, or for staff who may `action` at the issuing base. */
export function requireCertificate(context: AppLoadContext, request: Request, id: string | undefined, action: Action, allowHolder = false) {
  const user = requireUser(context, request);
  const certificate = getCertificate(id ?? "");
  if (!certificate) throw notFound();
  const isHolder = allowHolder && certificate.userId === user.id;
  if (!isHolder && !userCan(user, action, { organisationId: certificate.organisationId })) throw forbidden();
  return { user, certificate };
}

/** The register of one base (`?org=`), or of all bases for those who see every base. */
export function registerQuery(context: AppLoadContext, request: Request, params: URLSearchParams) {
  const org = params.get("org") ?? "";
  const user = org ? requirePermission(context, request, "view:base", { organisationId: org }) : requireGlobalPermission(context, request, "view:base");
  const query: RegisterQuery = {
    organisationId: org || undefined,
    name: params.get("name") || undefined,
    idNumber: params.get("id") || undefined,
    serial: params.get("serial") || undefined,
    programCode: params.get("program") || undefined,
    from: params.get("from") || undefined,
    to: params.get("to") || undefined,
  };
  return { user, org, query, search: () => searchCertificates(query) };
}
