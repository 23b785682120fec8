import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { QR_BOX, renderCertificatePdf, type CertificateDocument } from "../../app/pdf/certificate.server";

/**
 * Every certificate is checked the way a reader sees it: poppler lays out the text of the PDF and
 * no two pieces of text may cover each other, cover the QR code, or leave the inner frame.
 */

const dir = mkdtempSync(path.join(tmpdir(), "certificate-layout-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A4 landscape in points, the inner gold frame and the QR code as certificate.server.ts draws them.
const W = 841.89;
const H = 595.28;
const FRAME = 36;
const QR = { x: QR_BOX.x, y: QR_BOX.y, w: QR_BOX.width, h: QR_BOX.height };
const EPSILON = 0.5;

const base: CertificateDocument = {
  serial: "2026-7K3M-Q9XZ-5",
  certificateTitle: "养老护理员师资培训合格证书",
  holderName: "周建华",
  holderIdNumber: "330183198807156066",
  programTitle: "养老护理员师资培训",
  programVersion: 12,
  organisationName: "杭州市富阳区第一人民医院医养结合培训基地",
  cohortStart: "2026-09-28",
  cohortEnd: "2026-12-31",
  theoryHours: 128,
  practiceHours: 256,
  completionDate: "2026-12-31",
  issueDate: "2026-12-31",
  expiryDate: "2029-12-31",
  verifyUrl: "https://peixun.example.gov.cn/v/2026-7K3M-Q9XZ-5",
  qrText: "https://peixun.example.gov.cn/v/2026-7K3M-Q9XZ-5?p=abc",
  payload: "{}",
  signature: "",
};

/** `n` characters of plausible Chinese, cycling through `source`. */
function chars(source: string, n: number): string {
  const all = [...source];
  return Array.from({ length: n }, (_, i) => all[i % all.length]).join("");
}

const BASE_40 = chars("浙江省杭州市富阳区第一人民医院医养结合养老护理员实训基地", 40);
const BASE_100 = chars("浙江省杭州市富阳区第一人民医院医养结合养老护理员实训基地", 100);
const TITLE_40 = chars("医养结合机构失能失智老年人长期照护专项职业能力培训（高级）", 40);
const NAME_20 = chars("阿卜杜热合曼买买提明艾力", 20);
/** The longest programme and certificate titles the content loader accepts. */
const CERTIFICATE_TITLE_30 = chars("医养结合照护师资培训专项职业能力合格证书", 30);

interface Box {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** The word boxes poppler finds on the first page, in PDF points with y downwards. */
function wordBoxes(pdf: Buffer, name: string): Box[] {
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const html = execFileSync("pdftotext", ["-bbox", file, "-"], { encoding: "utf8" });
  const unescapeXml = (s: string) =>
    s
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
    text: unescapeXml(m[5]),
  }));
}

function overlap(a: Omit<Box, "text">, b: Omit<Box, "text">): number {
  const w = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
  const h = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
  return w > EPSILON && h > EPSILON ? Math.min(w, h) : 0;
}

/** Everything wrong with the layout, as readable sentences (empty when it holds). */
function layoutProblems(boxes: Box[]): string[] {
  const problems: string[] = [];
  const qr = { xMin: QR.x, yMin: QR.y, xMax: QR.x + QR.w, yMax: QR.y + QR.h };
  for (const [i, a] of boxes.entries()) {
    if (a.xMin < FRAME - EPSILON || a.yMin < FRAME - EPSILON || a.xMax > W - FRAME + EPSILON || a.yMax > H - FRAME + EPSILON)
      problems.push(`"${a.text}" leaves the frame: ${JSON.stringify(a)}`);
    if (overlap(a, qr)) problems.push(`"${a.text}" covers the QR code`);
    for (const b of boxes.slice(i + 1)) {
      if (overlap(a, b)) problems.push(`"${a.text}" overlaps "${b.text}" (${overlap(a, b).toFixed(1)} pt)`);
    }
  }
  return problems;
}

/** The text on the certificate with every space and line break taken out. */
const joined = (boxes: Box[]) => boxes.map((b) => b.text).join("");

const cases: [string, Partial<CertificateDocument>][] = [
  ["typical", {}],
  ["a 40-character base name", { organisationName: BASE_40 }],
  ["a 100-character base name, the longest the organisation form accepts", { organisationName: BASE_100 }],
  ["a 40-character programme title", { programTitle: TITLE_40 }],
  ["a one-character name", { holderName: "王" }],
  ["a two-character name", { holderName: "王芳" }],
  ["a three-character name", { holderName: "欧阳娜" }],
  ["a ten-character name", { holderName: chars(NAME_20, 10) }],
  ["a twenty-character name", { holderName: NAME_20 }],
  ["a Latin name", { holderName: "Maximilian Alexander" }],
  ["a 100-character name, the longest a roster cell holds", { holderName: chars(NAME_20, 100) }],
  ["a 30-character certificate title", { certificateTitle: CERTIFICATE_TITLE_30 }],
  [
    "every field at its longest",
    {
      organisationName: BASE_100,
      programTitle: TITLE_40,
      holderName: NAME_20,
      certificateTitle: CERTIFICATE_TITLE_30,
      programVersion: 999,
      theoryHours: 9999,
      practiceHours: 9999,
    },
  ],
  ["every field at its longest, with a 40-character base", { organisationName: BASE_40, programTitle: TITLE_40, holderName: NAME_20 }],
];

describe("certificate layout", () => {
  it.each(cases)("holds with %s", async (label, fields) => {
    const c = { ...base, ...fields };
    const boxes = wordBoxes(await renderCertificatePdf(c), label.replace(/[^a-z0-9]+/gi, "-"));
    expect(layoutProblems(boxes)).toEqual([]);
    // Nothing was cut short: every field is on the page in full.
    const text = joined(boxes);
    for (const value of [c.holderName.replace(/ /g, ""), c.organisationName, c.programTitle, c.certificateTitle]) {
      expect(text.replace(/\s/g, "")).toContain(value);
    }
  });
});
