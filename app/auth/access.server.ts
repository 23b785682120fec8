import type { AppLoadContext } from "@remix-run/node";
import { actorOf, type CurrentUser } from "./current-user.server";
import { forbidden, notFound, requirePermission } from "./guard.server";
import { canRecordFor, type Action } from "../domain/permissions";
import { cohortInstructorNames, getCohort, type Cohort } from "../services/cohorts.server";
import { learningEnrolment } from "../services/learning.server";

/** Whether the user may record attendance and practicals for this cohort: its base's registrars, and the instructors who teach it. */
export function mayRecord(user: CurrentUser, cohort: Cohort): boolean {
  return canRecordFor(actorOf(user), {
    organisationId: cohort.organisationId,
    instructorIds: cohortInstructorNames(cohort.id).map((i) => i.id),
  });
}

/** The cohort named in the URL, if it belongs to the base in the URL and the user may do `action` there. */
export function requireCohort(context: AppLoadContext, request: Request, params: { orgId?: string; cohortId?: string }, action: Action) {
  const user = requirePermission(context, request, action, { organisationId: params.orgId });
  const cohort = getCohort(params.cohortId ?? "");
  if (!cohort || cohort.organisationId !== params.orgId) throw notFound();
  if (action === "record:attendance" && !mayRecord(user, cohort)) throw forbidden();
  return { user, cohort };
}

/** A trainee's own enrolment: anyone else gets 403, whatever the id. */
export function requireOwnEnrolment(context: AppLoadContext, request: Request, enrolmentId: string | undefined) {
  const enrolment = learningEnrolment(enrolmentId ?? "");
  const user = requirePermission(context, request, "view:learning", { ownerUserId: enrolment?.userId ?? "" });
  if (!enrolment) throw notFound();
  return { user, enrolment };
}
