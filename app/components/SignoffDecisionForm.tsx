import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { noFields } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { SubmitButton } from "./SubmitButton";

/**
 * A coordinator's decision on one late sign-off: only buttons, posted with the `approve` or `reject`
 * intent; a refusal shows once above the list, not in every row. Nobody approves their own entry:
 * the button is not offered (and, where `explainOwn`, the row says why).
 */
export function SignoffDecisionForm({ signoffId, own, explainOwn = false }: { signoffId: number; own: boolean; explainOwn?: boolean }) {
  const t = useT();
  const [form] = useSchemaForm(noFields, { id: `decision-${signoffId}` });
  return (
    <Form method="post" className="actions" {...getFormProps(form)}>
      <input type="hidden" name="signoffId" value={signoffId} />
      {own ? (
        explainOwn ? (
          <span className="muted">{t("rotation.ownEntryNote")}</span>
        ) : null
      ) : (
        <SubmitButton name="intent" value="approve" className="secondary">
          {t("rotation.approve")}
        </SubmitButton>
      )}
      <SubmitButton name="intent" value="reject" className="danger">
        {t("rotation.reject")}
      </SubmitButton>
    </Form>
  );
}
