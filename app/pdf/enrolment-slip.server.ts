import PDFDocument from "pdfkit";
import { chineseDate } from "../domain/dates";
import { formatActivationCode } from "../domain/activation";
import { certificateFonts, drawQr } from "./certificate.server";

export interface Slip {
  name: string;
  signInWith: string;
  idMasked: string | null;
  code: string;
  /** The last day the code works, in China. */
  validUntil: string;
}

export interface SlipCohort {
  baseName: string;
  cohortName: string;
  programTitle: string;
  startDate: string;
  endDate: string;
  /** Where trainees sign in, printed and as a QR code. */
  signInUrl: string;
}

/**
 * 报名回执: one A5 page per trainee with where and how to sign in the first time. The code is the
 * only secret on it, so the page says to keep it to oneself.
 */
export function renderEnrolmentSlips(cohort: SlipCohort, slips: Slip[], printedOn: string): Promise<Buffer> {
  const { regular, bold } = certificateFonts();
  const doc = new PDFDocument({
    size: "A5",
    margin: 40,
    autoFirstPage: false,
    info: { Title: `${cohort.cohortName} 报名回执`, CreationDate: new Date(`${printedOn}T00:00:00Z`) },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.registerFont("regular", regular as unknown as string);
  doc.registerFont("bold", bold as unknown as string);
  for (const s of slips) {
    doc.addPage();
    const left = 40;
    const width = doc.page.width - 80;
    doc.font("bold").fontSize(16).text("医养结合培训 · 学员报名回执", left, 40, { width, align: "center" });
    doc.moveDown(0.8);
    doc.font("regular").fontSize(10.5);
    const facts: [string, string][] = [
      ["培训基地", cohort.baseName],
      ["培训班", cohort.cohortName],
      ["培训项目", cohort.programTitle],
      ["培训时间", `${chineseDate(cohort.startDate)} 至 ${chineseDate(cohort.endDate)}`],
      ["学员姓名", s.name],
      ["身份证号", s.idMasked ?? "—"],
    ];
    for (const [label, value] of facts) doc.text(`${label}：${value}`, left, doc.y, { width });
    doc.moveDown(0.8);
    const boxTop = doc.y;
    doc.rect(left, boxTop, width, 118).lineWidth(1).stroke("#1f6f6a");
    doc
      .font("regular")
      .fontSize(10.5)
      .text("首次登录", left + 12, boxTop + 10);
    doc.text(`登录地址：${cohort.signInUrl}`, left + 12, boxTop + 28, { width: width - 110 });
    doc.text(`账号（手机号）：${s.signInWith}`, left + 12, doc.y + 2, { width: width - 110 });
    doc.text("激活码：", left + 12, doc.y + 6);
    doc
      .font("bold")
      .fontSize(22)
      .text(formatActivationCode(s.code), left + 12, doc.y + 2);
    drawQr(doc, cohort.signInUrl, left + width - 92, boxTop + 14, 84);
    doc.y = boxTop + 130;
    doc.font("regular").fontSize(9.5).fillColor("#333333");
    const notes = [
      `激活码有效至 ${chineseDate(s.validUntil)}，只能用于本人首次登录；登录后请立即设置自己的密码，激活码随即作废。`,
      "请妥善保管本回执，不要把激活码告诉他人；培训基地工作人员不会向您索要激活码或密码。",
      "激活码遗失或过期，请联系培训基地教务重新生成。",
    ];
    for (const n of notes) doc.text(`· ${n}`, left, doc.y + 2, { width });
    doc
      .fillColor("black")
      .fontSize(9)
      .text(`打印日期：${chineseDate(printedOn)}`, left, doc.page.height - 60, { width, align: "right" });
  }
  doc.end();
  return done;
}
