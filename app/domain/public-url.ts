/**
 * PUBLIC_URL is the address printed on every certificate and carried by its QR code. Without it a
 * certificate points at the address the server guesses for itself, which nobody outside can reach.
 */
export function publicUrlWarning(env: { NODE_ENV?: string; PUBLIC_URL?: string; PORT?: string }): string | null {
  if (env.NODE_ENV !== "production" || env.PUBLIC_URL?.trim()) return null;
  const fallback = `http://localhost:${env.PORT ?? 3000}`;
  return `Warning: PUBLIC_URL is not set, so certificates issued now print and encode in their QR code ${fallback}/v/… instead of an address people can reach; set PUBLIC_URL to this system's public address (e.g. https://cert.example.gov.cn).`;
}

/** This system's address as people outside reach it: PUBLIC_URL, or the server's guess at itself. */
export function publicBaseUrl(env: Record<string, string | undefined>): string {
  return (env.PUBLIC_URL?.trim() || `http://localhost:${env.PORT ?? 3000}`).replace(/\/$/, "");
}
