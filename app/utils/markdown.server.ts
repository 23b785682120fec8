import MarkdownIt from "markdown-it";

// Raw HTML is off: lesson files are Markdown only, and anything that looks like a tag is shown as text.
const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

export function renderMarkdown(source: string): string {
  return md.render(source);
}
