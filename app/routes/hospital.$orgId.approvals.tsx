import type { TitledHandle } from "../route-handle";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirectWithNotice } from "../http/notice-cookie.server";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/guard.server";
import { FormMessages } from "../components/form-controls";
import { noFields, parseSubmission, replyRefused } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
import { Notice } from "../components/Notice";
import { useT } from "../i18n/use-t";
import { SignoffDecisionForm } from "../components/SignoffDecisionForm";
import { decideSignoff, pendingSignoffPage } from "../services/rotations/signoffs.server";
import { pageFrom } from "../domain/paging";
import { Pager } from "../components/Pager";
import { TableWrap } from "../components/TableWrap";

export const handle: TitledHandle = { title: "rotation.approvals" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requirePermission(context, request, "manage:rotation", { organisationId: params.orgId });
  const { rows, info } = pendingSignoffPage(params.orgId!, pageFrom(new URL(request.url).searchParams.get("page")));
  return {
    info,
    // Nobody approves an entry of their own (a mentor who is also a coordinator): another coordinator does.
    pending: rows.map(({ enteredBy, signedBy, placementMentorId, ...s }) => ({
      ...s,
      own: enteredBy === user.id || placementMentorId === user.id || signedBy === user.id,
    })),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requirePermission(context, request, "manage:rotation", { organisationId: params.orgId });
  const formData = await request.formData();
  const submission = parseSubmission(formData, noFields);
  const result = decideSignoff(user.id, params.orgId!, Number(formData.get("signoffId")), formData.get("intent") === "approve");
  if (!result.ok) return replyRefused(submission, result);
  throw redirectWithNotice(context, `/hospital/${params.orgId}/approvals`, "common.saved");
}

export default function Approvals() {
  const t = useT();
  const { pending, info } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  // Every row is its own form of buttons; what refuses a decision shows once, above the list.
  const [decision] = useSchemaForm(noFields, { id: "decision", lastResult });
  return (
    <>
      <h1>{t("rotation.approvals")}</h1>
      <Notice />
      <FormMessages errors={decision.errors} />
      {pending.length === 0 ? <p className="card muted">{t("rotation.noPending")}</p> : null}
      <TableWrap className="card">
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
                  <SignoffDecisionForm signoffId={s.id} own={s.own} explainOwn />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <Pager info={info} />
    </>
  );
}
