import type { AppLoadContext } from "@remix-run/node";
import { actorOf } from "../auth/current-user.server";
import { forbidden, requirePermission, requireUser } from "../auth/guard.server";
import { hasAnyScope, organisationsFor } from "../domain/permissions";

/**
 * Which base's money the user looks at: reviewers see every base (or one, with ?org=); base finance
 * sees only its own base, whatever the URL says.
 */
export function financeScope(context: AppLoadContext, request: Request) {
  const user = requireUser(context, request);
  const actor = actorOf(user);
  const asked = new URL(request.url).searchParams.get("org") || undefined;
  if (hasAnyScope(actor, "view:finance")) return { user, organisationId: asked, everyBase: true };
  const own = organisationsFor(actor, "view:finance");
  if (own.length === 0) throw forbidden();
  const organisationId = asked ?? own[0];
  requirePermission(context, request, "view:finance", { organisationId });
  return { user, organisationId, everyBase: false };
}
