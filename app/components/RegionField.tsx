import { useFetcher } from "@remix-run/react";
import { useId } from "react";
import { useT } from "../i18n/use-t";
import { Field, type FormState } from "./Field";

/**
 * A region typed as its name or six-digit code. Suggestions come from /regions as one types; the
 * server reads whatever was typed, so the field works before scripts load.
 */
export function RegionField({ name, state, defaultValue }: { name: string; state?: FormState; defaultValue?: string }) {
  const t = useT();
  const fetcher = useFetcher<{ regions: { code: string; label: string }[] }>();
  const listId = `regions-${useId()}`;
  return (
    <>
      <Field
        name={name}
        label={t("org.region")}
        state={state}
        defaultValue={defaultValue}
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
