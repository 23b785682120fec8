import { describe, expect, it } from "vitest";
import { auditSearch, MAX_SEARCH_CHARACTERS } from "../../app/domain/audit-search";

describe("the audit log's search", () => {
  it("reads three or more characters as one phrase for the full-text index, Chinese included", () => {
    expect(auditSearch("claim.approve")).toEqual({ kind: "phrase", match: '"claim.approve"', text: "claim.approve" });
    expect(auditSearch(" 赵国平 ")).toEqual({ kind: "phrase", match: '"赵国平"', text: "赵国平" });
  });

  it("never lets typed text act as query syntax", () => {
    expect(auditSearch('a" OR "b')).toMatchObject({ match: '"a"" OR ""b"' });
    expect(auditSearch("NEAR(x y)")).toMatchObject({ kind: "phrase", match: '"NEAR(x y)"' });
    expect(auditSearch("details:*")).toMatchObject({ kind: "phrase", match: '"details:*"' });
  });

  it("sends one or two characters (a two-character name) to the recent entries, and nothing to everything", () => {
    expect(auditSearch("张三")).toEqual({ kind: "short", text: "张三" });
    expect(auditSearch("x")).toEqual({ kind: "short", text: "x" });
    expect(auditSearch("   ")).toEqual({ kind: "all" });
    expect(auditSearch(null)).toEqual({ kind: "all" });
  });

  it("bounds what is searched for", () => {
    const long = auditSearch("审".repeat(500));
    expect(long.kind === "phrase" && long.text.length).toBe(MAX_SEARCH_CHARACTERS);
  });
});
