const ORIGIN = "http://same-site.invalid";

/**
 * Only paths on this site. Browsers drop tabs and line breaks from a URL and read `\` as `/`, so
 * `/\t/evil.example` and `/\evil.example` mean `//evil.example`, another site: anything holding a
 * control character or a backslash is refused outright, and what is left must resolve to this
 * origin. The answer is the normalised path, safe to put in a Location header.
 */
export function safeRedirectPath(to: string | null | undefined, fallback = "/home"): string {
  if (!to || !to.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== ORIGIN) return fallback;
  return url.pathname + url.search + url.hash;
}
