/**
 * Lists are read a page at a time, so no page costs more as history grows. Pages are numbered from
 * 1; a page number that is not a whole number, or beyond the last page we let anyone reach, reads as
 * the nearest sensible one.
 */
export const PAGE_SIZE = 50;
/** Trainees a page of the attendance grid shows: each row holds a cell for every session. */
export const ATTENDANCE_PAGE_SIZE = 25;
/** Deep paging past this many rows is refused: a search narrows better than page 400 does. */
export const MAX_ROWS_REACHABLE = 20_000;

export interface Page {
  page: number;
  size: number;
  limit: number;
  offset: number;
}

export function pageFrom(raw: string | null | undefined, size = PAGE_SIZE): Page {
  const lastReachable = Math.max(1, Math.floor(MAX_ROWS_REACHABLE / size));
  const n = Number(raw);
  const page = Number.isInteger(n) && n >= 1 ? Math.min(n, lastReachable) : 1;
  return { page, size, limit: size, offset: (page - 1) * size };
}

export interface PageInfo {
  page: number;
  /** Rows in all pages, when counted; null when only whether there is a next page is known. */
  total: number | null;
  from: number;
  to: number;
  hasPrevious: boolean;
  hasNext: boolean;
}

/**
 * Where a page stands. Read one row more than the page holds (`shownPlusOne`) to know whether a next
 * page exists without counting them all.
 */
export function pageInfo(p: Page, shownPlusOne: number, total: number | null = null): PageInfo {
  const shown = Math.min(shownPlusOne, p.size);
  const reachable = p.offset + p.size < MAX_ROWS_REACHABLE;
  return {
    page: p.page,
    total,
    from: shown === 0 ? 0 : p.offset + 1,
    to: p.offset + shown,
    hasPrevious: p.page > 1,
    hasNext: shownPlusOne > p.size && reachable,
  };
}

/** The same search on another page: every other parameter kept. */
export function pageHref(search: string, page: number): string {
  const params = new URLSearchParams(search);
  if (page <= 1) params.delete("page");
  else params.set("page", String(page));
  const query = params.toString();
  return query ? `?${query}` : "?";
}
