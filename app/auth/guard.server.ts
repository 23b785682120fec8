import { redirect, type AppLoadContext } from "@remix-run/node";
import { can, canResetPassword, hasAnyScope, type Action, type PasswordHolder, type Target } from "../domain/permissions";
import { actorOf, type CurrentUser } from "./current-user.server";

export function forbidden(): Response {
  return new Response("Forbidden", { status: 403 });
}

export function notFound(): Response {
  return new Response("Not Found", { status: 404 });
}

/**
 * The signed-in user, or a redirect to the sign-in page that comes back here afterwards. An
 * account still on a provisional password is sent to choose its own first.
 */
export function requireUser(context: AppLoadContext, request: Request): CurrentUser {
  const url = new URL(request.url);
  if (!context.user) throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  if (context.user.mustChangePassword && url.pathname !== "/account") throw redirect("/account?notice=account.mustChange");
  return context.user;
}

/** Throws 403 unless the signed-in user may do `action` on `target`. */
export function requirePermission(
  context: AppLoadContext,
  request: Request,
  action: Action,
  target: Target = {},
): CurrentUser {
  const user = requireUser(context, request);
  if (!can(actorOf(user), action, target)) throw forbidden();
  return user;
}

/** Throws 403 unless the signed-in user may reset this person's password; an unknown person too. */
export function requirePasswordReset(context: AppLoadContext, request: Request, holder: PasswordHolder | null): CurrentUser {
  const user = requireUser(context, request);
  if (!holder || !canResetPassword(actorOf(user), holder)) throw forbidden();
  return user;
}

export function userCan(user: CurrentUser | null, action: Action, target: Target = {}): boolean {
  return !!user && can(actorOf(user), action, target);
}

/** For screens that span every organisation (admin, bureau review): needs an `any`-scoped grant. */
export function requireGlobalPermission(context: AppLoadContext, request: Request, action: Action): CurrentUser {
  const user = requireUser(context, request);
  if (!hasAnyScope(actorOf(user), action)) throw forbidden();
  return user;
}
