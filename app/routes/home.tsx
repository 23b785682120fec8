import type { TitledHandle } from "../route-handle";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guard.server";
import { areaFor } from "../domain/navigation";
import { useT } from "../i18n/use-t";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "home.greeting" };

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return {
    name: user.name,
    roles: user.assignments.map((a) => ({ ...a, href: areaFor(a.role, a.organisationId) })),
  };
}

export default function Home() {
  const t = useT();
  const { name, roles } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("home.greeting", { name })}</h1>
      {roles.length === 0 ? <p className="card">{t("home.noRoles")}</p> : null}
      <section className="card">
        <h2>{t("home.areasTitle")}</h2>
        <ul className="area-list" data-testid="home-areas">
          {roles.map((r) => (
            <li key={`${r.role}-${r.organisationId}`}>
              <Link to={r.href} data-role={r.role}>
                <strong>{t(`role.${r.role}`)}</strong> · {r.organisationName}
                <span>{t(`home.todo.${r.role}`)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <h2>{t("home.rolesTitle")}</h2>
        <TableWrap>
          <table>
            <thead>
              <tr>
                <th>{t("user.role")}</th>
                <th>{t("user.organisation")}</th>
                <th>{t("org.kind")}</th>
              </tr>
            </thead>
            <tbody>
              {roles.map((r) => (
                <tr key={`${r.role}-${r.organisationId}`}>
                  <td>{t(`role.${r.role}`)}</td>
                  <td>{r.organisationName}</td>
                  <td>{t(`orgKind.${r.organisationKind}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </>
  );
}
