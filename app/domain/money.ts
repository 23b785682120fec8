/** Money is integer fen everywhere; these turn it into what people read. */

export function formatFen(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100).toLocaleString("en-US");
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, "0")}`;
}

const DIGITS = "零壹贰叁肆伍陆柒捌玖";
const SMALL_UNITS = ["", "拾", "佰", "仟"];
const GROUP_UNITS = ["", "万", "亿", "万亿"];

/** One group of four digits (0–9999); `leadingZero` is set when a non-zero group precedes it. */
function groupText(n: number, leadingZero: boolean): string {
  let text = "";
  let zero = leadingZero;
  for (let i = 3; i >= 0; i--) {
    const d = Math.floor(n / 10 ** i) % 10;
    if (d === 0) {
      if (text || leadingZero) zero = true;
      continue;
    }
    if (zero && (text || leadingZero)) text += "零";
    zero = false;
    text += DIGITS[d] + SMALL_UNITS[i];
  }
  return text;
}

/**
 * Chinese capital numerals as written on financial forms (大写金额): 250,000.00 → 贰拾伍万元整,
 * 10,050.05 → 壹万零伍拾元零伍分.
 */
export function capitalAmount(fen: number): string {
  if (!Number.isInteger(fen) || fen < 0) throw new RangeError("amount must be a non-negative whole number of fen");
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;

  let yuanText = "";
  if (yuan > 0) {
    const groups: number[] = [];
    for (let y = yuan; y > 0; y = Math.floor(y / 10000)) groups.push(y % 10000);
    let pendingZero = false;
    for (let g = groups.length - 1; g >= 0; g--) {
      const value = groups[g];
      if (value === 0) {
        pendingZero = yuanText !== "";
        continue;
      }
      const needsZero = yuanText !== "" && (pendingZero || value < 1000);
      yuanText += (needsZero ? "零" : "") + groupText(value, false) + GROUP_UNITS[g];
      pendingZero = false;
    }
    yuanText += "元";
  }

  if (jiao === 0 && cents === 0) return `${yuanText || "零元"}整`;
  let smallText = "";
  if (jiao > 0) smallText += `${DIGITS[jiao]}角`;
  else if (yuan > 0) smallText += "零";
  if (cents > 0) smallText += `${DIGITS[cents]}分`;
  return yuanText + smallText;
}
