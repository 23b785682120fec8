import { isMessageKey, type Translate } from "./messages";

/**
 * The audit log in words: an action's code ("claim.approve") read as what was done ("批准申报"),
 * the object's kind in words, and the details as labelled values rather than JSON. A code with no
 * words yet is shown as it is, so nothing recorded is ever hidden.
 */
export function auditActionText(t: Translate, action: string): string {
  const exported = action.match(/^export\.(.+)$/);
  if (exported) {
    const what = `audit.export.${exported[1]}`;
    return t("audit.act.export", { what: isMessageKey(what) ? t(what) : exported[1] });
  }
  const key = `audit.act.${action}`;
  return isMessageKey(key) ? t(key) : action;
}

export function auditEntityText(t: Translate, entityType: string): string {
  const key = `audit.on.${entityType}`;
  return isMessageKey(key) ? t(key) : entityType;
}

/** Long enough to tell records apart on the page, short enough for a table cell. */
const SHOWN_CHARACTERS = 60;

const shortened = (text: string) => (text.length > SHOWN_CHARACTERS ? `${text.slice(0, SHOWN_CHARACTERS)}…` : text);

export function auditDetailPairs(t: Translate, details: string): { label: string; value: string }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    return details ? [{ label: "", value: shortened(details) }] : [];
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return [{ label: "", value: shortened(details) }];
  return Object.entries(parsed as Record<string, unknown>)
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .map(([name, value]) => ({ label: fieldLabel(t, name), value: valueText(t, name, value, 2) }));
}

function fieldLabel(t: Translate, name: string): string {
  const key = `audit.field.${name}`;
  return isMessageKey(key) ? t(key) : name;
}

/** A value in words; an object (what changed, from and to) as its own labelled values, two levels deep. */
function valueText(t: Translate, name: string, value: unknown, depth: number): string {
  if (typeof value === "boolean") return t(value ? "audit.yes" : "audit.no");
  if (Array.isArray(value)) return t("audit.items", { n: value.length });
  if (value === null || value === undefined) return "—";
  if (typeof value === "object") {
    if (depth === 0) return "…";
    return shortened(
      Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${fieldLabel(t, k)} ${valueText(t, k, v, depth - 1)}`)
        .join("；"),
    );
  }
  const text = String(value);
  // A role is recorded by its code; the app already has its name.
  const named = `role.${text}`;
  if (name === "role" && isMessageKey(named)) return t(named);
  // Ids are for telling records apart, not for reading: their first characters do that.
  if ((name === "id" || /Id$/.test(name)) && /^[0-9a-f-]{36}$/i.test(text)) return text.slice(0, 8);
  return shortened(text);
}
