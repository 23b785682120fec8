import { redirect, type AppLoadContext } from "@remix-run/node";
import { redirectWithNotice } from "../http/notice-cookie.server";
import {
  can,
  canResetPassword,
  grantOf,
  hasAnyScope,
  type Action,
  type Actor,
  type PasswordHolder,
  type Target,
} from "../domain/permissions";
import { organisationRegionPath } from "../services/jurisdictions.server";
import { actorOf, type CurrentUser } from "./current-user.server";

/**
 * The target with its organisation's region path, which region-scoped grants (an authority's
 * reach) are judged on; read only when the actor holds such a grant for the action.
 */
function located(actor: Actor, action: Action, target: Target): Target {
  if (target.regionPath || !target.organisationId) return target;
  if (!actor.assignments.some((a) => grantOf(a.role, action)?.scope === "region")) return target;
  return { ...target, regionPath: organisationRegionPath(target.organisationId) };
}

function allowed(user: CurrentUser, action: Action, target: Target): boolean {
  const actor = actorOf(user);
  return can(actor, action, located(actor, action, target));
}

export function forbidden(): Response {
  return new Response("Forbidden", { status: 403 });
}

export function notFound(): Response {
  return new Response("Not Found", { status: 404 });
}

/**
 * The signed-in user, or a redirect to the sign-in page that comes back here afterwards. An
 * account that must choose its password (first sign-in with an activation code, or after an
 * admin's reset) is sent to do that first.
 */
export function requireUser(context: AppLoadContext, request: Request): CurrentUser {
  const url = new URL(request.url);
  if (!context.user) throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  if (context.user.mustChangePassword && url.pathname !== "/account") throw redirectWithNotice(context, "/account", "account.mustChange");
  return context.user;
}

/** Throws 403 unless the signed-in user may do `action` on `target`. */
export function requirePermission(context: AppLoadContext, request: Request, action: Action, target: Target = {}): CurrentUser {
  const user = requireUser(context, request);
  if (!allowed(user, action, target)) throw forbidden();
  return user;
}

/** Throws 403 unless the signed-in user may reset this person's password; an unknown person too. */
export function requirePasswordReset(context: AppLoadContext, request: Request, holder: PasswordHolder | null): CurrentUser {
  const user = requireUser(context, request);
  if (!holder || !canResetPassword(actorOf(user), holder)) throw forbidden();
  return user;
}

export function userCan(user: CurrentUser | null, action: Action, target: Target = {}): boolean {
  return !!user && allowed(user, action, target);
}

/** For screens that span every organisation (admin, bureau review): needs an `any`-scoped grant. */
export function requireGlobalPermission(context: AppLoadContext, request: Request, action: Action): CurrentUser {
  const user = requireUser(context, request);
  if (!hasAnyScope(actorOf(user), action)) throw forbidden();
  return user;
}

/**
 * The signed-in reviewer of the health bureau whose region holds the base, and that bureau: who
 * designates and assesses the base, and in whose name. Anyone else gets 403.
 */
export function requireHealthBureau(
  context: AppLoadContext,
  request: Request,
  baseId: string,
  action: "designate:base" | "assess:base",
): { user: CurrentUser; bureauId: string } {
  const user = requirePermission(context, request, action, { organisationId: baseId });
  const path = organisationRegionPath(baseId);
  // The innermost bureau designates when a city's and a district's both reach the base.
  const bureau = user.assignments
    .filter((a) => a.role === "reviewer" && a.organisationKind === "health_bureau" && a.regionCode && path.includes(a.regionCode))
    .sort((a, b) => path.indexOf(a.regionCode!) - path.indexOf(b.regionCode!))[0];
  if (!bureau) throw forbidden();
  return { user, bureauId: bureau.organisationId };
}
