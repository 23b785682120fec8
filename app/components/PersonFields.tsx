import { useT } from "../i18n/use-t";
import { Field, type FieldMeta } from "./form-controls";

/** A person's name and what they sign in with, as the new-user and the edit forms both ask them. */
export function PersonFields({ fields }: { fields: { name: FieldMeta; username: FieldMeta; mobile: FieldMeta; idNumber: FieldMeta } }) {
  const t = useT();
  return (
    <>
      <Field meta={fields.name} label={t("user.name")} autoComplete="off" />
      <div className="row">
        <Field meta={fields.username} label={t("user.username")} autoComplete="off" />
        <Field meta={fields.mobile} label={t("user.mobile")} inputMode="tel" autoComplete="off" />
      </div>
      <Field meta={fields.idNumber} label={t("user.idNumber")} autoComplete="off" />
    </>
  );
}
