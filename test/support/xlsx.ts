import ExcelJS from "exceljs";

/** Builds a roster workbook the way a registrar's Excel would save it. */
export async function rosterXlsx(rows: (string | number)[][], headings = ["姓名", "手机号", "身份证号", "工作单位"]): Promise<ArrayBuffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("名单");
  sheet.addRow(headings);
  for (const r of rows) sheet.addRow(r);
  const buffer = await workbook.xlsx.writeBuffer();
  return buffer instanceof ArrayBuffer ? buffer : new Uint8Array(buffer as ArrayLike<number>).buffer;
}
