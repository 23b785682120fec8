/**
 * A push scanner for the XML inside .xlsx parts: it is handed text a piece at a time and reports
 * elements (by local name, so `x:row` is `row`) and text as it goes. It keeps only the markup it
 * has not finished, never a whole text node, so a 50 MB cell costs no more memory than a short one;
 * a single tag longer than `maxMarkup` is refused, and so is an element beyond the budget. DTDs are
 * refused too: OOXML never has them.
 */

/** A handler returns "stop" once it has read enough: the scan ends there. */
export interface XmlHandler {
  open(name: string, attributes: Attributes): void | "stop";
  close(name: string): void | "stop";
  /** Text and CDATA, entities decoded, possibly in several pieces. */
  text(piece: string): void | "stop";
}

export class MalformedXml extends Error {}

/**
 * How many elements may be reported in all, shared by the scanners of one file: a document of tiny
 * elements such as `<c/>` costs time in proportion to their number rather than to its bytes.
 */
export interface ElementBudget {
  elementsLeft: number;
}

export class TooManyElements extends Error {}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const LONGEST_ENTITY = "&#x10FFFF;".length;

function decodeEntity(whole: string, name: string): string {
  if (name[0] !== "#") return ENTITIES[name] ?? whole;
  const code = name[1] === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
}

function decodeEntities(text: string): string {
  return text.includes("&") ? text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, decodeEntity) : text;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** An element's attributes, by local name; each is looked for only when asked for, as most never are. */
export class Attributes {
  constructor(private readonly source: string) {}

  get(name: string): string | undefined {
    const s = this.source;
    for (let at = s.indexOf(name); at >= 0; at = s.indexOf(name, at + 1)) {
      const before = at === 0 ? 0x20 : s.charCodeAt(at - 1);
      if (!isSpace(before) && before !== 0x3a /* : */) continue;
      let i = at + name.length;
      while (isSpace(s.charCodeAt(i))) i++;
      if (s.charCodeAt(i) !== 0x3d /* = */) continue;
      do i++;
      while (isSpace(s.charCodeAt(i)));
      const quote = s[i];
      if (quote !== '"' && quote !== "'") continue;
      const end = s.indexOf(quote, i + 1);
      return end < 0 ? undefined : decodeEntities(s.slice(i + 1, end));
    }
    return undefined;
  }
}

const NO_ATTRIBUTES = new Attributes("");

/** Just past the `>` that ends the tag whose name ends at `from` (a `>` inside a quoted value does not), or -1. */
function tagEnd(s: string, from: number): number {
  let i = from;
  for (;;) {
    const gt = s.indexOf(">", i);
    if (gt < 0) return -1;
    for (; i < gt; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x22 || c === 0x27) break;
    }
    if (i === gt) return gt + 1;
    const close = s.indexOf(s[i], i + 1);
    if (close < 0) return -1;
    i = close + 1;
  }
}

/** Just past the first `token` from `from`, or -1 when it has not arrived yet. */
function after(s: string, token: string, from: number): number {
  const at = s.indexOf(token, from);
  return at < 0 ? -1 : at + token.length;
}

export class XmlScanner {
  private pending = "";
  private halted = false;
  // Elements open: a document that ends inside one was cut short.
  private depth = 0;

  constructor(
    private readonly handler: XmlHandler,
    private readonly budget: ElementBudget = { elementsLeft: Infinity },
    private readonly maxMarkup = 64 * 1024,
  ) {}

  /** Whether the handler has stopped the scan: nothing more is reported, whatever is pushed. */
  get isHalted() {
    return this.halted;
  }

  push(piece: string) {
    if (this.halted) return;
    const text = this.pending + piece;
    const rest = this.scan(text);
    this.pending = this.halted ? "" : text.slice(rest);
  }

  end() {
    if (this.halted) return;
    const rest = this.pending;
    this.pending = "";
    if (rest.includes("<") || this.depth !== 0) throw new MalformedXml("cut short");
    if (rest) this.obey(this.handler.text(decodeEntities(rest)));
  }

  /** Reports everything complete in `s`; returns where the unfinished rest begins. */
  private scan(s: string): number {
    let at = 0;
    while (at < s.length && !this.halted) {
      const lt = s.indexOf("<", at);
      if (lt < 0) return this.textUpTo(s, at);
      if (lt > at) {
        this.obey(this.handler.text(decodeEntities(s.slice(at, lt))));
        if (this.halted) break;
      }
      const end = this.markup(s, lt);
      if (end < 0) {
        if (s.length - lt > this.maxMarkup) throw new MalformedXml("markup too long");
        return lt;
      }
      at = end;
    }
    return at;
  }

  /** Text with no markup after it yet: report it, keeping back an entity cut in two. */
  private textUpTo(s: string, from: number): number {
    const amp = s.lastIndexOf("&");
    const cut = amp >= from && !s.includes(";", amp) && s.length - amp < LONGEST_ENTITY ? amp : s.length;
    if (cut > from) this.obey(this.handler.text(decodeEntities(s.slice(from, cut))));
    return cut;
  }

  /** Reports the markup at `lt`; returns where it ends, or -1 when it has not all arrived. */
  private markup(s: string, lt: number): number {
    const next = s.charCodeAt(lt + 1);
    if (next === 0x3f /* ? */) return after(s, "?>", lt + 2);
    if (next === 0x21 /* ! */) return this.declaration(s, lt);
    return this.tag(s, lt);
  }

  /** An element's start or end tag. */
  private tag(s: string, lt: number): number {
    let i = lt + 1;
    const closing = s.charCodeAt(i) === 0x2f; /* / */
    if (closing) i++;
    // The local name: after the prefix's colon, if any, up to a space, `/` or `>`.
    let nameStart = i;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x3e || c === 0x2f || c <= 0x20) break;
      if (c === 0x3a) nameStart = i + 1;
    }
    const attributesStart = i;
    const end = tagEnd(s, i);
    if (end < 0) return -1;
    if (i === nameStart) throw new MalformedXml("nameless element");
    const name = s.slice(nameStart, attributesStart);
    if (closing) {
      this.depth--;
      this.obey(this.handler.close(name));
      return end;
    }
    if (--this.budget.elementsLeft < 0) throw new TooManyElements();
    const selfClosing = s.charCodeAt(end - 2) === 0x2f;
    const attributesEnd = selfClosing ? end - 2 : end - 1;
    this.obey(
      this.handler.open(name, attributesEnd > attributesStart ? new Attributes(s.slice(attributesStart, attributesEnd)) : NO_ATTRIBUTES),
    );
    if (!selfClosing) this.depth++;
    else if (!this.halted) this.obey(this.handler.close(name));
    return end;
  }

  /** Comments are skipped and CDATA is text; a DTD is refused. */
  private declaration(s: string, lt: number): number {
    if (s.startsWith("<!--", lt)) return after(s, "-->", lt + 4);
    if (s.startsWith("<![CDATA[", lt)) {
      const end = after(s, "]]>", lt + 9);
      if (end > 0) this.obey(this.handler.text(s.slice(lt + 9, end - 3)));
      return end;
    }
    if ("<![CDATA[".startsWith(s.slice(lt, lt + 9)) || "<!--".startsWith(s.slice(lt, lt + 4))) return -1;
    throw new MalformedXml("DTD");
  }

  private obey(answer: void | "stop") {
    if (answer === "stop") this.halted = true;
  }
}
