import PDFDocument from "pdfkit";
import { holdsSubject } from "../domain/subsidy";
import { chineseDate } from "../domain/dates";
import { capitalAmount, formatFen } from "../domain/money";
import type { ClaimDetail } from "../services/subsidy/claim-views.server";
import { zhCN } from "../i18n/zh-CN";
import { inChinese } from "../i18n/messages";
import { certificateFonts } from "./certificate.server";

/** Column shares of the printable width, so the table always ends at the right margin; titles follow what the claim pays for. */
function columnShares(kind: ClaimDetail["kind"]) {
  // Awards and cohort grants pay an organisation: no person, so no ID number column.
  const people = kind === "per_head" || kind === "dual_certificate";
  return [
    { title: "序号", share: 28 },
    { title: zhCN[`claim.col.${kind}.name`], share: people ? 50 : 110 },
    ...(people ? [{ title: "身份证号", share: 100 }] : []),
    { title: zhCN[`claim.col.${kind}.what`], share: people ? 74 : 114 },
    { title: "补贴项目", share: 52 },
    { title: zhCN[`claim.col.${kind}.reference`], share: 100 },
    { title: zhCN[`claim.col.${kind}.date`], share: 58 },
    { title: "金额（元）", share: 62 },
  ];
}

/**
 * 申报表: the claim as the bureau files it, with roster, totals in figures and capitals, and
 * signature lines. While an amount is a placeholder the issuer has not confirmed, the form says
 * so above the roster; while the claim is a draft, 草稿 runs across every page.
 */
export function renderClaimForm(detail: ClaimDetail, printedOn: string): Promise<Buffer> {
  const { regular, bold } = certificateFonts();
  const doc = new PDFDocument({
    size: "A4",
    margin: 48,
    info: { Title: `${detail.policy?.title ?? ""}申报表`, CreationDate: new Date(`${printedOn}T00:00:00Z`) },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.registerFont("regular", regular as unknown as string);
  doc.registerFont("bold", bold as unknown as string);
  const left = 48;
  const width = doc.page.width - 96;
  const shares = columnShares(detail.kind);
  const totalShare = shares.reduce((n, c) => n + c.share, 0);
  const COLUMNS = shares.map((c) => ({ title: c.title, width: (c.share * width) / totalShare }));
  /** Draws one line of text in a cell, shrinking it rather than letting it run past the cell. */
  const cellText = (text: string, x: number, y: number, cellWidth: number, size: number, align: "center" | "right") => {
    doc.fontSize(size);
    const room = cellWidth - 6;
    // A little under the room, so rounding never pushes the last character onto a second line.
    const fitted = Math.min(size, (0.97 * size * room) / Math.max(doc.widthOfString(text), 0.01));
    doc.fontSize(fitted).text(text, x + 3, y + (20 - fitted) / 2 - 1, { width: room, align, lineBreak: false });
  };

  if (detail.claim.status === "draft") {
    // A draft printed for checking must never pass for the form that was filed: every page says so.
    const watermark = () => {
      const { x, y } = doc;
      doc.save();
      doc.rotate(-35, { origin: [doc.page.width / 2, doc.page.height / 2] });
      doc.font("bold").fontSize(160).fillColor("#b42318").fillOpacity(0.12);
      doc.text("草稿", 0, doc.page.height / 2 - 100, { width: doc.page.width, align: "center", lineBreak: false });
      doc.restore();
      doc.fillColor("black").fillOpacity(1).font("regular");
      doc.x = x;
      doc.y = y;
    };
    watermark();
    doc.on("pageAdded", watermark);
  }
  doc
    .font("bold")
    .fontSize(18)
    .text(`${detail.policy?.title ?? detail.claim.policyCode}申报表`, left, 48, { width, align: "center" });
  doc.moveDown(0.8);
  doc.font("regular").fontSize(10.5);
  const facts: [string, string][] = [
    ["申报单位", detail.organisation.name],
    ["受理机关", detail.issuer],
    ["政策依据", `《${detail.policy?.source.title ?? ""}》${detail.policy?.source.section ?? ""}：${detail.policy?.source.quote ?? ""}`],
    [
      "申报期间",
      `${zhCN[`claim.col.${detail.kind}.date`]} ${chineseDate(detail.claim.periodFrom)} 至 ${chineseDate(detail.claim.periodTo)}`,
    ],
    ["申报编号", detail.claim.id.slice(0, 8).toUpperCase()],
  ];
  for (const [label, value] of facts) doc.text(`${label}：${value}`, left, doc.y, { width });
  if (detail.unconfirmed) {
    doc.moveDown(0.4);
    doc
      .font("bold")
      .fillColor("#a1260d")
      .text(`补助金额为示例值，尚待${detail.issuer}确认；确认前本表仅供核对，不能作为申报依据。`, left, doc.y, { width });
    doc.fillColor("black").font("regular");
  }
  doc.moveDown(0.6);

  const counted = detail.lines.filter(holdsSubject);
  const rowHeight = 20;
  const header = () => {
    let x = left;
    const y = doc.y;
    doc.font("bold").fontSize(9.5);
    for (const c of COLUMNS) {
      doc.rect(x, y, c.width, rowHeight).stroke("#444444");
      doc.text(c.title, x + 3, y + 5, { width: c.width - 6, align: "center" });
      x += c.width;
    }
    doc.y = y + rowHeight;
    doc.font("regular");
  };
  header();
  counted.forEach((l, i) => {
    if (doc.y + rowHeight > doc.page.height - 200) {
      doc.addPage();
      header();
    }
    const cells = [
      String(i + 1),
      l.name,
      ...(COLUMNS.length === 8 ? [l.idNumber ?? ""] : []),
      l.what,
      zhCN[`claim.item.${l.item}`],
      l.reference,
      l.date,
      (l.amountFen / 100).toFixed(2),
    ];
    let x = left;
    const y = doc.y;
    cells.forEach((cell, j) => {
      doc.rect(x, y, COLUMNS[j].width, rowHeight).stroke("#999999");
      cellText(cell, x, y, COLUMNS[j].width, 8.5, j === COLUMNS.length - 1 ? "right" : "center");
      x += COLUMNS[j].width;
    });
    doc.y = y + rowHeight;
  });

  const total = counted.reduce((n, l) => n + l.amountFen, 0);
  doc.moveDown(0.8);
  doc
    .font("bold")
    .fontSize(11)
    .text(`合计：${inChinese(`claim.count.${detail.kind}`, { n: detail.totalSubjects })}，金额 ${formatFen(total)}`, left, doc.y, {
      width,
    });
  doc.text(`大写：${capitalAmount(total)}`, left, doc.y + 4, { width });
  doc.moveDown(2);
  doc.font("regular").fontSize(11);
  const y = doc.y;
  doc.text("单位负责人（签字）：______________", left, y);
  doc.text("财务负责人（签字）：______________", left + width / 2, y);
  doc.text("经办人（签字）：______________", left, y + 34);
  doc.text("申报单位（盖章）", left + width / 2, y + 34);
  doc.text(`日期：${chineseDate(printedOn)}`, left + width / 2, y + 68);
  doc.end();
  return done;
}
