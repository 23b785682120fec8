import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/guard.server";
import { FormError } from "../components/FormError";
import { Notice } from "../components/Notice";
import { useT } from "../i18n/use-t";
import { decideSignoff, pendingSignoffs, placementList } from "../services/rotations.server";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requirePermission(context, request, "manage:rotation", { organisationId: params.orgId });
  const placementsById = new Map(placementList({ hospitalId: params.orgId }).map((p) => [p.id, p]));
  return {
    pending: pendingSignoffs(params.orgId!).map(({ enteredBy, ...s }) => {
      const p = placementsById.get(s.placementId)!;
      // Nobody approves an entry of their own (a mentor who is also a coordinator): another coordinator does.
      return { ...s, traineeName: p.traineeName, departmentName: p.departmentName, own: enteredBy === user.id || p.mentorUserId === user.id };
    }),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requirePermission(context, request, "manage:rotation", { organisationId: params.orgId });
  const formData = await request.formData();
  const result = decideSignoff(user.id, params.orgId!, Number(formData.get("signoffId")), formData.get("intent") === "approve");
  if (!result.ok) return { errors: result.errors };
  throw redirect(`/hospital/${params.orgId}/approvals?notice=common.saved`);
}

export default function Approvals() {
  const t = useT();
  const { pending } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <>
      <h1>{t("rotation.approvals")}</h1>
      <Notice />
      <FormError state={state} />
      {pending.length === 0 ? <p className="card muted">{t("rotation.noPending")}</p> : null}
      <div className="table-wrap card">
        <table data-testid="pending-list">
          <tbody>
            {pending.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`../placements/${s.placementId}`} relative="path">
                    {s.traineeName} · {s.departmentName}
                  </Link>
                </td>
                <td>
                  {s.date} · {t(`rotation.kind.${s.kind}`)} · {s.mentorName}
                </td>
                <td>{s.lateReason}</td>
                <td>
                  <Form method="post" className="actions">
                    <input type="hidden" name="signoffId" value={s.id} />
                    {s.own ? (
                      <span className="muted">{t("rotation.ownEntryNote")}</span>
                    ) : (
                      <button type="submit" name="intent" value="approve" className="secondary">
                        {t("rotation.approve")}
                      </button>
                    )}
                    <button type="submit" name="intent" value="reject" className="danger">
                      {t("rotation.reject")}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
