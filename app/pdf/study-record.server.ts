import PDFDocument from "pdfkit";
import { chineseDate, shanghaiDate, shanghaiDateTime } from "../domain/dates";
import { formatDuration, formatTenths, type ModuleStudy, type StudyRecord, type StudyTotals } from "../domain/study-record";
import { missingLines } from "../i18n/missing-text";
import { inChinese } from "../i18n/messages";
import type { TraineeStudyRecord } from "../services/study-record.server";
import { certificateFonts } from "./certificate.server";

/** What the record's header prints besides the record itself. */
export interface StudyRecordPrint {
  name: string;
  /** As the reader may see it: masked for everyone but those who must see it whole. */
  idShown: string | null;
  employerName: string;
  programTitle: string;
  programVersion: number;
  baseName: string;
  cohortName: string;
  startDate: string;
  endDate: string;
  completedAt: string | null;
  withdrawn: boolean;
  record: StudyRecord;
}

const MARGIN = { top: 50, bottom: 56, side: 45 };
const INK = "#1f2a37";
const RULE = "#9aa5b1";
const HEAD_FILL = "#e6efee";
const GROUP_FILL = "#f3f4f6";
const BODY = 9;
const PAD = 3;

type Align = "left" | "center" | "right";
interface Column {
  title: string;
  /** Share of the printable width. */
  share: number;
  align?: Align;
}
/** A row of cells, or one cell across the whole table (a module's heading, a sum). */
interface Row {
  cells: string[];
  kind?: "group" | "sum";
}

/** 2026-11-02T09:00:00Z → 2026-11-02 17:00, in China. */
const when = (iso: string | null) => (iso ? shanghaiDateTime(iso) : "—");
const hours = (t: number) => `${formatTenths(t)}`;

/**
 * 学时证明: one trainee's study record on A4, for an inspector or the trainee. Tables run on over as
 * many pages as they need, their headings repeated on each; the totals and the base's seal line
 * are kept together at the end.
 */
export function renderStudyRecord(print: StudyRecordPrint, printedOn: string): Promise<Buffer> {
  const { regular, bold } = certificateFonts();
  const doc = new PDFDocument({
    size: "A4",
    bufferPages: true,
    margins: { top: MARGIN.top, bottom: MARGIN.bottom, left: MARGIN.side, right: MARGIN.side },
    info: { Title: `${print.name} 学时证明`, CreationDate: new Date(`${printedOn}T00:00:00Z`) },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.registerFont("regular", regular as unknown as string);
  doc.registerFont("bold", bold as unknown as string);
  doc.fillColor(INK);

  const left = MARGIN.side;
  const width = doc.page.width - 2 * MARGIN.side;
  const bottom = () => doc.page.height - MARGIN.bottom;
  const room = () => bottom() - doc.y;
  const newPage = () => {
    doc.addPage();
    doc.y = MARGIN.top;
  };

  // ------------------------------------------------------------ header
  doc.font("bold").fontSize(20).text("学时证明", left, MARGIN.top, { width, align: "center", characterSpacing: 6 });
  doc
    .font("regular")
    .fontSize(10.5)
    .text(`${print.programTitle}（第${print.programVersion}版）`, left, doc.y + 4, { width, align: "center" });
  doc.y += 10;
  const facts: [string, string][] = [
    ["学员姓名", print.name],
    ["身份证号", print.idShown ?? "—"],
    ["工作单位", print.employerName || "—"],
    ["培训基地", print.baseName],
    ["培训班", print.cohortName],
    ["培训时间", `${chineseDate(print.startDate)} 至 ${chineseDate(print.endDate)}`],
    ["培训状态", print.withdrawn ? "已退出" : print.completedAt ? `已结业（${chineseDate(shanghaiDate(print.completedAt))}）` : "培训中"],
    ["打印日期", chineseDate(printedOn)],
  ];
  const half = width / 2;
  doc.fontSize(10);
  for (let i = 0; i < facts.length; i += 2) {
    const y = doc.y;
    let lowest = y;
    for (const [j, [label, value]] of facts.slice(i, i + 2).entries()) {
      doc.font("bold").text(`${label}：`, left + j * half, y, { width: 56, lineBreak: false });
      doc.font("regular").text(value, left + j * half + 56, y, { width: half - 64 });
      lowest = Math.max(lowest, doc.y);
    }
    doc.y = lowest + 3;
  }
  doc.y += 6;

  // ------------------------------------------------------------ tables
  /** A section's heading and note, kept on one page with `following` points of what comes after them. */
  const section = (title: string, note?: string, following = 70) => {
    const titleHeight = doc.font("bold").fontSize(12).heightOfString(title, { width });
    const noteHeight = note ? doc.font("regular").fontSize(8.5).heightOfString(note, { width }) + 2 : 0;
    if (room() < 8 + titleHeight + noteHeight + 5 + following) newPage();
    doc
      .font("bold")
      .fontSize(12)
      .text(title, left, doc.y + 8, { width });
    if (note)
      doc
        .font("regular")
        .fontSize(8.5)
        .fillColor("#4b5563")
        .text(note, left, doc.y + 2, { width })
        .fillColor(INK);
    doc.y += 5;
  };

  const table = (columns: Column[], rows: Row[]) => {
    const total = columns.reduce((n, c) => n + c.share, 0);
    const widths = columns.map((c) => (c.share * width) / total);
    const fontOf = (row: Row | "head") => (row === "head" || row.kind ? "bold" : "regular");
    const heightOf = (cells: string[], font: string, spanning: boolean) => {
      doc.font(font).fontSize(BODY);
      const hs = spanning
        ? [doc.heightOfString(cells[0] || " ", { width: width - 2 * PAD })]
        : cells.map((c, i) => doc.heightOfString(c || " ", { width: widths[i] - 2 * PAD }));
      return Math.max(...hs) + 2 * PAD;
    };
    const drawCells = (cells: string[], font: string, fill: string | null, spanning: boolean, aligns: Align[]) => {
      const h = heightOf(cells, font, spanning);
      const y = doc.y;
      const boxes = spanning
        ? [{ x: left, w: width }]
        : widths.map((w, i) => ({ x: left + widths.slice(0, i).reduce((a, b) => a + b, 0), w }));
      if (fill) doc.rect(left, y, width, h).fill(fill);
      doc.fillColor(INK).font(font).fontSize(BODY);
      boxes.forEach((b, i) => {
        doc.rect(b.x, y, b.w, h).lineWidth(0.5).stroke(RULE);
        doc.text(cells[i] ?? "", b.x + PAD, y + PAD, { width: b.w - 2 * PAD, align: spanning ? "left" : aligns[i] });
      });
      doc.y = y + h;
      return h;
    };
    const head = () =>
      drawCells(
        columns.map((c) => c.title),
        "bold",
        HEAD_FILL,
        false,
        columns.map(() => "center"),
      );
    // The headings never end a page: they start it with at least the first row (and its lesson, for a module's heading).
    const headHeight = heightOf(
      columns.map((c) => c.title),
      "bold",
      false,
    );
    const firstRows = rows
      .slice(0, rows[0]?.kind === "group" ? 2 : 1)
      .reduce((h, r) => h + heightOf(r.cells, fontOf(r), r.cells.length === 1), 0);
    if (room() < headHeight + firstRows) newPage();
    head();
    rows.forEach((row, i) => {
      const spanning = row.cells.length === 1;
      let need = heightOf(row.cells, fontOf(row), spanning);
      // A module's heading goes over to the next page with its first lesson.
      const next = rows[i + 1];
      if (row.kind === "group" && next) need += heightOf(next.cells, fontOf(next), next.cells.length === 1);
      if (need > room()) {
        newPage();
        head();
      }
      drawCells(
        row.cells,
        fontOf(row),
        row.kind === "group" ? GROUP_FILL : null,
        spanning,
        columns.map((c) => c.align ?? "left"),
      );
    });
    doc.x = left;
  };
  const none = () => doc.font("regular").fontSize(BODY).text("（无记录）", left, doc.y, { width });

  const { record } = print;
  const t = record.totals;

  // 一、课程学习
  section(
    "一、课程学习",
    t.split
      ? "学习时长为页面在学员活跃时记录的时间（含多次打开）。各模块线上学时按该模块学习时长每满6分钟计0.1学时，以该模块线上学时为上限。"
      : "本版本未划分线上学时：学习时长仅作记录；模块的全部课程已学且模块测验通过后，计入该模块的理论学时。",
  );
  table(
    [
      { title: "模块 / 课程", share: 190 },
      { title: "打开次数", share: 44, align: "right" },
      { title: "首次打开", share: 84, align: "center" },
      { title: "学习时长", share: 70, align: "right" },
      { title: "已学（标记时间）", share: 117, align: "center" },
    ],
    record.modules.flatMap((m, i) => moduleRows(m, i)),
  );
  const onlineLine = t.split
    ? `线上学时合计：${hours(t.onlineTenths)} / 应 ${hours(t.onlineRequiredTenths!)} 学时`
    : `课程模块计入理论学时合计：${hours(t.onlineTenths)} 学时`;
  doc
    .font("bold")
    .fontSize(BODY)
    .text(onlineLine, left, doc.y + 4, { width, align: "right" });

  // 二、测验与考试
  section("二、测验与考试", "结业考试每次开始即计为一次参考，未交卷的亦同。");
  if (record.attempts.length === 0) none();
  else
    table(
      [
        { title: "类别", share: 40, align: "center" },
        { title: "模块", share: 170 },
        { title: "开始时间", share: 84, align: "center" },
        { title: "交卷时间", share: 84, align: "center" },
        { title: "得分", share: 40, align: "right" },
        { title: "结果", share: 50, align: "center" },
      ],
      record.attempts.map((a) => ({
        cells: [
          a.kind === "exam" ? "结业考试" : "测验",
          a.kind === "exam" ? "—" : (a.moduleTitle ?? "—"),
          when(a.startedAt),
          a.submittedAt ? when(a.submittedAt) : "未交卷",
          a.scorePercent === null ? "—" : `${a.scorePercent}%`,
          a.submittedAt === null ? "—" : a.passed ? "通过" : "未通过",
        ],
      })),
    );

  // 三、课堂考勤
  section("三、课堂考勤");
  if (record.attendance.length === 0) none();
  else
    table(
      [
        { title: "日期", share: 70, align: "center" },
        { title: "课次内容", share: 250 },
        { title: "类别", share: 50, align: "center" },
        { title: "出勤 / 课次学时", share: 80, align: "right" },
      ],
      [
        ...record.attendance.map((a) => ({
          cells: [a.date, a.title, a.kind === "theory" ? "理论" : "实践", `${a.hours} / ${a.sessionHours}`],
        })),
        { cells: [`课堂理论出勤合计 ${t.classroomHours} 学时；实践出勤合计 ${t.practiceHours} 学时`], kind: "sum" as const },
      ],
    );

  // 四、技能考核
  section("四、技能考核", "同一技能考核多次的，以最近一次为准（“计入”栏为“是”）。");
  if (record.practicals.length === 0) none();
  else
    table(
      [
        { title: "技能", share: 140 },
        { title: "结果", share: 40, align: "center" },
        { title: "考官", share: 95 },
        { title: "考核日期", share: 66, align: "center" },
        { title: "评分", share: 90, align: "center" },
        { title: "计入", share: 36, align: "center" },
      ],
      record.practicals.map((p) => ({
        cells: [
          p.skillTitle,
          p.result === "pass" ? "合格" : "不合格",
          p.examiners.join("、"),
          p.assessedOn,
          p.score === null ? "—" : `${p.score}分${p.itemsMarked ? `（达标 ${p.itemsMet}/${p.itemsMarked} 项）` : ""}`,
          p.counts ? "是" : "否",
        ],
      })),
    );

  // 五、学时汇总, then the seal: kept together.
  const summary = totalsLines(t, record, print);
  doc.font("regular").fontSize(10);
  const lineHeights = summary.map((l) => doc.heightOfString(l, { width: width - 20 }) + 3);
  const boxHeight = lineHeights.reduce((a, b) => a + b, 0) + 16;
  // The seal line and room under it for the base's round seal.
  const sealHeight = 28 + 16 + 80;
  section("五、学时汇总", undefined, boxHeight + sealHeight);
  const top = doc.y;
  doc.rect(left, top, width, boxHeight).lineWidth(0.8).stroke(INK);
  let y = top + 8;
  summary.forEach((line, i) => {
    doc
      .font(i < 2 ? "bold" : "regular")
      .fontSize(10)
      .text(line, left + 10, y, { width: width - 20 });
    y += lineHeights[i];
  });
  doc.y = top + boxHeight + 28;
  const sealY = doc.y;
  doc.font("regular").fontSize(10.5);
  const blank = (label: string, x: number, to: number) => {
    doc.text(label, x, sealY, { lineBreak: false });
    const from = x + doc.widthOfString(label) + 2;
    doc
      .moveTo(from, sealY + 14)
      .lineTo(to, sealY + 14)
      .lineWidth(0.5)
      .stroke(INK);
  };
  blank("培训基地（盖章）：", left, left + width * 0.4);
  blank("经办人：", left + width * 0.44, left + width * 0.66);
  doc.text("日期：", left + width * 0.7, sealY, { lineBreak: false });
  doc.text("年      月      日", left + width * 0.7, sealY, { width: width * 0.3, align: "right", lineBreak: false });

  // ------------------------------------------------------------ every page's foot
  const pages = doc.bufferedPageRange();
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    // Written below the bottom margin: without lifting it, pdfkit would start a new page for the text.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const footY = doc.page.height - 36;
    doc.font("regular").fontSize(8).fillColor("#6b7280");
    doc.text(`学时证明 · ${print.name} · ${print.cohortName}`, left, footY, { width: width * 0.75, lineBreak: false, ellipsis: true });
    doc.text(`第 ${i + 1} 页 / 共 ${pages.count} 页`, left + width * 0.75, footY, {
      width: width * 0.25,
      align: "right",
      lineBreak: false,
    });
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return done;
}

/** The 学时证明 of a trainee's record as the service reads it, with the ID number as the reader may see it. */
export function renderTraineeStudyRecord(
  { header: h, record }: TraineeStudyRecord,
  idShown: string | null,
  printedOn: string,
): Promise<Buffer> {
  return renderStudyRecord(
    {
      name: h.name,
      idShown,
      employerName: h.employerName,
      programTitle: h.programTitle,
      programVersion: h.programVersion,
      baseName: h.baseName,
      cohortName: h.cohortName,
      startDate: h.startDate,
      endDate: h.endDate,
      completedAt: h.completedAt,
      withdrawn: h.enrolmentStatus === "withdrawn",
      record,
    },
    printedOn,
  );
}

function moduleRows(m: ModuleStudy, index: number): Row[] {
  const heading = !m.inVersion
    ? `（不在本版本课程中）${m.code}：所记学习时长不计学时`
    : m.shareTenths !== null
      ? `${index + 1}. ${m.title}（理论 ${m.theoryHours} 学时，其中线上 ${hours(m.shareTenths)} 学时）`
      : `${index + 1}. ${m.title}（理论 ${m.theoryHours} 学时）`;
  const lessons: Row[] = m.lessons.map((l) => ({
    cells: [
      l.inVersion ? l.title : `${l.title}（不在本版本课程中）`,
      String(l.opened),
      when(l.firstOpenedAt),
      formatDuration(l.seconds),
      l.readAt ? `是（${when(l.readAt)}）` : "否",
    ],
  }));
  const listed = m.lessons.filter((l) => l.inVersion).length;
  const credit = !m.inVersion
    ? "不计学时"
    : m.shareTenths !== null
      ? `计入线上 ${hours(m.creditedTenths)} / 应 ${hours(m.shareTenths)} 学时`
      : m.finished
        ? `模块完成，计入理论 ${hours(m.creditedTenths)} 学时`
        : `模块未完成${m.quizPassed ? "" : "（测验未通过）"}，不计学时`;
  const opened = m.lessons.reduce((n, l) => n + l.opened, 0);
  const read = m.inVersion ? `${m.lessonsRead}/${listed} 课${m.quizPassed ? " · 测验通过" : ""}` : "";
  return [
    { cells: [heading], kind: "group" },
    ...lessons,
    { cells: [`小计：${credit}`, String(opened), "", formatDuration(m.seconds), read], kind: "sum" },
  ];
}

/**
 * The summary, each line a sum of rows above; what is missing in the words the trainee's page uses.
 * Completion is recorded once (decision 019): a trainee who completed stays so, whatever came after.
 */
function totalsLines(
  t: StudyTotals,
  record: StudyRecord,
  { withdrawn, completedAt }: Pick<StudyRecordPrint, "withdrawn" | "completedAt">,
): string[] {
  const theory = t.split
    ? `理论学时（线上 ${hours(t.onlineTenths)} / 应 ${hours(t.onlineRequiredTenths!)}；课堂 ${t.classroomHours} / 应 ${hours(t.classroomRequiredTenths!)}）合计 ${hours(t.theoryTenths)} / 应 ${t.theoryRequired} 学时`
    : `理论学时（课程模块 ${hours(t.onlineTenths)}；课堂 ${t.classroomHours}）合计 ${hours(t.theoryTenths)} / 应 ${t.theoryRequired} 学时`;
  const practice = `实践学时 ${t.practiceHours} / 应 ${t.practiceRequired} 学时`;
  const exam = t.examPassed
    ? `结业考试：通过（共参考 ${t.examAttempts} 次）`
    : t.examAttempts
      ? `结业考试：未通过（已参考 ${t.examAttempts} 次）`
      : "结业考试：未参加";
  const skills = `技能考核：合格 ${t.skillsPassed} / 共 ${t.skillsTotal} 项`;
  const missing = missingLines(record.missing, inChinese);
  if (withdrawn) return [theory, practice, exam, skills, "培训状态：已退出"];
  if (completedAt) return [theory, practice, exam, skills, `培训状态：已于${chineseDate(shanghaiDate(completedAt))}完成全部培训要求`];
  return [theory, practice, exam, skills, "培训状态：尚未完成。尚缺：", ...missing.map((m) => `· ${m}`)];
}
