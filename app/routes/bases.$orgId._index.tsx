import type { TitledHandle } from "../route-handle";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { idViewer } from "../auth/current-user.server";
import { requirePermission, userCan } from "../auth/guard.server";
import { residentIdFor } from "../domain/resident-id";
import { AccreditationBadge } from "../components/AccreditationBadge";
import { useT } from "../i18n/use-t";
import { regionLabel } from "../domain/regions";
import { regions } from "../content/regions.server";
import { listCohorts } from "../services/cohorts.server";
import { accreditationOn, membersOf, trainingBaseOr404 } from "../services/organisations.server";
import { today } from "../services/clock.server";
import { assessmentsOf, currentTemplate } from "../services/base-assessments.server";
import { assessmentStanding } from "../domain/base-assessment";
import { AssessmentHistory } from "../components/AssessmentHistory";
import { TableWrap } from "../components/TableWrap";
import { addDays } from "../domain/dates";
import { EXPIRING_SOON_DAYS } from "../domain/certificate";
import { countCertificates } from "../services/certificates.server";

export const handle: TitledHandle = { title: "nav.base" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId!;
  const viewer = requirePermission(context, request, "view:base", { organisationId: orgId });
  const base = trainingBaseOr404(orgId);
  const { status, record } = accreditationOn(orgId, today());
  const assessments = assessmentsOf(orgId);
  const soon = { from: today(), to: addDays(today(), EXPIRING_SOON_DAYS) };
  return {
    expiring: { ...soon, count: countCertificates({ organisationId: orgId, expiresFrom: soon.from, expiresTo: soon.to }) },
    base: { id: base.id, name: base.name, code: base.code, address: base.address, region: regionLabel(regions(), base.regionCode) },
    status,
    record,
    cohorts: listCohorts(orgId),
    // Latest half year first, latest recorded first: the first one is the one that stands.
    assessment: {
      standing: assessmentStanding(assessments[0] ?? null, today()),
      history: assessments,
      template: { items: currentTemplate().items },
    },
    canOpenCohort: status === "accredited" && userCan(viewer, "manage:cohort", { organisationId: orgId }),
    ...(({ staff, trainees }) => ({
      members: staff.map(({ idNumber, ...m }) => ({ ...m, idNumber: residentIdFor(idViewer(viewer), m.userId, idNumber) })),
      traineeCount: trainees,
    }))(membersOf(orgId)),
  };
}

export default function BasePage() {
  const t = useT();
  const { base, status, record, members, traineeCount, cohorts, canOpenCohort, assessment, expiring } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{base.name}</h1>
      <section className="card">
        <h2>{t("base.accreditation")}</h2>
        <p>
          <AccreditationBadge status={status} />{" "}
          <span className="muted">{status === "accredited" ? t("base.canOpenCohorts") : t("base.cannotOpenCohorts")}</span>
        </p>
        <dl className="facts">
          <dt>{t("org.region")}</dt>
          <dd>{base.region || t("common.none")}</dd>
          {record ? (
            <>
              <dt>{t("base.accreditationNumber")}</dt>
              <dd>{record.number}</dd>
              <dt>{t("base.validity")}</dt>
              <dd>
                {record.validFrom} – {record.validTo}
              </dd>
              {record.authorityName ? (
                <>
                  <dt>{t("org.designatedBy")}</dt>
                  <dd>{record.authorityName}</dd>
                </>
              ) : null}
              {record.hostName ? (
                <>
                  <dt>{t("org.host")}</dt>
                  <dd>{record.hostName}</dd>
                </>
              ) : null}
            </>
          ) : null}
        </dl>
      </section>
      <section className="card" data-testid="base-assessment">
        <h2>
          {t("assessment.ownTitle")}{" "}
          <span className={`badge ${assessment.standing === "passed" ? "accredited" : "suspended"}`}>
            {t(`assessment.standing.${assessment.standing}`)}
          </span>
        </h2>
        <p className="muted">{t("assessment.ownHint")}</p>
        <AssessmentHistory history={assessment.history} template={assessment.template} />
      </section>
      <p className="actions">
        <Link to={`/certificates?org=${base.id}`} className="button secondary-button">
          {t("certificate.register")}
        </Link>
        <Link to="qualifications" className="button secondary-button">
          {t("qualification.baseTitle")}
        </Link>
        {expiring.count ? (
          <Link
            to={`/certificates?org=${base.id}&expiresFrom=${expiring.from}&expiresTo=${expiring.to}`}
            className="button secondary-button"
            data-testid="expiring-link"
          >
            {t("certificate.expiringCount", { n: expiring.count, days: EXPIRING_SOON_DAYS })}
          </Link>
        ) : null}
      </p>
      <section className="card">
        <div className="actions" style={{ justifyContent: "space-between" }}>
          <h2>{t("cohort.list")}</h2>
          {canOpenCohort ? (
            <Link to="cohorts/new" className="button">
              {t("cohort.new")}
            </Link>
          ) : null}
        </div>
        {cohorts.length === 0 ? <p className="muted">{t("cohort.none")}</p> : null}
        <ul className="area-list" data-testid="cohort-list">
          {cohorts.map((c) => (
            <li key={c.id}>
              <Link to={`cohorts/${c.id}`}>
                <strong>{c.name}</strong>
                <span>
                  {c.programTitle} v{c.programVersion} · {c.startDate} – {c.endDate} ·{" "}
                  {t("cohort.enrolledOf", { n: c.enrolled, capacity: c.capacity })}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <h2>{t("base.staff")}</h2>
        <TableWrap>
          <table data-testid="base-staff">
            <thead>
              <tr>
                <th>{t("user.name")}</th>
                <th>{t("user.role")}</th>
                <th>{t("user.idNumber")}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={`${m.userId}-${m.role}`}>
                  <td>{m.name}</td>
                  <td>{t(`role.${m.role}`)}</td>
                  <td>{m.idNumber ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        {traineeCount ? <p className="muted">{t("org.traineesHere", { n: traineeCount })}</p> : null}
      </section>
    </>
  );
}
