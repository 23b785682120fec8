/**
 * Headers every response carries, whatever produced it (a page, a PDF, a 403 in plain text, a
 * static file). Scripts run only from this site or with the page's nonce; inline style attributes
 * stay allowed because the pages use them and they cannot run code.
 */
export function securityHeaders(input: { nonce: string; secure: boolean }): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${input.nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    ...(input.secure ? { "Strict-Transport-Security": "max-age=31536000" } : {}),
  };
}

/**
 * Pages and downloads hold personal data (names, ID numbers, results), so no browser or proxy may
 * keep a copy; only the build's fingerprinted assets and the public files are cached.
 */
export function cacheControlFor(path: string): string {
  if (path.startsWith("/build/")) return "public, max-age=31536000, immutable";
  return "no-store";
}
