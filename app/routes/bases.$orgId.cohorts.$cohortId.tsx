import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { userCan } from "../auth/guard.server";
import { useT } from "../i18n/use-t";
import { mayRecord, requireCohort } from "../auth/access.server";
import { cohortInstructorNames } from "../services/cohorts.server";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, cohort } = requireCohort(context, request, params, "view:base");
  const target = { organisationId: cohort.organisationId };
  return {
    cohort,
    instructors: cohortInstructorNames(cohort.id),
    can: {
      enrol: userCan(user, "manage:cohort", target),
      record: mayRecord(user, cohort),
      issue: userCan(user, "issue:certificate", target),
    },
  };
}

export default function CohortLayout() {
  const t = useT();
  const { cohort, instructors, can } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="no-print">
        <Link to={`/bases/${cohort.organisationId}`}>← {cohort.organisationName}</Link>
      </p>
      <h1>{cohort.name}</h1>
      <p className="muted">
        {cohort.programTitle} v{cohort.programVersion} · {cohort.startDate} – {cohort.endDate} · {t("cohort.capacity")} {cohort.capacity}
        {instructors.length ? ` · ${t("cohort.instructors")}：${instructors.map((i) => i.name).join("、")}` : ""}
      </p>
      <nav className="tabs no-print" aria-label={cohort.name}>
        <NavLink to="." end>
          {t("cohort.tab.progress")}
        </NavLink>
        {can.enrol ? <NavLink to="enrol">{t("cohort.tab.enrol")}</NavLink> : null}
        {can.record ? <NavLink to="attendance">{t("cohort.tab.attendance")}</NavLink> : null}
        {can.record ? <NavLink to="practicals">{t("cohort.tab.practicals")}</NavLink> : null}
        {can.issue ? <NavLink to="certificates">{t("cohort.tab.certificates")}</NavLink> : null}
      </nav>
      <Outlet />
    </>
  );
}
