import type { TitledHandle } from "../route-handle";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireGlobalPermission } from "../auth/guard.server";
import { useT } from "../i18n/use-t";
import { listUsers } from "../services/users.server";
import { pageFrom } from "../domain/paging";
import { Pager } from "../components/Pager";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "user.list" };

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireGlobalPermission(context, request, "manage:user");
  const url = new URL(request.url);
  const q = url.searchParams.get("q") ?? "";
  return { q, ...listUsers(q, pageFrom(url.searchParams.get("page"))) };
}

export default function Users() {
  const t = useT();
  const { q, users, info } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="actions" style={{ justifyContent: "space-between" }}>
        <h1>{t("user.list")}</h1>
        <Link to="new" className="button">
          {t("user.new")}
        </Link>
      </div>
      <Form method="get" className="row card">
        <div className="field">
          <label htmlFor="q">{t("common.search")}</label>
          <input id="q" name="q" defaultValue={q} placeholder={t("user.searchPlaceholder")} />
        </div>
        <SubmitButton className="secondary">{t("common.search")}</SubmitButton>
      </Form>
      <TableWrap className="card">
        <table>
          <thead>
            <tr>
              <th>{t("user.name")}</th>
              <th>{t("user.username")}</th>
              <th>{t("user.mobile")}</th>
              <th>{t("user.status")}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>
                  <Link to={u.id}>{u.name}</Link>
                </td>
                <td>{u.username ?? ""}</td>
                <td>{u.mobile ?? ""}</td>
                <td>{u.active ? t("common.active") : t("common.inactive")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <Pager info={info} />
    </>
  );
}
