import { useRouteLoaderData } from "@remix-run/react";
import { translator, DEFAULT_LOCALE, type Locale, type Translate } from "./messages";

export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale: Locale }>("root");
  return data?.locale ?? DEFAULT_LOCALE;
}

export function useT(): Translate {
  return translator(useLocale());
}
