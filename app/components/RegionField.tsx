import { useFetcher } from "@remix-run/react";
import { useId } from "react";
import { useT } from "../i18n/use-t";
import { Field, type FieldMeta } from "./form-controls";

/**
 * A region typed as its name or six-digit code. Suggestions come from /regions as one types; the
 * server reads whatever was typed, so the field works before scripts load.
 */
export function RegionField({ meta }: { meta: FieldMeta }) {
  const t = useT();
  const fetcher = useFetcher<{ regions: { code: string; label: string }[] }>();
  const listId = `regions-${useId()}`;
  return (
    <>
      <Field
        meta={meta}
        label={t("org.region")}
        hint={t("org.regionHint")}
        list={listId}
        autoComplete="off"
        maxLength={100}
        onChange={(e) => {
          const q = e.currentTarget.value.trim();
          if (q.length >= 2) fetcher.load(`/regions?q=${encodeURIComponent(q)}`);
        }}
      />
      <datalist id={listId}>
        {(fetcher.data?.regions ?? []).map((r) => (
          <option key={r.code} value={`${r.label}（${r.code}）`} />
        ))}
      </datalist>
    </>
  );
}
