const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state-changing request must come from our own pages: same scheme and same host. Browsers send
 * Origin on every cross-site POST; when it is absent (old clients, same-origin navigations in some
 * browsers) Sec-Fetch-Site still tells a cross-site request apart. An http:// page of the same
 * host is another origin (a network attacker can serve one), so the scheme is compared too.
 */
export function isCrossOriginWrite(input: {
  method: string;
  origin: string | null;
  secFetchSite: string | null;
  host: string | null;
  /** "http" or "https", as the client reached us (through a trusted proxy, as it says). */
  scheme: string;
}): boolean {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return false;
  if (input.origin && input.origin !== "null") {
    try {
      const origin = new URL(input.origin);
      return origin.host !== input.host || origin.protocol !== `${input.scheme}:`;
    } catch {
      return true;
    }
  }
  if (input.origin === "null") return true;
  return input.secFetchSite === "cross-site" || input.secFetchSite === "same-site";
}
