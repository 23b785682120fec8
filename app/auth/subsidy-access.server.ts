import type { AppLoadContext } from "@remix-run/node";
import { actorOf } from "./current-user.server";
import { forbidden, requirePermission, requireUser } from "./guard.server";
import { organisationsFor } from "../domain/permissions";
import { isFlatRate, type FlatRatePolicy } from "../domain/claim-policy";
import type { Policy } from "../domain/subsidy";
import {
  flatRatePoliciesFor,
  payingPoliciesIssuedBy,
  policiesForBase,
  policiesIssuedBy,
  policyReach,
} from "../services/jurisdictions.server";

/**
 * Whose money the user looks at, under which policies. Base finance sees its own base (whatever
 * the URL says) under the policies that reach it. An authority's reviewers see the policies their
 * authority issued, over every base those reach, or one of those bases with ?org=. Flat-rate policies
 * (awards, 双证, cohort grants) are those the reviewer's authority issued, or those reaching the base.
 */
export function subsidyScope(
  context: AppLoadContext,
  request: Request,
): {
  organisationId: string | undefined;
  everyBase: boolean;
  policies: Policy[];
  flatRate: FlatRatePolicy[];
  user: ReturnType<typeof requireUser>;
} {
  const user = requireUser(context, request);
  const actor = actorOf(user);
  const asked = new URL(request.url).searchParams.get("org") || undefined;
  const authorities = organisationsFor(actor, "approve:claim");
  if (authorities.length) {
    const issued = policiesIssuedBy(authorities);
    const flatRate = payingPoliciesIssuedBy(authorities).filter(isFlatRate);
    if (!asked) return { user, organisationId: undefined, everyBase: true, policies: issued, flatRate };
    const reaching = issued.filter((p) => policyReach(p).has(asked));
    if (reaching.length === 0) throw forbidden();
    return { user, organisationId: asked, everyBase: true, policies: reaching, flatRate };
  }
  const own = organisationsFor(actor, "view:subsidy");
  if (own.length === 0) throw forbidden();
  const organisationId = asked ?? own[0];
  requirePermission(context, request, "view:subsidy", { organisationId });
  return {
    user,
    organisationId,
    everyBase: false,
    policies: policiesForBase(organisationId),
    flatRate: flatRatePoliciesFor(organisationId),
  };
}
