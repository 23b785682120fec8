/**
 * How text typed into the audit log's search becomes a query. The full-text index splits text into
 * runs of three characters (trigram), so three or more characters are matched anywhere, Chinese
 * included, as one phrase; shorter text (a two-character name such as 张三) cannot use it and is
 * looked for only in the most recent entries, which the page says.
 */
export const RECENT_ENTRIES_FOR_SHORT_SEARCH = 5_000;
export const MAX_SEARCH_CHARACTERS = 100;

export type AuditSearch = { kind: "all" } | { kind: "phrase"; match: string; text: string } | { kind: "short"; text: string };

export function auditSearch(typed: string | null | undefined): AuditSearch {
  const text = (typed ?? "").trim().slice(0, MAX_SEARCH_CHARACTERS);
  if (!text) return { kind: "all" };
  if ([...text].length < 3) return { kind: "short", text };
  // One FTS5 phrase: quotes doubled, so nothing typed is read as query syntax (OR, NEAR, *, column:).
  return { kind: "phrase", match: `"${text.replace(/"/g, '""')}"`, text };
}
