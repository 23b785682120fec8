import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { LOCALE_COOKIE, parseLocale } from "../i18n/messages";
import { safeRedirectPath } from "../domain/safe-redirect";

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const locale = parseLocale(String(form.get("lang") ?? ""));
  const to = safeRedirectPath(String(form.get("redirectTo") ?? "/"));
  throw redirect(to, {
    headers: { "Set-Cookie": `${LOCALE_COOKIE}=${encodeURIComponent(locale)}; Path=/; Max-Age=31536000; SameSite=Lax` },
  });
}

export async function loader() {
  throw redirect("/");
}
