/** Mainland China mobile numbers: 11 digits starting 13–19; a +86 / 86 prefix and spaces are tolerated. */
export function normaliseMobile(raw: string): string | null {
  const compact = raw.replace(/[\s-]/g, "").replace(/^(\+?86)(?=1\d{10}$)/, "");
  return /^1[3-9]\d{9}$/.test(compact) ? compact : null;
}

/** A mobile as a collision message shows it: the first three and last four digits. */
export function maskMobile(mobile: string | null): string {
  return mobile ? `${mobile.slice(0, 3)}****${mobile.slice(-4)}` : "—";
}
