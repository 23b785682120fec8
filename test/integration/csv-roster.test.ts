import { describe, expect, it } from "vitest";
import { checkCharacter } from "../../app/domain/resident-id";
import { readRoster } from "../../app/services/spreadsheets.server";
import { gbkBytes } from "../support/gbk";

const id = (first17: string) => first17 + checkCharacter(first17);
const people = [
  ["张三", "13700001001", id("33010519900101101"), "和睦颐养院"],
  ["欧阳晓红", "13700001002", id("33010519910202202"), "拱墅区社会福利中心"],
];
const csv = (rows: string[][], newline = "\r\n") => rows.map((r) => r.join(",")).join(newline) + newline;
const headings = ["姓名", "手机号", "身份证号", "工作单位"];
const expected = people.map(([name, mobile, idNumber, employer], i) => ({ row: i + 2, name, mobile, idNumber, employer }));

describe("a roster saved as .csv", () => {
  it("is read from UTF-8 with the byte-order mark Excel writes", () => {
    const bytes = new TextEncoder().encode("\ufeff" + csv([headings, ...people]));
    expect(readRoster(bytes)).toEqual({ ok: true, value: expected });
  });

  it("is read from UTF-8 without a byte-order mark, as WPS saves it, with Unix line ends", () => {
    expect(readRoster(new TextEncoder().encode(csv([headings, ...people], "\n")))).toEqual({ ok: true, value: expected });
  });

  it("is read from GBK, as a Chinese Excel saves CSV (逗号分隔)", () => {
    const bytes = gbkBytes(csv([headings, ...people]));
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    expect(readRoster(bytes)).toEqual({ ok: true, value: expected });
  });

  it("reads quoted cells with commas, doubled quotes and line breaks, and skips blank lines", () => {
    const text = `${headings.join(",")}\r\n"张三",13700001001,${people[0][2]},"和睦颐养院,""二部""\r\n三楼"\r\n,,,\r\n`;
    expect(readRoster(new TextEncoder().encode(text))).toEqual({
      ok: true,
      value: [{ row: 2, name: "张三", mobile: "13700001001", idNumber: people[0][2], employer: '和睦颐养院,"二部"\r\n三楼' }],
    });
  });

  it("says which headings it lacks, which cell is too long, and that a roster is too long, as for a workbook", () => {
    expect(readRoster(new TextEncoder().encode("名字,电话\r\n张三,137\r\n"))).toEqual({
      ok: false,
      errors: { roster: "roster.noHeadings" },
    });
    const long = readRoster(new TextEncoder().encode(csv([headings, ["张".repeat(500), "13700001001", people[0][2], ""]])));
    expect(long).toMatchObject({
      ok: false,
      errors: { roster: "roster.cellTooLong" },
      params: { roster: { row: 2, column: "A", heading: "姓名" } },
    });
    const many = Array.from({ length: 2001 }, (_, i) => [`学员${i}`, `137${String(i).padStart(8, "0")}`, people[0][2], ""]);
    expect(readRoster(new TextEncoder().encode(csv([headings, ...many])))).toMatchObject({
      ok: false,
      errors: { roster: "roster.tooManyRows" },
    });
  });
});
