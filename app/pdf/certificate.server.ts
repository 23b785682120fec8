import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import * as fontkit from "fontkit";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { chineseDate } from "../domain/dates";
import { maskResidentId } from "../domain/resident-id";
import { fitText, type FittedText } from "./fit-text";

const require = createRequire(import.meta.url);

/** Noto Serif SC (OFL), shipped in an npm package: parsed once, subset into every PDF. */
function loadFont(weight: "400Regular" | "700Bold"): fontkit.Font {
  const file = require.resolve(`@expo-google-fonts/noto-serif-sc/${weight}/NotoSerifSC_${weight}.ttf`);
  return fontkit.create(readFileSync(file)) as fontkit.Font;
}

let fonts: { regular: fontkit.Font; bold: fontkit.Font } | undefined;
export function certificateFonts() {
  fonts ??= { regular: loadFont("400Regular"), bold: loadFont("700Bold") };
  return fonts;
}

/** Characters the certificate font cannot draw (e.g. 𠮷 from CJK extension B): they would print as boxes. */
export function missingGlyphs(text: string): string[] {
  const { regular, bold } = certificateFonts();
  return [...new Set([...text])].filter((ch) => {
    const cp = ch.codePointAt(0)!;
    return cp > 0x20 && !(regular.hasGlyphForCodePoint(cp) && bold.hasGlyphForCodePoint(cp));
  });
}

export interface CertificateDocument {
  serial: string;
  certificateTitle: string;
  holderName: string;
  holderIdNumber: string | null;
  programTitle: string;
  programVersion: number;
  organisationName: string;
  cohortStart: string;
  cohortEnd: string;
  theoryHours: number;
  practiceHours: number;
  completionDate: string;
  issueDate: string;
  expiryDate: string | null;
  /** A refresher's certificate names the certificate it renews. */
  renewsSerial?: string | null;
  verifyUrl: string;
  qrText: string;
  payload: string;
  signature: string;
}

const INK = "#1f2a37";
const RED = "#9b1c1c";
const GOLD = "#b08d3c";

/**
 * A QR code in a white square of `size` points, with `quiet` modules of white inside the square on
 * each side (a scanner needs four of clear space around it: whatever lies outside the square makes up the rest).
 */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number, quiet = 4) {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const cell = size / (n + 2 * quiet);
  doc.save().rect(x, y, size, size).fill("#ffffff");
  doc.fillColor("#000000");
  // One rectangle per run of dark modules in a row: far fewer drawing operations than one per module.
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      const from = c;
      while (c < n && qr.modules.get(r, c)) c++;
      doc.rect(x + (from + quiet) * cell, y + (r + quiet) * cell, (c - from) * cell, cell);
    }
  }
  doc.fill().restore();
}

/** The page, A4 landscape, in points. */
const PAGE = { width: 841.89, height: 595.28 };
/** A box on the page a field is fitted into; y is its top, measured down from the top of the page. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const TITLE_BOX: Box = { x: 60, y: 72, width: PAGE.width - 120, height: 49 };
const NAME_BOX: Box = { x: 60, y: 160, width: PAGE.width - 120, height: 44 };
/** Ends above the serial number and the base's name, which start at 384. */
const BODY_BOX: Box = { x: 110, y: 240, width: PAGE.width - 220, height: 140 };
/**
 * The base's name, up to the 100 characters the organisation form accepts. Its lines stop above the
 * QR code (which starts at y 439) however many there are; the date below is narrow enough to pass it.
 */
const SEAL_NAME_BOX: Box = { x: PAGE.width - 350, y: 384, width: 240, height: 53 };
/** The QR code: from just below the base's name to 6 points inside the inner frame. */
export const QR_BOX: Box = { x: PAGE.width - 42 - 114, y: 439, width: 114, height: 114 };
/** Where the middle of the name-and-date block sits: a one-line name starts at y 400, the date at 426. */
const SEAL_BLOCK_MIDDLE = 421.622;
const SEAL_DATE_GAP = 4.445;

/** Draws fitted lines into their box, each line centred or all set from the left edge. */
function drawLines(
  doc: PDFKit.PDFDocument,
  fitted: FittedText,
  font: string,
  color: string,
  box: Box,
  align: "center" | "left",
  vertical: "top" | "middle",
) {
  doc.font(font).fontSize(fitted.size).fillColor(color);
  const top = vertical === "middle" ? box.y + Math.max(0, (box.height - fitted.height) / 2) : box.y;
  fitted.lines.forEach((line, i) => {
    const x = align === "center" ? box.x + (box.width - fitted.widths[i]) / 2 : box.x + (i === 0 ? fitted.indent : 0);
    doc.text(line, x, top + i * fitted.lineAdvance, { lineBreak: false, characterSpacing: fitted.characterSpacing });
  });
}

/** A4 landscape, laid out like a certificate a bureau would hang on a wall. Same record, same bytes. */
export function renderCertificatePdf(c: CertificateDocument): Promise<Buffer> {
  const { regular, bold } = certificateFonts();
  const issued = new Date(`${c.issueDate}T00:00:00Z`);
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: 0,
    compress: true,
    info: {
      Title: `${c.certificateTitle} ${c.serial}`,
      Author: c.organisationName,
      Subject: c.payload,
      Keywords: c.signature,
      Creator: "医养结合培训与认证",
      Producer: "医养结合培训与认证",
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.registerFont("regular", regular as unknown as string);
  doc.registerFont("bold", bold as unknown as string);

  const W = doc.page.width;
  const H = doc.page.height;
  doc.rect(0, 0, W, H).fill("#fffdf7");
  doc
    .lineWidth(6)
    .strokeColor(RED)
    .rect(18, 18, W - 36, H - 36)
    .stroke();
  doc
    .lineWidth(1.2)
    .strokeColor(GOLD)
    .rect(30, 30, W - 60, H - 60)
    .stroke();
  doc
    .lineWidth(0.6)
    .strokeColor(GOLD)
    .rect(36, 36, W - 72, H - 72)
    .stroke();

  // Every field is fitted into its own box (smaller type, more lines) so that no data can push it into another.
  const title = fitText(doc, c.certificateTitle, {
    font: "bold",
    ...TITLE_BOX,
    maxSize: 34,
    minSize: 20,
    maxLines: 1,
    characterSpacing: 6 / 34,
  });
  drawLines(doc, title, "bold", RED, TITLE_BOX, "center", "middle");
  doc
    .font("regular")
    .fontSize(11)
    .fillColor(GOLD)
    .text("CERTIFICATE OF TRAINING", 0, 121, { width: W, align: "center", characterSpacing: 3 });

  const holder = fitText(doc, c.holderName, {
    font: "bold",
    ...NAME_BOX,
    maxSize: 30,
    minSize: 12,
    maxLines: 2,
    characterSpacing: 4 / 30,
    balance: true,
  });
  drawLines(doc, holder, "bold", INK, NAME_BOX, "center", "middle");
  const id = c.holderIdNumber ? `身份证号  ${maskResidentId(c.holderIdNumber)}` : "";
  doc.font("regular").fontSize(12).fillColor("#5b6675").text(id, 0, 204, { width: W, align: "center" });

  const body =
    `于 ${chineseDate(c.cohortStart)} 至 ${chineseDate(c.cohortEnd)} 在${c.organisationName}参加“${c.programTitle}”` +
    `（第${c.programVersion}版），完成理论 ${c.theoryHours} 学时、实践 ${c.practiceHours} 学时，` +
    `于 ${chineseDate(c.completionDate)} 经考核合格，特发此证。`;
  const paragraph = fitText(doc, body, {
    font: "regular",
    ...BODY_BOX,
    maxSize: 16,
    minSize: 11,
    maxLines: 6,
    lineGap: 10 / 16,
    indent: 2,
  });
  drawLines(doc, paragraph, "regular", INK, BODY_BOX, "left", "top");

  const leftX = 110;
  let y = 392;
  doc.font("regular").fontSize(12).fillColor(INK);
  const facts = [
    ["证书编号", c.serial],
    ["发证日期", chineseDate(c.issueDate)],
    ["有效期至", c.expiryDate ? chineseDate(c.expiryDate) : "长期有效"],
  ];
  if (c.renewsSerial) facts.push(["续期原证", c.renewsSerial]);
  for (const [label, value] of facts) {
    doc.fillColor("#5b6675").text(label, leftX, y, { continued: true }).fillColor(INK).text(`    ${value}`);
    y += 22;
  }

  // The issuing base and its seal: the base's name over the date, the two centred on the seal.
  const sealX = W - 290;
  const base = fitText(doc, c.organisationName, { font: "bold", ...SEAL_NAME_BOX, maxSize: 15, minSize: 9, maxLines: 5, balance: true });
  doc.font("regular").fontSize(12);
  const dateHeight = doc.currentLineHeight();
  const blockTop = SEAL_BLOCK_MIDDLE - (base.height + SEAL_DATE_GAP + dateHeight) / 2;
  drawLines(doc, base, "bold", INK, { ...SEAL_NAME_BOX, y: blockTop }, "center", "top");
  doc
    .font("regular")
    .fontSize(12)
    .text(chineseDate(c.issueDate), sealX - 60, blockTop + base.height + SEAL_DATE_GAP, { width: 240, align: "center" });
  // Where the base's seal is pressed, over its name and the date, as on paper.
  doc
    .save()
    .lineWidth(1.5)
    .strokeColor(RED)
    .opacity(0.6)
    .circle(sealX + 60, 420, 48)
    .stroke()
    .restore();
  doc
    .font("regular")
    .fontSize(9)
    .fillColor(RED)
    .text("（盖章）", sealX + 30, 472, { width: 60, align: "center" });

  // As large as the corner allows below the base's name, so it reads from a phone photo of the page
  // (1080 px across) or a 100 dpi scan; the frame's margin outside the square completes the quiet zone.
  drawQr(doc, c.qrText, QR_BOX.x, QR_BOX.y, QR_BOX.width, 2);
  doc.font("regular").fontSize(8.5).fillColor("#5b6675");
  doc.text("扫码或访问以下网址查验真伪", leftX, H - 98, { width: 420 });
  doc.text(c.verifyUrl, leftX, H - 84, { width: 460 });

  doc.end();
  return done;
}

export function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Parses the fonts and renders one throwaway certificate, so the first real one (often the start
 * of a cohort batch) does not hold the event loop while fonts load and code warms up.
 */
export async function warmUpCertificates(): Promise<void> {
  await renderCertificatePdf({
    serial: "2026-0000-0000-0",
    certificateTitle: "培训合格证书",
    holderName: "示例",
    holderIdNumber: null,
    programTitle: "示例项目",
    programVersion: 1,
    organisationName: "示例培训基地",
    cohortStart: "2026-01-01",
    cohortEnd: "2026-01-31",
    theoryHours: 1,
    practiceHours: 1,
    completionDate: "2026-01-31",
    issueDate: "2026-02-01",
    expiryDate: null,
    verifyUrl: "http://localhost/v/2026-0000-0000-0",
    qrText: "http://localhost/v/2026-0000-0000-0",
    payload: "{}",
    signature: "",
  });
}
