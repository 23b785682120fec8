import { en } from "./en";
import { zhCN, type MessageKey } from "./zh-CN";

export type { MessageKey };
export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";
export const LOCALE_COOKIE = "lang";

const dictionaries: Record<Locale, Record<MessageKey, string>> = { "zh-CN": zhCN, en };

export function isMessageKey(key: string): key is MessageKey {
  return key in zhCN;
}

/** The names a message's text leaves to be filled, e.g. "n" and "total" in "{n} / {total}". */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
export type MessageParams<K extends MessageKey> = Placeholders<(typeof zhCN)[K]>;
/**
 * What a key's message takes: nothing when it names no value, else exactly the values it names.
 * A key known only as a union (chosen at run time) takes any of its members' values.
 */
type ParamsArgument<K extends MessageKey> = [MessageParams<K>] extends [never]
  ? [params?: Record<string, never>]
  : [MessageKey] extends [K]
    ? [params?: Record<string, string | number>]
    : [params: { [P in MessageParams<K>]: string | number }];

export type Translate = <K extends MessageKey>(key: K, ...params: ParamsArgument<K>) => string;

/**
 * For values that come from stored data rather than from the code (a notification's saved values):
 * the key is checked, the names are not, and a name the message lacks is simply not used.
 */
export function withStoredValues(t: Translate): (key: MessageKey, params: Record<string, string | number>) => string {
  return t as unknown as (key: MessageKey, params: Record<string, string | number>) => string;
}

export function translator(locale: Locale): Translate {
  const dict = dictionaries[locale];
  return (key: MessageKey, params?: Record<string, string | number>) => {
    let text: string = dict[key] ?? zhCN[key] ?? key;
    if (!params) return text;
    // "{n|lesson|lessons}": the first form when n is 1, the second otherwise (English plurals).
    text = text.replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g, (whole, name: string, one: string, other: string) =>
      name in params ? (Number(params[name]) === 1 ? one : other) : whole,
    );
    for (const [k, v] of Object.entries(params)) text = text.replaceAll(`{${k}}`, String(v));
    return text;
  };
}

/** Text of the records (claim lines, the 申报表), which are kept in Chinese whatever the reader's language. */
export const inChinese: Translate = translator("zh-CN");

export function parseLocale(value: string | null | undefined): Locale {
  return (LOCALES as readonly string[]).includes(value ?? "") ? (value as Locale) : DEFAULT_LOCALE;
}

/** Reads the remembered language from the Cookie header. */
export function localeFromCookie(cookieHeader: string | null): Locale {
  const match = cookieHeader?.match(new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=([^;]+)`));
  return parseLocale(match ? decodeURIComponent(match[1]) : null);
}
