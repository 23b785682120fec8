import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { notFound, requirePermission } from "../auth/guard.server";
import { useT } from "../i18n/use-t";
import { departmentsOf, getOrganisation, membersOf } from "../services/organisations.server";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId!;
  requirePermission(context, request, "view:hospital", { organisationId: orgId });
  const hospital = getOrganisation(orgId);
  if (!hospital || hospital.kind !== "lead_hospital") throw notFound();
  return {
    name: hospital.name,
    departments: departmentsOf(orgId),
    staff: membersOf(orgId)
      .filter((m) => m.role === "mentor" || m.role === "rotation_coordinator")
      .map(({ userId, name, role }) => ({ userId, name, role })),
  };
}

export default function HospitalPage() {
  const t = useT();
  const { name, departments, staff } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>
        {name} · {t("hospital.title")}
      </h1>
      <section className="card">
        <h2>{t("hospital.departments")}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("org.name")}</th>
                <th>{t("org.kind")}</th>
                <th>{t("hospital.capacity")}</th>
              </tr>
            </thead>
            <tbody>
              {departments.map((d) => (
                <tr key={d.id}>
                  <td>{d.name}</td>
                  <td>{t(`dept.${d.kind}`)}</td>
                  <td>{d.capacity}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card">
        <h2>{t("hospital.staff")}</h2>
        <ul>
          {staff.map((m) => (
            <li key={`${m.userId}-${m.role}`}>
              {m.name} · {t(`role.${m.role}`)}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
