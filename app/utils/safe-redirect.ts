/** Only paths on this site: `//evil.example` and absolute URLs fall back to `fallback`. */
export function safeRedirectPath(to: string | null | undefined, fallback = "/home"): string {
  if (!to || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
