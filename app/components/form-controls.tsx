import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { useFormMessage } from "../forms/use-schema-form";

/** What a control needs of conform's field metadata. */
export interface FieldMeta {
  id: string;
  name: string;
  formId: string;
  errorId: string;
  key?: string;
  initialValue?: unknown;
  errors?: string[];
}

const text = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : fallback);

/** A field's message, for a control laid out by hand (an input in a row of buttons); the controls below show it themselves. */
export function FieldError({ meta }: { meta: FieldMeta }) {
  const message = useFormMessage()(meta.errors?.[0]);
  if (!message) return null;
  return (
    <span className="error" id={meta.errorId} role="alert">
      {message}
    </span>
  );
}

const invalid = (meta: FieldMeta) =>
  meta.errors?.length ? { "aria-invalid": true as const, "aria-describedby": meta.errorId } : { "aria-invalid": undefined };

/** What every control takes from its field: who it is, which form it posts with, and what it starts with. */
const controlProps = (meta: FieldMeta) => ({
  id: meta.id,
  name: meta.name,
  form: meta.formId,
  defaultValue: text(meta.initialValue),
  ...invalid(meta),
});

/** The label above a control, its hint and its message below. */
function Labelled({ meta, label, hint, children }: { meta: FieldMeta; label: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      {children}
      {hint ? <span className="hint">{hint}</span> : null}
      <FieldError meta={meta} />
    </div>
  );
}

type Own = "name" | "defaultValue" | "id" | "form";

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, Own> {
  meta: FieldMeta;
  label: string;
  hint?: ReactNode;
}

/** A labelled input that shows its message beside it and keeps what was typed after a refused submit (never a password). */
export function Field({ meta, label, hint, ...input }: FieldProps) {
  const { defaultValue, ...control } = controlProps(meta);
  return (
    <Labelled meta={meta} label={label} hint={hint}>
      <input key={meta.key} {...control} defaultValue={input.type === "password" ? undefined : defaultValue} {...input} />
    </Labelled>
  );
}

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, Own | "onChange"> {
  meta: FieldMeta;
  label: string;
  options: { value: string; label: string }[];
  /** The text of the empty first option; no empty option when absent. */
  placeholder?: string;
  onChange?: (value: string) => void;
}

export function SelectField({ meta, label, options, placeholder, onChange, ...select }: SelectFieldProps) {
  return (
    <Labelled meta={meta} label={label}>
      <select key={meta.key} {...controlProps(meta)} onChange={onChange ? (e) => onChange(e.currentTarget.value) : undefined} {...select}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Labelled>
  );
}

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, Own> {
  meta: FieldMeta;
  label: string;
  hint?: ReactNode;
}

export function TextAreaField({ meta, label, hint, ...area }: TextAreaFieldProps) {
  return (
    <Labelled meta={meta} label={label} hint={hint}>
      <textarea key={meta.key} {...controlProps(meta)} {...area} />
    </Labelled>
  );
}

/**
 * Radio buttons or checkboxes under one name, in a fieldset whose legend names them; the message
 * for the group shows under it. `inline` sets short options side by side, wrapping as needed;
 * `children` follow the choices (what to say when there are none).
 */
export function ChoiceGroup({
  meta,
  legend,
  type,
  options,
  inline,
  className = "field choices",
  children,
}: {
  meta: FieldMeta;
  legend: string;
  type: "radio" | "checkbox";
  options: { value: string; label: ReactNode }[];
  inline?: boolean;
  /** For a group laid out as the page always has (its own class instead of the default). */
  className?: string;
  children?: ReactNode;
}) {
  const chosen = Array.isArray(meta.initialValue) ? meta.initialValue.map((v) => text(v)) : [text(meta.initialValue)];
  const choices = options.map((o) => (
    <label key={o.value}>
      <input type={type} name={meta.name} form={meta.formId} value={o.value} defaultChecked={chosen.includes(o.value)} /> {o.label}
    </label>
  ));
  return (
    <fieldset className={className} key={meta.key} {...invalid(meta)}>
      <legend>{legend}</legend>
      {inline ? <div className="actions">{choices}</div> : choices}
      {children}
      <FieldError meta={meta} />
    </fieldset>
  );
}

/** The messages that belong to the whole form rather than one field. */
export function FormMessages({ errors }: { errors?: string[] }) {
  const message = useFormMessage();
  if (!errors?.length) return null;
  return (
    <p className="form-error" role="alert">
      {errors.map((e) => message(e)).join(" ")}
    </p>
  );
}
