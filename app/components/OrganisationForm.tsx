import { Form } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { SubmitButton } from "./SubmitButton";
import { ORGANISATION_KINDS } from "../../db/schema";
import { useT } from "../i18n/use-t";
import { Field, FormMessages, SelectField } from "./form-controls";
import { RegionField } from "./RegionField";
import type { FormReply } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
import { organisationEditSchema } from "../validation/organisations";

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
  lastResult,
  initial,
  alliances,
  withActive,
}: {
  lastResult?: FormReply;
  initial?: OrganisationValues;
  alliances: { id: string; name: string }[];
  withActive?: boolean;
}) {
  const t = useT();
  const [form, fields] = useSchemaForm(organisationEditSchema, {
    lastResult,
    defaultValue: initial
      ? { ...initial, parentId: initial.parentId ?? "", active: initial.active === false ? undefined : "1" }
      : { active: "1" },
  });
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="organisation" />
      <FormMessages errors={form.errors} />
      <Field meta={fields.code} label={t("org.code")} />
      <Field meta={fields.name} label={t("org.name")} />
      <SelectField
        meta={fields.kind}
        label={t("org.kind")}
        placeholder=""
        options={ORGANISATION_KINDS.map((k) => ({ value: k, label: t(`orgKind.${k}`) }))}
      />
      <SelectField
        meta={fields.parentId}
        label={t("org.parent")}
        placeholder={t("common.none")}
        options={alliances.map((a) => ({ value: a.id, label: a.name }))}
      />
      <RegionField meta={fields.region} />
      <Field meta={fields.address} label={t("org.address")} />
      <Field meta={fields.contactPhone} label={t("org.phone")} />
      {withActive ? (
        <label>
          <input type="checkbox" name={fields.active.name} value="1" defaultChecked={fields.active.initialValue === "1"} />{" "}
          {t("common.active")}
        </label>
      ) : null}
      <div>
        <SubmitButton className="primary">{t("common.save")}</SubmitButton>
      </div>
    </Form>
  );
}
