import type { AppLoadContext } from "@remix-run/node";
import { holdsSubject } from "../domain/subsidy";
import { forbidden, requireUser, userCan } from "./guard.server";
import { recordAudit, recordExport } from "../services/audit.server";
import { db } from "../../db/client.server";
import { issuingAuthority } from "../services/jurisdictions.server";
import { claimPolicy } from "../services/subsidy/claim-steps.server";
import { claimDetail } from "../services/subsidy/claim-views.server";

/** Where whole ID numbers of a claim were shown, for the audit log. */
export type ClaimView = "page" | "form.pdf" | "roster.xlsx" | "roster.csv";

/**
 * A claim for those who may see it: its base's finance staff, and — once the base has submitted it —
 * the reviewers of the authority that issued its policy (who pay per person and so see ID numbers
 * whole; each such view is audit-logged). A draft is the base's own work until it is sent.
 * Reviewers of other authorities are refused like anyone else.
 */
export function requireClaim(context: AppLoadContext, request: Request, claimId: string | undefined, view?: ClaimView) {
  const user = requireUser(context, request);
  const { claim, policy } = claimPolicy(claimId ?? "");
  const base = { organisationId: claim.organisationId };
  const authority = policy ? issuingAuthority(policy) : null;
  const review = claim.submittedAt !== null && !!authority && userCan(user, "approve:claim", { organisationId: authority.id });
  if (!review && !userCan(user, "view:subsidy", base)) throw forbidden();
  const detail = claimDetail(claim.id, { wholeIds: review });
  if (review && view) {
    recordAudit(db(), {
      actorUserId: user.id,
      action: "claim.view-ids",
      entityType: "claim",
      entityId: claim.id,
      organisationId: claim.organisationId,
      details: { view, heads: detail.totalSubjects },
    });
  }
  return { user, detail, can: { edit: userCan(user, "create:claim", base), review }, wholeIds: review };
}

/**
 * A claim taken away as a file (the form, the roster): checked as `requireClaim` does, the export
 * recorded as every export of personal data is, with the lines the file lists (those still claimed).
 */
export function requireClaimExport(
  context: AppLoadContext,
  request: Request,
  claimId: string | undefined,
  view: Exclude<ClaimView, "page">,
  exportKind: string,
) {
  const { user, detail, wholeIds } = requireClaim(context, request, claimId, view);
  recordExport(user.id, exportKind, {
    entityType: "claim",
    entityId: detail.claim.id,
    organisationId: detail.claim.organisationId,
    people: detail.totalSubjects,
    wholeIds,
  });
  return { detail, claimedLines: detail.lines.filter(holdsSubject) };
}
