/**
 * Fitting a piece of text into a box on a PDF page: the largest font size, from `maxSize` down to
 * `minSize`, at which the text wraps into at most `maxLines` lines that fit the box's width and
 * height. Nothing is drawn; the PDF document is only asked how wide its fonts set text.
 */

export interface FitOptions {
  /** A font registered with the document. */
  font: string;
  width: number;
  height: number;
  maxSize: number;
  minSize: number;
  maxLines: number;
  /** Extra space after every character, in ems (as a share of the font size). */
  characterSpacing?: number;
  /** Space between lines, in ems. */
  lineGap?: number;
  /** How far the first line is indented, in ems (2 for a Chinese paragraph). */
  indent?: number;
  /**
   * Evens out the lengths of the lines (for centred text): the same number of lines, wrapped as
   * narrowly as they go, instead of full lines and a short last one.
   */
  balance?: boolean;
  /** How much smaller each size tried is than the last, in points. */
  step?: number;
}

export interface FittedText {
  size: number;
  lines: string[];
  /** From the top of one line to the top of the next. */
  lineAdvance: number;
  /** From the top of the first line to the bottom of the last. */
  height: number;
  /** The width each line takes when drawn at `size`, in points. */
  widths: number[];
  /** Characters added after each glyph, in points, when drawn at `size`. */
  characterSpacing: number;
  /** Indent of the first line in points. */
  indent: number;
  /** False when even `minSize` needed more lines or room than allowed: the lines are then at `minSize`. */
  fits: boolean;
}

// No line may start with closing punctuation or end with opening punctuation (Chinese line breaking rules).
const CLOSING = new Set([..."，。、；：？！…）》」』”’〉】〕］｝·,.;:?!)]}%"]);
const OPENING = new Set([..."（《「『“‘〈【〔［｛([{"]);
/** Letters, digits and marks that read as one word and are kept on one line when they can be. */
const WORD = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Nd}\-'.@/_:#*+&]/u;

/**
 * The pieces a line may be broken between: a Latin word or number, a single CJK character, or a
 * space, with punctuation held to the character it belongs to.
 */
export function breakUnits(text: string): string[] {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  const units: string[] = [];
  let opening = "";
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (OPENING.has(ch)) {
      opening += ch;
      continue;
    }
    if (ch === " " && !opening) {
      units.push(" ");
      continue;
    }
    let unit = ch;
    if (WORD.test(ch)) while (i + 1 < chars.length && WORD.test(chars[i + 1])) unit += chars[++i];
    while (i + 1 < chars.length && CLOSING.has(chars[i + 1])) unit += chars[++i];
    const last = units.length - 1;
    if (CLOSING.has(ch) && !opening && last >= 0 && units[last] !== " ") units[last] += unit;
    else units.push(opening + unit);
    opening = "";
  }
  if (opening) units.push(opening);
  return units;
}

const codePoints = (s: string) => [...s].length;

/**
 * Wraps units greedily: each line takes as many as fit. A unit wider than a whole line (a very long
 * word) is broken between its characters.
 */
function wrap(units: string[], unitWidth: (u: string) => number, spacing: number, firstWidth: number, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  let lineWidth = 0;
  const room = () => (lines.length === 0 ? firstWidth : width);
  const push = () => {
    lines.push(line.trimEnd());
    line = "";
    lineWidth = 0;
  };
  const queue = [...units];
  while (queue.length) {
    const unit = queue.shift()!;
    if (unit === " " && line === "") continue;
    const added = unitWidth(unit) + spacing * codePoints(unit);
    if (lineWidth + added - spacing <= room() + 1e-6) {
      line += unit;
      lineWidth += added;
      continue;
    }
    if (line.trim() !== "") {
      push();
      if (unit !== " ") queue.unshift(unit);
      continue;
    }
    // Alone on a line and still too wide: split it between characters.
    const chars = [...unit];
    if (chars.length === 1) {
      line = unit;
      push();
      continue;
    }
    let cut = 1;
    while (cut < chars.length && unitWidth(chars.slice(0, cut + 1).join("")) + spacing * cut <= room()) cut++;
    queue.unshift(chars.slice(0, cut).join(""), chars.slice(cut).join(""));
    // The first piece now fits, the rest goes on.
  }
  if (line.trim() !== "") push();
  return lines;
}

export function fitText(doc: PDFKit.PDFDocument, text: string, options: FitOptions): FittedText {
  const {
    font,
    width,
    height,
    maxSize,
    minSize,
    maxLines,
    characterSpacing = 0,
    lineGap = 0,
    indent = 0,
    balance = false,
    step = 0.5,
  } = options;
  doc.font(font).fontSize(1);
  const lineHeightAt1 = doc.currentLineHeight();
  const widthsAt1 = new Map<string, number>();
  const widthAt1 = (s: string) => {
    let w = widthsAt1.get(s);
    if (w === undefined) widthsAt1.set(s, (w = doc.widthOfString(s)));
    return w;
  };
  const units = breakUnits(text);

  const attempt = (size: number, within = width): FittedText => {
    const spacing = characterSpacing * size;
    const lines = wrap(units, (u) => widthAt1(u) * size, spacing, within - indent * size, within);
    const lineAdvance = (lineHeightAt1 + lineGap) * size;
    const total = lines.length ? lineHeightAt1 * size + lineAdvance * (lines.length - 1) : 0;
    const fitted = {
      size,
      lines,
      lineAdvance,
      height: total,
      widths: [] as number[],
      characterSpacing: spacing,
      indent: indent * size,
      fits: false,
    };
    if (lines.length > maxLines || total > height + 1e-6) return fitted;
    // Whole lines are measured once they could fit: the sum of their pieces' widths leaves out kerning between them.
    fitted.widths = measure(lines, size, spacing);
    fitted.fits = fitted.widths.every((w, i) => w <= (i === 0 ? width - indent * size : width) + 1e-6);
    return fitted;
  };
  /** The narrowest wrapping that still takes no more lines. */
  const balanced = (fitted: FittedText): FittedText => {
    let best = fitted;
    // Never narrower than the widest piece, which would then be split between its characters.
    let lo = Math.max(...units.map((u) => widthAt1(u) * fitted.size + fitted.characterSpacing * (codePoints(u) - 1)));
    let hi = width;
    for (let i = 0; i < 12; i++) {
      const mid = (lo + hi) / 2;
      const tried = attempt(fitted.size, mid);
      if (tried.fits && tried.lines.length <= fitted.lines.length) {
        best = tried;
        hi = mid;
      } else lo = mid;
    }
    return best;
  };
  const measure = (lines: string[], size: number, spacing: number) =>
    lines.map((l) => widthAt1(l) * size + spacing * Math.max(0, codePoints(l) - 1));

  for (let size = maxSize; size >= minSize - 1e-9; size = Math.round((size - step) * 1000) / 1000) {
    const fitted = attempt(size);
    if (fitted.fits) return balance && fitted.lines.length > 1 ? balanced(fitted) : fitted;
  }
  const last = attempt(minSize);
  if (!last.widths.length) last.widths = measure(last.lines, minSize, last.characterSpacing);
  return last;
}
