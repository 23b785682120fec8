import { readCsvSheet } from "./csv-reader.server";
import ExcelJS from "exceljs";
import type { ClaimItem } from "../../db/schema";
import type { PolicyKind } from "../domain/claim-policy";
import { zhCN } from "../i18n/zh-CN";
import { formatActivationCode } from "../domain/activation";
import type { Slip } from "../pdf/enrolment-slip.server";
import { shanghaiDate, shanghaiDateTime } from "../domain/dates";
import { examProgress, type Completion } from "../domain/completion";
import { formatDuration, type StudyRecord } from "../domain/study-record";
import { ROSTER_LIMITS, type RosterInput } from "../domain/roster";
import { missingLines } from "../i18n/missing-text";
import { inChinese, type Translate } from "../i18n/messages";
import { readFirstSheet, type SheetRow, type SheetVisitor } from "./xlsx-reader.server";
import { refuse, success, type Refusal, type ServiceResult } from "./result";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Roster columns, by any of the headings people commonly use. */
const ROSTER_HEADINGS: Record<keyof Omit<RosterInput, "row" | "linkExisting">, string[]> = {
  name: ["姓名", "name"],
  mobile: ["手机号", "手机", "手机号码", "联系电话", "mobile"],
  idNumber: ["身份证号", "身份证号码", "身份证", "id number", "id"],
  employer: ["工作单位", "单位", "employer"],
};

type RosterField = keyof typeof ROSTER_HEADINGS;
type RosterColumn = { column: number; heading: string };
type RosterColumns = Partial<Record<RosterField, RosterColumn>>;

type RosterProblem =
  | "roster.unreadable"
  | "roster.noHeadings"
  | "roster.empty"
  | "roster.unpackedTooLarge"
  | "roster.tooManyRows"
  | "roster.cellTooLong";

/** Where each field is, from the heading row (row 1); null unless it names at least name, mobile and ID number. */
function rosterColumns(headings: SheetRow): RosterColumns | null {
  if (headings.number !== 1) return null;
  const columns: RosterColumns = {};
  for (const [column, value] of headings.cells) {
    const heading = String(value).trim();
    for (const [field, names] of Object.entries(ROSTER_HEADINGS))
      if (names.includes(heading.toLowerCase())) columns[field as RosterField] = { column, heading };
  }
  return columns.name && columns.idNumber && columns.mobile ? columns : null;
}

/** A, B, … Z, AA: the column as Excel labels it. */
function columnLetters(column: number): string {
  let letters = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

function columnRead(columns: RosterColumns, column: number): RosterColumn | undefined {
  for (const at of Object.values(columns)) if (at.column === column) return at;
  return undefined;
}

const cellAt = (row: SheetRow, at: RosterColumn | undefined) => (at ? (row.cells.get(at.column) ?? "") : "");
const isBlank = (value: string | number) => String(value).trim() === "";

function rosterInput(row: SheetRow, columns: RosterColumns): RosterInput | null {
  const input = {
    row: row.number,
    name: String(cellAt(row, columns.name)),
    mobile: String(cellAt(row, columns.mobile)),
    idNumber: cellAt(row, columns.idNumber),
    employer: String(cellAt(row, columns.employer)),
  };
  return isBlank(input.name) && isBlank(input.mobile) && isBlank(input.idNumber) && isBlank(input.employer) ? null : input;
}

/** A roster file refused, said beside the file field (`roster`) with what the message names: the limit, and for a long cell its row and column. */
const refusal = (problem: RosterProblem, params?: Record<string, string | number>): Refusal => refuse("roster", problem, params);

/** Follows a roster sheet row by row, and stops at the first thing that makes it one to refuse. */
class RosterReader implements SheetVisitor {
  columns: RosterColumns | null = null;
  refused: Refusal | null = null;
  readonly rows: RosterInput[] = [];

  row(row: SheetRow): "more" | "stop" {
    if (!this.columns) {
      this.columns = rosterColumns(row);
      return this.columns ? "more" : this.refuse(refusal("roster.noHeadings"));
    }
    const input = rosterInput(row, this.columns);
    if (!input) return "more";
    if (this.rows.length === ROSTER_LIMITS.rows) return this.refuse(refusal("roster.tooManyRows", { max: ROSTER_LIMITS.rows }));
    this.rows.push(input);
    return "more";
  }

  longCell(row: number, column: number): "more" | "stop" {
    // Headings are matched whole, and columns not read do not matter.
    const at = this.columns && row > 1 ? columnRead(this.columns, column) : undefined;
    if (!at) return "more";
    return this.refuse(
      refusal("roster.cellTooLong", { row, column: columnLetters(column), heading: at.heading, max: ROSTER_LIMITS.cellCharacters }),
    );
  }

  private refuse(why: Refusal): "stop" {
    this.refused = why;
    return "stop";
  }
}

/**
 * Reads a roster, the first sheet of an .xlsx or a .csv (UTF-8 or GBK): a heading row, then one person per row. Reading stops
 * at the first row beyond the limit or the first cell too long, and never inflates more of the
 * file than ROSTER_LIMITS allows, however the file is made.
 */
export function readRoster(data: ArrayBuffer | Uint8Array): ServiceResult<RosterInput[]> {
  const reader = new RosterReader();
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const limits = {
    unpackedBytes: ROSTER_LIMITS.unpackedBytes,
    elements: ROSTER_LIMITS.xmlElements,
    cellCharacters: ROSTER_LIMITS.cellCharacters,
  };
  // An .xlsx is a zip file; anything else is read as text saved as .csv.
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const outcome = isZip ? readFirstSheet(bytes, limits, reader) : readCsvSheet(bytes, limits, reader);
  if (outcome === "unreadable") return refusal("roster.unreadable");
  if (outcome === "overBudget") return refusal("roster.unpackedTooLarge", { mb: ROSTER_LIMITS.unpackedBytes / (1024 * 1024) });
  if (outcome === "noSheet") return refusal("roster.empty");
  if (reader.refused) return reader.refused;
  if (!reader.columns) return refusal("roster.noHeadings");
  if (reader.rows.length === 0) return refusal("roster.empty");
  return success(reader.rows);
}

const ROSTER_COLUMNS: Partial<ExcelJS.Column>[] = [
  { header: "姓名", key: "name", width: 12 },
  { header: "手机号", key: "mobile", width: 16, style: { numFmt: "@" } },
  { header: "身份证号", key: "idNumber", width: 24, style: { numFmt: "@" } },
  { header: "工作单位", key: "employer", width: 28 },
];

/** An empty roster whose ID column is formatted as text, so Excel keeps all 18 characters. */
export async function rosterTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("学员名单");
  sheet.columns = ROSTER_COLUMNS;
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * The roster as it was read, with a problem column: rows to fix in red, in their original order,
 * so the registrar corrects the file itself and uploads it again. Its headings read back as a roster.
 */
export async function rosterWithProblems(
  rows: { name: string; mobile: string; idNumber: string; employer: string; problems: string }[],
  problemHeading: string,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("学员名单");
  sheet.columns = [...ROSTER_COLUMNS, { header: problemHeading, key: "problems", width: 60 }];
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) {
    const row = sheet.addRow(r);
    if (r.problems) row.getCell("problems").font = { color: { argb: "FFB42318" } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function progressWorkbook(
  title: string,
  hours: { theory: number; practice: number },
  rows: { name: string; idNumber: string | null; employerName: string; completedAt: string | null; completion: Completion }[],
  t: Translate,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(t("cohort.progressTitle"));
  sheet.addRow([title]).font = { bold: true, size: 13 };
  const header = sheet.addRow([
    t("user.name"),
    t("user.idNumber"),
    t("roster.employer"),
    `${t("progress.theory")} (/${hours.theory})`,
    `${t("progress.practice")} (/${hours.practice})`,
    t("progress.modules"),
    t("progress.exam"),
    t("progress.practicals"),
    t("progress.rotations"),
    t("progress.status"),
    t("progress.completedAt"),
    t("progress.missing"),
  ]);
  header.font = { bold: true };
  for (const r of rows) {
    const p = r.completion.progress;
    sheet.addRow([
      r.name,
      r.idNumber ?? "",
      r.employerName,
      p.theoryHours,
      p.practiceHours,
      `${p.modulesDone}/${p.modulesTotal}`,
      t(`progress.exam.${examProgress(p)}`, { n: p.examAttempts }),
      `${p.skillsPassed}/${p.skillsTotal}`,
      `${p.rotationsDone}/${p.rotationsTotal}`,
      r.completedAt ? t("progress.completed") : `${t("progress.inProgress")} ${p.percent}%`,
      r.completedAt ? shanghaiDate(r.completedAt) : "",
      missingLines(r.completion.missing, t).join("；"),
    ]);
  }
  sheet.columns.forEach((c, i) => (c.width = [12, 22, 24, 10, 10, 8, 10, 8, 8, 12, 12, 60][i]));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** One trainee's record as the cohort workbook lists it: the ID number as the reader may see it. */
export interface StudyRecordLine {
  name: string;
  idShown: string | null;
  completedAt: string | null;
  withdrawn: boolean;
  record: StudyRecord;
}

/** Hours from tenths, as a number a spreadsheet can add up. */
const fromTenths = (t: number) => t / 10;
const minutes = (seconds: number) => Math.round((seconds / 60) * 10) / 10;

/**
 * 学时记录 of a cohort, for inspectors: a summary line per trainee and the rows its totals are the
 * sums of — lesson study time, each module's credit, attempts, attendance, practicals. Written in
 * Chinese, like the printed 学时证明, whatever language the reader uses.
 */
export async function studyRecordWorkbook(title: string, lines: StudyRecordLine[]): Promise<Buffer> {
  const t = inChinese;
  const workbook = new ExcelJS.Workbook();
  const split = lines.every((l) => l.record.totals.split);
  const sheet = (name: string, headings: string[], widths: number[], withTitle = false) => {
    const s = workbook.addWorksheet(name);
    if (withTitle) s.addRow([title]).font = { bold: true, size: 13 };
    s.addRow(headings).font = { bold: true };
    s.views = [{ state: "frozen", ySplit: withTitle ? 2 : 1 }];
    s.columns.forEach((c, i) => (c.width = widths[i]));
    return s;
  };
  const who = (l: StudyRecordLine) => [l.name, l.idShown ?? ""];

  const summary = sheet(
    "汇总",
    [
      "姓名",
      "身份证号",
      split ? "线上学时（计入）" : "课程模块学时（计入）",
      "线上应修",
      "课堂理论学时",
      "课堂理论应修",
      "理论学时合计",
      "理论应修",
      "实践学时",
      "实践应修",
      "结业考试",
      "技能合格",
      "技能总数",
      "状态",
      "尚缺",
    ],
    [10, 22, 12, 9, 12, 12, 12, 9, 9, 9, 16, 9, 9, 12, 60],
    true,
  );
  for (const l of lines) {
    const x = l.record.totals;
    summary.addRow([
      ...who(l),
      fromTenths(x.onlineTenths),
      x.onlineRequiredTenths === null ? "" : fromTenths(x.onlineRequiredTenths),
      x.classroomHours,
      x.classroomRequiredTenths === null ? "" : fromTenths(x.classroomRequiredTenths),
      fromTenths(x.theoryTenths),
      x.theoryRequired,
      x.practiceHours,
      x.practiceRequired,
      x.examPassed
        ? t("progress.exam.passed")
        : x.examAttempts
          ? t("progress.exam.failed", { n: x.examAttempts })
          : t("progress.exam.notTaken"),
      x.skillsPassed,
      x.skillsTotal,
      l.withdrawn ? "已退出" : l.completedAt ? `${t("progress.completed")} ${shanghaiDate(l.completedAt)}` : t("progress.inProgress"),
      // Completion is recorded once (decision 019): nothing is missing for a trainee who completed.
      l.withdrawn || l.completedAt || l.record.status === "completed" ? "" : missingLines(l.record.missing, t).join("；"),
    ]);
  }

  const lessons = sheet(
    "课程学习",
    ["姓名", "身份证号", "模块", "课程", "打开次数", "首次打开", "学习分钟", "学习秒数", "已学", "标记已学时间"],
    [10, 22, 22, 26, 9, 17, 9, 9, 6, 17],
  );
  const modules = sheet(
    "模块学时",
    [
      "姓名",
      "身份证号",
      "模块",
      "学习秒数",
      "学习时长",
      split ? "线上应修" : "模块理论学时",
      split ? "计入线上学时" : "计入理论学时",
      "课程已学",
      "测验通过",
    ],
    [10, 22, 26, 10, 14, 10, 12, 9, 9],
  );
  for (const l of lines) {
    for (const m of l.record.modules) {
      for (const s of m.lessons) {
        lessons.addRow([
          ...who(l),
          m.title,
          s.title,
          s.opened,
          s.firstOpenedAt ? shanghaiDateTime(s.firstOpenedAt) : "",
          minutes(s.seconds),
          s.seconds,
          s.readAt ? "是" : "否",
          s.readAt ? shanghaiDateTime(s.readAt) : "",
        ]);
      }
      const listed = m.lessons.filter((s) => s.inVersion).length;
      modules.addRow([
        ...who(l),
        m.inVersion ? m.title : `${m.code}（不在本版本课程中）`,
        m.seconds,
        formatDuration(m.seconds),
        m.shareTenths !== null ? fromTenths(m.shareTenths) : m.inVersion ? m.theoryHours : "",
        fromTenths(m.creditedTenths),
        m.inVersion ? `${m.lessonsRead}/${listed}` : "",
        m.quizPassed ? "是" : "否",
      ]);
    }
  }

  const attempts = sheet(
    "测验考试",
    ["姓名", "身份证号", "类别", "模块", "开始时间", "交卷时间", "得分（%）", "结果"],
    [10, 22, 9, 26, 17, 17, 9, 8],
  );
  for (const l of lines) {
    for (const a of l.record.attempts) {
      attempts.addRow([
        ...who(l),
        a.kind === "exam" ? "结业考试" : "测验",
        a.kind === "exam" ? "" : (a.moduleTitle ?? ""),
        shanghaiDateTime(a.startedAt),
        a.submittedAt ? shanghaiDateTime(a.submittedAt) : "未交卷",
        a.scorePercent ?? "",
        a.submittedAt === null ? "" : a.passed ? "通过" : "未通过",
      ]);
    }
  }

  const attended = sheet("课堂考勤", ["姓名", "身份证号", "日期", "课次内容", "类别", "出勤学时", "课次学时"], [10, 22, 11, 30, 6, 9, 9]);
  for (const l of lines)
    for (const a of l.record.attendance)
      attended.addRow([...who(l), a.date, a.title, a.kind === "theory" ? "理论" : "实践", a.hours, a.sessionHours]);

  const practicals = sheet(
    "技能考核",
    ["姓名", "身份证号", "技能", "结果", "考官", "考核日期", "得分", "达标项", "计入"],
    [10, 22, 26, 8, 18, 11, 8, 9, 6],
  );
  for (const l of lines) {
    for (const p of l.record.practicals) {
      practicals.addRow([
        ...who(l),
        p.skillTitle,
        p.result === "pass" ? "合格" : "不合格",
        p.examiners.join("、"),
        p.assessedOn,
        p.score ?? "",
        p.itemsMarked ? `${p.itemsMet}/${p.itemsMarked}` : "",
        p.counts ? "是" : "否",
      ]);
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function registerWorkbook(
  rows: {
    serial: string;
    holderName: string;
    holderIdNumber: string | null;
    programTitle: string;
    programVersion: number;
    organisationName: string;
    theoryHours: number;
    practiceHours: number;
    completionDate: string;
    issueDate: string;
    expiryDate: string | null;
    status: "valid" | "revoked" | "expired" | "superseded";
  }[],
  t: Translate,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(t("certificate.register"));
  sheet.addRow([
    t("certificate.serial"),
    t("user.name"),
    t("user.idNumber"),
    t("cohort.program"),
    t("base.title"),
    t("progress.theory"),
    t("progress.practice"),
    t("progress.completedAt"),
    t("certificate.issueDate"),
    t("certificate.expiryDate"),
    t("progress.status"),
  ]).font = { bold: true };
  for (const r of rows) {
    sheet.addRow([
      r.serial,
      r.holderName,
      r.holderIdNumber ?? "",
      `${r.programTitle} v${r.programVersion}`,
      r.organisationName,
      r.theoryHours,
      r.practiceHours,
      r.completionDate,
      r.issueDate,
      r.expiryDate ?? "",
      t(`certificate.status.${r.status}`),
    ]);
  }
  sheet.columns.forEach((c, i) => (c.width = [20, 10, 22, 28, 30, 8, 8, 12, 12, 12, 8][i]));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The roster's headings: what the columns hold follows what the claim pays for (heads, a designation, people, cohorts). */
function rosterHeadings(kind: PolicyKind) {
  return [
    "序号",
    zhCN[`claim.col.${kind}.name`],
    "身份证号",
    zhCN[`claim.col.${kind}.what`],
    "补贴项目",
    zhCN[`claim.col.${kind}.reference`],
    zhCN[`claim.col.${kind}.date`],
    "金额（元）",
    "状态",
  ];
}

type RosterLine = {
  name: string;
  idNumber: string | null;
  what: string;
  item: ClaimItem;
  reference: string;
  date: string;
  amountFen: number;
  status: string;
};

function rosterRows(lines: RosterLine[], t: Translate) {
  return lines.map(
    (l, i) =>
      [
        i + 1,
        l.name,
        l.idNumber ?? "",
        l.what,
        t(`claim.item.${l.item}`),
        l.reference,
        l.date,
        l.amountFen,
        t(`claim.line.${l.status as "included"}`),
      ] as const,
  );
}

const AMOUNT_COLUMN = 8;
const AMOUNT_LETTER = "H";

export async function claimRosterWorkbook(
  title: string,
  kind: PolicyKind,
  lines: RosterLine[],
  totalFen: number,
  t: Translate,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("申报名单");
  sheet.addRow([title]).font = { bold: true, size: 13 };
  sheet.addRow(rosterHeadings(kind)).font = { bold: true };
  // Amounts are numbers in yuan (fen / 100, exact to the cent), so the sheet can add them up itself.
  for (const row of rosterRows(lines, t)) sheet.addRow(row.map((v, i) => (i === AMOUNT_COLUMN - 1 ? (v as number) / 100 : v)));
  const first = 3;
  const last = first + lines.length - 1;
  const total = sheet.addRow([
    "合计",
    "",
    "",
    "",
    "",
    "",
    "",
    lines.length ? { formula: `SUM(${AMOUNT_LETTER}${first}:${AMOUNT_LETTER}${last})`, result: totalFen / 100 } : 0,
    "",
  ]);
  total.font = { bold: true };
  sheet.getColumn(AMOUNT_COLUMN).numFmt = "#,##0.00";
  sheet.columns.forEach((c, i) => (c.width = [6, 10, 22, 26, 14, 20, 12, 12, 10][i]));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * RFC 4180 CSV with a BOM, so Excel opens the Chinese correctly. Text that a spreadsheet would
 * read as a formula (=, +, -, @ first) is prefixed with an apostrophe.
 */
export function claimRosterCsv(kind: PolicyKind, lines: RosterLine[], t: Translate): string {
  const cell = (v: string | number) => {
    let s = String(v);
    if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = rosterRows(lines, t).map((r) => r.map((v, i) => (i === AMOUNT_COLUMN - 1 ? ((v as number) / 100).toFixed(2) : v)));
  return "\ufeff" + [rosterHeadings(kind), ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** The activation codes of a cohort's trainees who have not signed in yet. */
export async function activationCodeWorkbook(cohortName: string, slips: Slip[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("激活码");
  sheet.addRow([`${cohortName} · 激活码名单（请妥善保管，发给学员本人）`]).font = { bold: true, size: 13 };
  sheet.addRow(["序号", "姓名", "登录账号", "身份证号", "激活码", "有效期至"]).font = { bold: true };
  slips.forEach((s, i) => sheet.addRow([i + 1, s.name, s.signInWith, s.idMasked ?? "", formatActivationCode(s.code), s.validUntil]));
  sheet.columns.forEach((c, i) => (c.width = [6, 12, 16, 22, 14, 12][i]));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
