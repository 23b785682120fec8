import PDFDocument from "pdfkit";
import { describe, expect, it } from "vitest";
import { certificateFonts } from "../../app/pdf/certificate.server";
import { breakUnits, fitText } from "../../app/pdf/fit-text";

function pdf() {
  const doc = new PDFDocument({ size: "A4", layout: "landscape", margin: 0 });
  const { regular, bold } = certificateFonts();
  doc.registerFont("regular", regular as unknown as string);
  doc.registerFont("bold", bold as unknown as string);
  return doc;
}

describe("breaking text into pieces a line may end between", () => {
  it("keeps numbers and Latin words whole and punctuation with the character it belongs to", () => {
    expect(breakUnits("于 2026年9月28日 在“养老”（第12版），完成")).toEqual([
      "于",
      " ",
      "2026",
      "年",
      "9",
      "月",
      "28",
      "日",
      " ",
      "在",
      "“养",
      "老”",
      "（第",
      "12",
      "版），",
      "完",
      "成",
    ]);
    expect(breakUnits("Maximilian  von\nHohenzollern-Sigmaringen")).toEqual(["Maximilian", " ", "von", " ", "Hohenzollern-Sigmaringen"]);
  });
});

describe("fitting text into a box", () => {
  const box = { font: "bold", width: 240, height: 53, maxSize: 15, minSize: 9, maxLines: 5 };

  it("keeps the largest size when the text fits on one line", () => {
    const fitted = fitText(pdf(), "示例培训基地", box);
    expect(fitted).toMatchObject({ size: 15, lines: ["示例培训基地"], fits: true });
    expect(fitted.height).toBeCloseTo(15 * 1.437, 1);
  });

  it("wraps, then shrinks, until the lines fit both the width and the height", () => {
    const name = "浙江省杭州市富阳区第一人民医院医养结合养老护理员实训基地浙江省杭州市富阳区第一";
    const fitted = fitText(pdf(), name, box);
    expect(fitted.fits).toBe(true);
    expect(fitted.size).toBeLessThan(15);
    expect(fitted.size).toBeGreaterThanOrEqual(9);
    expect(fitted.lines.join("")).toBe(name);
    expect(fitted.height).toBeLessThanOrEqual(53);
    for (const w of fitted.widths) expect(w).toBeLessThanOrEqual(240);
  });

  it("counts character spacing and the first line's indent in the width", () => {
    const doc = pdf();
    const spaced = fitText(doc, "养老护理员师资培训合格证书", {
      font: "bold",
      width: 400,
      height: 60,
      maxSize: 34,
      minSize: 10,
      maxLines: 1,
      characterSpacing: 0.2,
    });
    expect(spaced.widths[0]).toBeLessThanOrEqual(400);
    expect(spaced.widths[0]).toBeCloseTo(13 * spaced.size + 12 * 0.2 * spaced.size, 0);
    const indented = fitText(doc, "一".repeat(20), {
      font: "regular",
      width: 200,
      height: 200,
      maxSize: 10,
      minSize: 10,
      maxLines: 5,
      indent: 2,
    });
    expect(indented.lines.map((l) => [...l].length)).toEqual([18, 2]);
  });

  it("never starts a line with closing punctuation", () => {
    const text = "于经考核合格，特发此证。完成理论学时、实践学时，于考核合格，特发此证。";
    for (let width = 60; width < 300; width += 7) {
      const fitted = fitText(pdf(), text, { font: "regular", width, height: 1000, maxSize: 12, minSize: 12, maxLines: 50 });
      for (const line of fitted.lines) expect(line, `${width}: ${fitted.lines.join("|")}`).not.toMatch(/^[，。、）”]/);
      expect(fitted.lines.join("")).toBe(text);
    }
  });

  it("evens out centred lines when asked to", () => {
    const fitted = fitText(pdf(), "杭州市富阳区第一人民医院医养结合培训基地", { ...box, balance: true });
    expect(fitted.lines).toEqual(["杭州市富阳区第一人民", "医院医养结合培训基地"]);
  });

  it("says when even the smallest size does not fit, and still wraps all of the text", () => {
    const text = "长".repeat(200);
    const fitted = fitText(pdf(), text, box);
    expect(fitted).toMatchObject({ size: 9, fits: false });
    expect(fitted.lines.join("")).toBe(text);
  });
});
