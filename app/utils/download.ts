/** A Content-Disposition header that keeps a Chinese file name, with an ASCII name for old clients. */
export function attachment(filename: string, asciiFallback: string): string {
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
