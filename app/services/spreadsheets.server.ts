import ExcelJS from "exceljs";
import type { ClaimItem } from "../../db/schema";
import { formatActivationCode } from "../domain/activation";
import type { Slip } from "../pdf/enrolment-slip.server";
import { shanghaiDate } from "../domain/dates";
import { examProgress, type Completion } from "../domain/completion";
import { ROSTER_LIMITS, type RosterInput } from "../domain/roster";
import { missingLines } from "../i18n/missing-text";
import type { Translate } from "../i18n/messages";
import { readFirstSheet, type SheetRow, type SheetVisitor } from "./xlsx-reader.server";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Roster columns, by any of the headings people commonly use. */
const ROSTER_HEADINGS: Record<keyof Omit<RosterInput, "row">, string[]> = {
  name: ["姓名", "name"],
  mobile: ["手机号", "手机", "手机号码", "联系电话", "mobile"],
  idNumber: ["身份证号", "身份证号码", "身份证", "id number", "id"],
  employer: ["工作单位", "单位", "employer"],
};

type RosterField = keyof typeof ROSTER_HEADINGS;
type RosterColumn = { column: number; heading: string };
type RosterColumns = Partial<Record<RosterField, RosterColumn>>;

export type RosterRefusal = {
  ok: false;
  error: "roster.unreadable" | "roster.noHeadings" | "roster.empty" | "roster.unpackedTooLarge" | "roster.tooManyRows" | "roster.cellTooLong";
  /** What the message names: the limit, and for a long cell its row and column. */
  params?: Record<string, string | number>;
};

export type RosterFile = { ok: true; rows: RosterInput[] } | RosterRefusal;

/** Where each field is, from the heading row (row 1); null unless it names at least name, mobile and ID number. */
function rosterColumns(headings: SheetRow): RosterColumns | null {
  if (headings.number !== 1) return null;
  const columns: RosterColumns = {};
  for (const [column, value] of headings.cells) {
    const heading = String(value).trim();
    for (const [field, names] of Object.entries(ROSTER_HEADINGS)) if (names.includes(heading.toLowerCase())) columns[field as RosterField] = { column, heading };
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
  const input = { row: row.number, name: String(cellAt(row, columns.name)), mobile: String(cellAt(row, columns.mobile)), idNumber: cellAt(row, columns.idNumber), employer: String(cellAt(row, columns.employer)) };
  return isBlank(input.name) && isBlank(input.mobile) && isBlank(input.idNumber) && isBlank(input.employer) ? null : input;
}

const refusal = (error: RosterRefusal["error"], params?: RosterRefusal["params"]): RosterRefusal => ({ ok: false, error, ...(params ? { params } : {}) });

/** Follows a roster sheet row by row, and stops at the first thing that makes it one to refuse. */
class RosterReader implements SheetVisitor {
  columns: RosterColumns | null = null;
  refused: RosterRefusal | null = null;
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
    return this.refuse(refusal("roster.cellTooLong", { row, column: columnLetters(column), heading: at.heading, max: ROSTER_LIMITS.cellCharacters }));
  }

  private refuse(why: RosterRefusal): "stop" {
    this.refused = why;
    return "stop";
  }
}

/**
 * Reads the first sheet of an .xlsx roster: a heading row, then one person per row. Reading stops
 * at the first row beyond the limit or the first cell too long, and never inflates more of the
 * file than ROSTER_LIMITS allows, however the file is made.
 */
export function readRoster(data: ArrayBuffer | Uint8Array): RosterFile {
  const reader = new RosterReader();
  const limits = { unpackedBytes: ROSTER_LIMITS.unpackedBytes, elements: ROSTER_LIMITS.xmlElements, cellCharacters: ROSTER_LIMITS.cellCharacters };
  const outcome = readFirstSheet(data instanceof Uint8Array ? data : new Uint8Array(data), limits, reader);
  if (outcome === "unreadable") return refusal("roster.unreadable");
  if (outcome === "overBudget") return refusal("roster.unpackedTooLarge", { mb: ROSTER_LIMITS.unpackedBytes / (1024 * 1024) });
  if (outcome === "noSheet") return refusal("roster.empty");
  if (reader.refused) return reader.refused;
  if (!reader.columns) return refusal("roster.noHeadings");
  if (reader.rows.length === 0) return refusal("roster.empty");
  return { ok: true, rows: reader.rows };
}

/** An empty roster whose ID column is formatted as text, so Excel keeps all 18 characters. */
export async function rosterTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("学员名单");
  sheet.columns = [
    { header: "姓名", key: "name", width: 12 },
    { header: "手机号", key: "mobile", width: 16, style: { numFmt: "@" } },
    { header: "身份证号", key: "idNumber", width: 24, style: { numFmt: "@" } },
    { header: "工作单位", key: "employer", width: 28 },
  ];
  sheet.getRow(1).font = { bold: true };
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

const ROSTER_HEADINGS_OUT = ["序号", "姓名", "身份证号", "培训项目", "补贴项目", "证书编号", "结业日期", "金额（元）", "状态"];

type RosterLine = { holderName: string; idNumber: string | null; programTitle: string; item: ClaimItem; serial: string; completionDate: string; amountFen: number; status: string };

function rosterRows(lines: RosterLine[], t: Translate) {
  return lines.map((l, i) => [i + 1, l.holderName, l.idNumber ?? "", l.programTitle, t(`claim.item.${l.item}`), l.serial, l.completionDate, l.amountFen, t(`claim.line.${l.status as "included"}`)] as const);
}

const AMOUNT_COLUMN = 8;
const AMOUNT_LETTER = "H";

export async function claimRosterWorkbook(title: string, lines: RosterLine[], totalFen: number, t: Translate): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("申报名单");
  sheet.addRow([title]).font = { bold: true, size: 13 };
  sheet.addRow(ROSTER_HEADINGS_OUT).font = { bold: true };
  // Amounts are numbers in yuan (fen / 100, exact to the cent), so the sheet can add them up itself.
  for (const row of rosterRows(lines, t)) sheet.addRow(row.map((v, i) => (i === AMOUNT_COLUMN - 1 ? (v as number) / 100 : v)));
  const first = 3;
  const last = first + lines.length - 1;
  const total = sheet.addRow(["合计", "", "", "", "", "", "", lines.length ? { formula: `SUM(${AMOUNT_LETTER}${first}:${AMOUNT_LETTER}${last})`, result: totalFen / 100 } : 0, ""]);
  total.font = { bold: true };
  sheet.getColumn(AMOUNT_COLUMN).numFmt = "#,##0.00";
  sheet.columns.forEach((c, i) => (c.width = [6, 10, 22, 26, 14, 20, 12, 12, 10][i]));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * RFC 4180 CSV with a BOM, so Excel opens the Chinese correctly. Text that a spreadsheet would
 * read as a formula (=, +, -, @ first) is prefixed with an apostrophe.
 */
export function claimRosterCsv(lines: RosterLine[], t: Translate): string {
  const cell = (v: string | number) => {
    let s = String(v);
    if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = rosterRows(lines, t).map((r) => r.map((v, i) => (i === AMOUNT_COLUMN - 1 ? ((v as number) / 100).toFixed(2) : v)));
  return "\ufeff" + [ROSTER_HEADINGS_OUT, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
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
