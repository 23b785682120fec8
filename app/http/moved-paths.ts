/**
 * Pages that moved, by their old path: bookmarks, printed instructions and links in e-mails already
 * sent still arrive at the old address. `/finance` became `/subsidy` when the money feature took one name.
 */
const MOVED: readonly (readonly [from: string, to: string])[] = [["/finance", "/subsidy"]];

/** Where a request for a moved page now belongs (same query), or null. The answer is always a path on this site. */
export function movedTo(pathAndQuery: string): string | null {
  for (const [from, to] of MOVED) {
    const rest = pathAndQuery.slice(from.length);
    if (pathAndQuery.startsWith(from) && (rest === "" || rest.startsWith("/") || rest.startsWith("?"))) return to + rest;
  }
  return null;
}
