import type { TitledHandle } from "../route-handle";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requirePermission, userCan } from "../auth/guard.server";
import { useT } from "../i18n/use-t";
import { getOrganisation } from "../services/organisations.server";
import { hospitalDepartments } from "../services/rotations/departments.server";
import { pendingSignoffCount } from "../services/rotations/signoffs.server";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "hospital.title" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId!;
  const user = requirePermission(context, request, "view:hospital", { organisationId: orgId });
  const hospital = getOrganisation(orgId);
  if (!hospital || hospital.kind !== "lead_hospital") throw notFound();
  const canManage = userCan(user, "manage:rotation", { organisationId: orgId });
  return {
    name: hospital.name,
    departments: hospitalDepartments(orgId),
    canManage,
    isMentor: user.assignments.some((a) => a.role === "mentor" && a.organisationId === orgId),
    pending: canManage ? pendingSignoffCount(orgId) : 0,
  };
}

export default function HospitalPage() {
  const t = useT();
  const { name, departments, canManage, isMentor, pending } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>
        {name} · {t("hospital.title")}
      </h1>
      <ul className="area-list card">
        {isMentor ? (
          <li>
            <Link to="mentor">
              <strong>{t("rotation.myTrainees")}</strong>
              <span>{t("rotation.myTraineesHelp")}</span>
            </Link>
          </li>
        ) : null}
        <li>
          <Link to="board">
            <strong>{t("rotation.board")}</strong>
            <span>{t("rotation.boardHelp")}</span>
          </Link>
        </li>
        {canManage ? (
          <>
            <li>
              <Link to="placements">
                <strong>{t("rotation.placements")}</strong>
                <span>{t("rotation.placementsHelp")}</span>
              </Link>
            </li>
            <li>
              <Link to="departments">
                <strong>{t("rotation.departments")}</strong>
                <span>{t("rotation.departmentsHelp")}</span>
              </Link>
            </li>
            <li>
              <Link to="approvals">
                <strong>
                  {t("rotation.approvals")} {pending ? <span className="badge pending">{pending}</span> : null}
                </strong>
                <span>{t("rotation.approvalsHelp")}</span>
              </Link>
            </li>
          </>
        ) : null}
      </ul>
      <section className="card">
        <h2>{t("hospital.departments")}</h2>
        <TableWrap>
          <table>
            <thead>
              <tr>
                <th>{t("org.name")}</th>
                <th>{t("org.kind")}</th>
                <th className="num">{t("hospital.capacity")}</th>
                <th>{t("rotation.mentors")}</th>
              </tr>
            </thead>
            <tbody>
              {departments.map((d) => (
                <tr key={d.id}>
                  <td>
                    {d.name}
                    {d.active ? null : <span className="muted"> ({t("common.inactive")})</span>}
                  </td>
                  <td>{t(`dept.${d.kind}`)}</td>
                  <td className="num">{d.capacity}</td>
                  <td>{d.mentors.map((m) => m.name).join("、") || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </>
  );
}
