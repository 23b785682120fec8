import { describe, expect, it } from "vitest";
import { MAX_ROWS_REACHABLE, PAGE_SIZE, pageFrom, pageHref, pageInfo } from "../../app/domain/paging";

describe("paging", () => {
  it("reads a page number from the address, falling back to the first page", () => {
    expect(pageFrom("3")).toEqual({ page: 3, size: PAGE_SIZE, limit: PAGE_SIZE, offset: 2 * PAGE_SIZE });
    for (const bad of [null, "", "0", "-2", "1.5", "abc", "1e3x"]) expect(pageFrom(bad).page, String(bad)).toBe(1);
  });

  it("never lets a page reach past the rows anyone may page to", () => {
    const last = pageFrom("999999");
    expect(last.offset + last.size).toBeLessThanOrEqual(MAX_ROWS_REACHABLE);
    expect(pageInfo(last, last.size + 1).hasNext).toBe(false);
  });

  it("knows whether there is a next page from one row more than it shows", () => {
    const p = pageFrom("2", 10);
    expect(pageInfo(p, 11)).toEqual({ page: 2, total: null, from: 11, to: 20, hasPrevious: true, hasNext: true });
    expect(pageInfo(p, 4, 14)).toEqual({ page: 2, total: 14, from: 11, to: 14, hasPrevious: true, hasNext: false });
    expect(pageInfo(pageFrom("1", 10), 0, 0)).toEqual({ page: 1, total: 0, from: 0, to: 0, hasPrevious: false, hasNext: false });
  });

  it("links to another page keeping the search", () => {
    expect(pageHref("q=张三&org=1", 3)).toBe("?q=%E5%BC%A0%E4%B8%89&org=1&page=3");
    expect(pageHref("q=x&page=3", 1)).toBe("?q=x");
  });
});
