import type { AppLoadContext } from "@remix-run/node";
import { forbidden, requireUser, userCan } from "../auth/guard.server";
import { claimDetail } from "./subsidies.server";

/** A claim for those who may see its base's money: its base's finance staff and reviewers. */
export function requireClaim(context: AppLoadContext, request: Request, claimId: string | undefined) {
  const user = requireUser(context, request);
  const detail = claimDetail(claimId ?? "");
  const target = { organisationId: detail.claim.organisationId };
  if (!userCan(user, "view:finance", target)) throw forbidden();
  return { user, detail, can: { edit: userCan(user, "create:claim", target), review: userCan(user, "approve:claim", target) } };
}
