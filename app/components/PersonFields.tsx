import { useT } from "../i18n/use-t";
import { Field, type FormState } from "./Field";

export function PersonFields({
  state,
  initial,
}: {
  state?: FormState;
  initial?: { name: string; username: string | null; mobile: string | null; idNumber: string | null };
}) {
  const t = useT();
  return (
    <>
      <Field name="name" label={t("user.name")} state={state} defaultValue={initial?.name} autoComplete="off" />
      <div className="row">
        <Field name="username" label={t("user.username")} state={state} defaultValue={initial?.username} autoComplete="off" />
        <Field name="mobile" label={t("user.mobile")} state={state} defaultValue={initial?.mobile} inputMode="tel" autoComplete="off" />
      </div>
      <Field name="idNumber" label={t("user.idNumber")} state={state} defaultValue={initial?.idNumber} autoComplete="off" />
    </>
  );
}
