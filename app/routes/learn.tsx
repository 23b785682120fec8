import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/guard.server";
import { useT } from "../i18n/use-t";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const me = requirePermission(context, request, "view:learning", { ownerUserId: context.user?.id });
  return {
    name: me.name,
    idNumber: me.idNumber,
    employers: me.assignments.filter((a) => a.role === "trainee").map((a) => a.organisationName),
  };
}

export default function Learn() {
  const t = useT();
  const me = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("learning.title")}</h1>
      <section className="card">
        <p className="muted">{t("learning.noEnrolments")}</p>
      </section>
      <section className="card">
        <h2>{t("learning.profile")}</h2>
        <dl className="facts">
          <dt>{t("user.name")}</dt>
          <dd>{me.name}</dd>
          <dt>{t("user.idNumber")}</dt>
          <dd>{me.idNumber ?? "—"}</dd>
          <dt>{t("user.organisation")}</dt>
          <dd>{me.employers.join("、")}</dd>
        </dl>
      </section>
    </>
  );
}
