import { isCalendarDate } from "../domain/dates";
import type { AppLoadContext } from "@remix-run/node";
import { idViewer } from "./current-user.server";
import { forbidden, notFound, requireGlobalPermission, requirePermission, requireUser, userCan } from "./guard.server";
import type { Action } from "../domain/permissions";
import type { MessageKey } from "../i18n/messages";
import {
  countCertificates,
  getCertificate,
  isWholeResidentId,
  searchCertificates,
  type RegisterQuery,
} from "../services/certificates.server";

/** A certificate for its holder, or for staff who may `action` at the issuing base. */
export function requireCertificate(context: AppLoadContext, request: Request, id: string | undefined, action: Action, allowHolder = false) {
  const user = requireUser(context, request);
  const certificate = getCertificate(id ?? "");
  if (!certificate) throw notFound();
  const isHolder = allowHolder && certificate.userId === user.id;
  if (!isHolder && !userCan(user, action, { organisationId: certificate.organisationId })) throw forbidden();
  return { user, certificate };
}

/**
 * The register of one base (`?org=`), or of all bases for those who see every base. Admins, who see
 * ID numbers whole, may search by part of one; everyone else only by a whole, valid number
 * (`idError` says why a partial one finds nothing).
 */
/** A date typed into a filter, or nothing when it is not one (a filter never fails the page). */
function calendarDateOr(text: string | null): string | undefined {
  return text && isCalendarDate(text) ? text : undefined;
}

export function registerQuery(context: AppLoadContext, request: Request, params: URLSearchParams) {
  const org = params.get("org") ?? "";
  const user = org
    ? requirePermission(context, request, "view:base", { organisationId: org })
    : requireGlobalPermission(context, request, "view:base");
  const idMatch = idViewer(user).isAdmin ? "partial" : "whole";
  const idNumber = params.get("id")?.trim() || undefined;
  const idError: MessageKey | null = idNumber && idMatch === "whole" && !isWholeResidentId(idNumber) ? "certificate.idSearchWhole" : null;
  const query: RegisterQuery = {
    organisationId: org || undefined,
    name: params.get("name") || undefined,
    idNumber,
    idMatch,
    serial: params.get("serial") || undefined,
    programCode: params.get("program") || undefined,
    from: params.get("from") || undefined,
    to: params.get("to") || undefined,
    expiresFrom: calendarDateOr(params.get("expiresFrom")),
    expiresTo: calendarDateOr(params.get("expiresTo")),
  };
  return {
    user,
    org,
    query,
    idError,
    /** Every matching certificate, or `limit` of them from `offset`. */
    search: (limit?: number, offset?: number) => searchCertificates({ ...query, limit, offset }),
    count: () => countCertificates(query),
  };
}
