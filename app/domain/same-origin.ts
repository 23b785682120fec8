const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state-changing request must come from our own pages. Browsers send Origin on every
 * cross-site POST; when it is absent (old clients, same-origin navigations in some browsers)
 * Sec-Fetch-Site still tells a cross-site request apart.
 */
export function isCrossOriginWrite(input: {
  method: string;
  origin: string | null;
  secFetchSite: string | null;
  host: string | null;
}): boolean {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return false;
  if (input.origin && input.origin !== "null") {
    try {
      return new URL(input.origin).host !== input.host;
    } catch {
      return true;
    }
  }
  if (input.origin === "null") return true;
  return input.secFetchSite === "cross-site" || input.secFetchSite === "same-site";
}
