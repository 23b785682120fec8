import { describe, expect, it } from "vitest";
import { withoutNul } from "../../app/http/nul-bytes";

describe("withoutNul", () => {
  it("returns a chunk without NUL bytes as it is", () => {
    const chunk = Buffer.from("<p>医疗护理员</p>");
    expect(withoutNul(chunk)).toBe(chunk);
  });

  it("drops NUL bytes wherever they are, keeping every other byte in order", () => {
    const html = Buffer.from('<td title="张三">张三</td>');
    const withNul = Buffer.concat([Buffer.from([0]), html.subarray(0, 11), Buffer.from([0, 0, 0]), html.subarray(11), Buffer.from([0, 0])]);
    expect(withoutNul(withNul).toString("utf8")).toBe('<td title="张三">张三</td>');
  });

  it("keeps multi-byte characters whole when a run of NULs sits between them", () => {
    const chunk = Buffer.concat([Buffer.from("护理"), Buffer.alloc(3), Buffer.from("员")]);
    expect(withoutNul(chunk).toString("utf8")).toBe("护理员");
  });

  it("gives an empty chunk for one made only of NULs", () => {
    expect(withoutNul(Buffer.alloc(5)).length).toBe(0);
  });
});
