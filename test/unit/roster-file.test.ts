import { describe, expect, it } from "vitest";
import { ROSTER_LIMITS } from "../../app/domain/roster";
import { readRoster } from "../../app/services/spreadsheets.server";
import { XmlScanner, type XmlHandler } from "../../app/services/xml-scanner.server";
import {
  handMadeXlsx,
  manyRows,
  repeated,
  ROSTER_HEADINGS,
  rosterXlsx,
  sharedStringsXml,
  sheetXml,
  understateSizes,
  workbookParts,
  zipParts,
} from "../support/xlsx";

const MB = 1024 * 1024;
const person = (i: number) => [`学员${i}`, `138${String(i).padStart(8, "0")}`, "330105199001011011", "和睦颐养院"];

describe("reading a roster file", () => {
  it("reads what spreadsheet programs write: the first tab, prefixed elements, entities, rich text, phonetic guides, formulas", () => {
    const main = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const parts = workbookParts(
      [
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><x:worksheet ${main}><!-- made by hand --><x:sheetData>`,
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>手机号</x:t></x:is></x:c>',
        '<x:c r="C1" t="str"><x:f>"身份证" &amp; "号"</x:f><x:v>身份证号</x:v></x:c><x:c r="E1" t="s"><x:v>1</x:v></x:c></x:row>',
        '<x:row r="3" spans="1:5"><x:c r="A3" t="s" s="2"><x:v>2</x:v></x:c><x:c r="B3"><x:v>13800000001</x:v></x:c>',
        '<x:c r="C3" t="inlineStr"><x:is><x:r><x:t>3301</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">05&amp;&#x4E09;</x:t></x:r></x:is></x:c>',
        '<x:c r="E3" t="inlineStr"><x:is><x:t><![CDATA[和睦<颐养院>]]></x:t></x:is></x:c></x:row>',
        "</x:sheetData></x:worksheet>",
      ],
      [
        `<?xml version="1.0" encoding="UTF-8"?><x:sst ${main}>`,
        '<x:si><x:t>姓名</x:t><x:rPh sb="0" eb="2"><x:t>xingming</x:t></x:rPh></x:si>',
        "<x:si><x:r><x:t>工作</x:t></x:r><x:r><x:t>单位</x:t></x:r></x:si>",
        "<x:si><x:t>李&lt;四&gt;</x:t></x:si></x:sst>",
      ],
    );
    // The roster is the first tab, though not the first sheet file, and its target is written absolute.
    parts["xl/workbook.xml"] = [
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">',
      '<sheets><sheet name="名单" sheetId="2" r:id="rId7"/><sheet name="说明" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ];
    parts["xl/_rels/workbook.xml.rels"] = [
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">',
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet9.xml"/>',
      '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>',
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    ];
    parts["xl/worksheets/sheet9.xml"] = [...sheetXml([["不是名单"]])];
    expect(readRoster(zipParts(parts))).toEqual({
      ok: true,
      value: [{ row: 3, name: "李<四>", mobile: "13800000001", idNumber: "330105&三", employer: "和睦<颐养院>" }],
    });
  });

  it("reads 2,000 rows and refuses 2,001 as too many", async () => {
    const rows = Array.from({ length: ROSTER_LIMITS.rows + 1 }, (_, i) => person(i));
    const read = readRoster(await rosterXlsx(rows.slice(0, -1)));
    expect(read.ok && read.value.length).toBe(2000);
    expect(readRoster(await rosterXlsx(rows))).toEqual({
      ok: false,
      errors: { roster: "roster.tooManyRows" },
      params: { roster: { max: 2000 } },
    });
  });

  it("reads 2,000 rows of 30 columns, each cell its own shared string, as wide as a roster comes", () => {
    const width = 30;
    const headings = [...ROSTER_HEADINGS.map(String), ...Array.from({ length: width - 4 }, (_, i) => `备注${i + 1}`)];
    const rows = [
      headings,
      ...Array.from({ length: 2000 }, (_, r) => [...person(r), ...Array.from({ length: width - 4 }, (_, c) => `第${r}行第${c}列`)]),
    ];
    const strings = rows.flat();
    const file = handMadeXlsx(
      sheetXml(rows.map((row, r) => row.map((_, c) => ({ shared: r * width + c })))),
      sharedStringsXml(strings.map((s) => [s])),
    );
    const read = readRoster(file);
    expect(read.ok && read.value.length).toBe(2000);
    expect(read.ok && read.value[1999]).toEqual({
      row: 2001,
      name: "学员1999",
      mobile: "13800001999",
      idNumber: "330105199001011011",
      employer: "和睦颐养院",
    });
  });

  it.each([90_000, 380_000])("refuses %i rows packed into a file small enough to upload as too many", (n) => {
    const file = handMadeXlsx(sheetXml(manyRows(n)));
    expect(file.length).toBeLessThan(ROSTER_LIMITS.fileBytes);
    expect(readRoster(file)).toEqual({ ok: false, errors: { roster: "roster.tooManyRows" }, params: { roster: { max: 2000 } } });
  });

  it("refuses a cell of 50 MB in a column it reads as too long, naming its row and column", () => {
    const file = handMadeXlsx(sheetXml([ROSTER_HEADINGS, [...person(1).slice(0, 3), { pieces: repeated("A", 50 * MB) }]]));
    expect(file.length).toBeLessThan(100 * 1024);
    expect(readRoster(file)).toEqual({
      ok: false,
      errors: { roster: "roster.cellTooLong" },
      params: { roster: { row: 2, column: "D", heading: "工作单位", max: 100 } },
    });
  });

  it("refuses a cell one character over the limit, but not one at it, and lets long cells be where it does not read", async () => {
    const at = (employer: string, note = "") =>
      rosterXlsx([person(1), [...person(2).slice(0, 3), employer, note]], [...ROSTER_HEADINGS.map(String), "备注"]);
    expect(readRoster(await at("院".repeat(100), "注".repeat(5000))).ok).toBe(true);
    expect(readRoster(await at("院".repeat(101)))).toEqual({
      ok: false,
      errors: { roster: "roster.cellTooLong" },
      params: { roster: { row: 3, column: "D", heading: "工作单位", max: 100 } },
    });
  });

  it.each([
    [
      "a cell of 50 MB in a column it does not read",
      () => handMadeXlsx(sheetXml([ROSTER_HEADINGS, [...person(1), { pieces: repeated("A", 50 * MB) }]])),
    ],
    [
      "a shared string of 50 MB",
      () =>
        handMadeXlsx(sheetXml([ROSTER_HEADINGS, [...person(1).slice(0, 3), { shared: 0 }]]), sharedStringsXml([repeated("A", 50 * MB)])),
    ],
    [
      "a sheet of 200,000 empty cells, each small but costing time",
      () => handMadeXlsx(sheetXml([ROSTER_HEADINGS, ...Array.from({ length: 200 }, () => Array<string>(1000).fill(""))])),
    ],
    [
      "a shared string of 50 MB in a zip that says it is one byte",
      () => understateSizes(handMadeXlsx(sheetXml([ROSTER_HEADINGS, [{ shared: 0 }]]), sharedStringsXml([repeated("A", 50 * MB)]))),
    ],
  ])("refuses %s as too large once unpacked", (_, file) => {
    expect(readRoster(file())).toEqual({ ok: false, errors: { roster: "roster.unpackedTooLarge" }, params: { roster: { mb: 10 } } });
  });

  it("reads a workbook whose zip understates its sizes as it is", () => {
    expect(readRoster(understateSizes(handMadeXlsx(sheetXml([ROSTER_HEADINGS, person(1)]))))).toMatchObject({
      ok: true,
      value: [{ row: 2, name: "学员1" }],
    });
  });

  it.each([
    // Text that is not a zip is read as a .csv (see csv-roster.test.ts); binary that is neither is refused.
    ["neither a zip nor text", () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])],
    ["a zip without a workbook", () => zipParts({ "readme.txt": ["hello"] })],
    [
      "a sheet with a DTD",
      () => handMadeXlsx(['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData/></worksheet>']),
    ],
    ["a sheet cut short", () => handMadeXlsx(['<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>姓名'])],
  ])("refuses %s as unreadable", (_, file) => {
    expect(readRoster(file())).toEqual({ ok: false, errors: { roster: "roster.unreadable" } });
  });
});

describe("XmlScanner", () => {
  const xml = '<?xml version="1.0"?><a x:k="1 > 0" j=\'q"\'><!-- c --><b/>t&amp;u&#x4E09;<![CDATA[<raw>]]><c:d>v</c:d></a>';

  /** What a scanner reports, with text that came in several pieces joined up. */
  function events(pieces: string[]): string[] {
    const seen: string[] = [];
    const handler: XmlHandler = {
      open: (name, a) => void seen.push(`open ${name} k=${a.get("k") ?? ""} j=${a.get("j") ?? ""}`),
      close: (name) => void seen.push(`close ${name}`),
      text: (piece) => void (seen.at(-1)?.startsWith("text ") ? (seen[seen.length - 1] += piece) : seen.push(`text ${piece}`)),
    };
    const scanner = new XmlScanner(handler);
    for (const piece of pieces) scanner.push(piece);
    scanner.end();
    return seen;
  }

  it("reports the same elements and text however the document is cut into pieces", () => {
    const whole = events([xml]);
    expect(whole).toEqual([
      'open a k=1 > 0 j=q"',
      "open b k= j=",
      "close b",
      "text t&u三<raw>",
      "open d k= j=",
      "text v",
      "close d",
      "close a",
    ]);
    expect(events([...xml])).toEqual(whole);
    for (let cut = 1; cut < xml.length; cut++) expect(events([xml.slice(0, cut), xml.slice(cut)])).toEqual(whole);
  });
});
