import { Form } from "@remix-run/react";
import { SubmitButton } from "./SubmitButton";
import { ORGANISATION_KINDS } from "../../db/schema";
import { useT } from "../i18n/use-t";
import { Field, SelectField, type FormState } from "./Field";
import { RegionField } from "./RegionField";

export interface OrganisationValues {
  code: string;
  name: string;
  kind: string;
  parentId: string | null;
  /** The region as the field shows it ("浙江省杭州市富阳区（330111）"). */
  region: string;
  address: string;
  contactPhone: string;
  active?: boolean;
}

export function OrganisationForm({
  state,
  initial,
  alliances,
  withActive,
}: {
  state?: FormState;
  initial?: OrganisationValues;
  alliances: { id: string; name: string }[];
  withActive?: boolean;
}) {
  const t = useT();
  return (
    <Form method="post" className="stack" noValidate>
      <input type="hidden" name="intent" value="organisation" />
      <Field name="code" label={t("org.code")} state={state} defaultValue={initial?.code} />
      <Field name="name" label={t("org.name")} state={state} defaultValue={initial?.name} />
      <SelectField
        name="kind"
        label={t("org.kind")}
        state={state}
        defaultValue={initial?.kind}
        placeholder=""
        options={ORGANISATION_KINDS.map((k) => ({ value: k, label: t(`orgKind.${k}`) }))}
      />
      <SelectField
        name="parentId"
        label={t("org.parent")}
        state={state}
        defaultValue={initial?.parentId ?? ""}
        placeholder={t("common.none")}
        options={alliances.map((a) => ({ value: a.id, label: a.name }))}
      />
      <RegionField name="region" state={state} defaultValue={initial?.region} />
      <Field name="address" label={t("org.address")} state={state} defaultValue={initial?.address} />
      <Field name="contactPhone" label={t("org.phone")} state={state} defaultValue={initial?.contactPhone} />
      {withActive ? (
        <label>
          <input type="checkbox" name="active" value="1" defaultChecked={initial?.active ?? true} /> {t("common.active")}
        </label>
      ) : null}
      <div>
        <SubmitButton className="primary">{t("common.save")}</SubmitButton>
      </div>
    </Form>
  );
}
