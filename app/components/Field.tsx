import { useId, type InputHTMLAttributes, type ReactNode } from "react";
import { isMessageKey } from "../i18n/messages";
import { useT } from "../i18n/use-t";

export interface FormState {
  errors?: Partial<Record<string, string>>;
  values?: Record<string, string>;
}

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "defaultValue"> {
  name: string;
  label: string;
  state?: FormState;
  defaultValue?: string | null;
  hint?: ReactNode;
}

function useFieldError(name: string, state?: FormState): string | undefined {
  const t = useT();
  const key = state?.errors?.[name];
  if (!key) return undefined;
  return isMessageKey(key) ? t(key) : key;
}

/** A labelled input that shows its error beside it and keeps what was typed after a failed submit. */
export function Field({ name, label, state, defaultValue, hint, ...input }: FieldProps) {
  const error = useFieldError(name, state);
  // Unique per field on the page: several forms may each have a "date" or a "note".
  const id = `f-${name}${useId()}`;
  const value = state?.values?.[name] ?? defaultValue ?? "";
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        defaultValue={input.type === "password" ? undefined : value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        {...input}
      />
      {hint ? <span className="hint">{hint}</span> : null}
      {error ? (
        <span className="error" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

export function SelectField({
  name,
  label,
  state,
  defaultValue,
  options,
  placeholder,
  onChange,
}: {
  name: string;
  label: string;
  state?: FormState;
  defaultValue?: string | null;
  options: { value: string; label: string }[];
  placeholder?: string;
  onChange?: (value: string) => void;
}) {
  const error = useFieldError(name, state);
  const id = `f-${name}${useId()}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        defaultValue={state?.values?.[name] ?? defaultValue ?? ""}
        aria-invalid={error ? true : undefined}
        onChange={onChange ? (e) => onChange(e.currentTarget.value) : undefined}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
