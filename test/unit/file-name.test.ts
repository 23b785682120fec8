import { describe, expect, it } from "vitest";
import { certificateFileName, safeFileNamePart, uniqueFileNames } from "../../app/domain/file-name";

const SERIAL = "2026-7K3M-9Q2T-X";
const bytes = (s: string) => Buffer.byteLength(s, "utf8");

/** What every name in an archive must be: one plain file, wherever it is unpacked. */
function expectSafe(name: string) {
  expect(name).not.toMatch(/[\/\\\u0000-\u001F\u007F\uFF0F\uFF3C]/);
  expect(name).not.toContain("..");
  expect(name).not.toMatch(/^[.\s]/);
  expect(bytes(name)).toBeLessThanOrEqual(255);
  expect(name.length).toBeGreaterThan(0);
}

describe("a certificate's file name", () => {
  it("is <serial>-<name>.pdf for an ordinary name", () => {
    expect(certificateFileName(SERIAL, "冯雪梅")).toBe(`${SERIAL}-冯雪梅.pdf`);
    expect(certificateFileName(SERIAL, "阿依古丽·买买提")).toBe(`${SERIAL}-阿依古丽·买买提.pdf`);
  });

  it("cannot climb out of the folder or name another one", () => {
    const hostile = ["../../etc", "..", "../", "a/b\\c", "a／b＼c", "C:\\Windows", "名字/../../passwd", "...", "./.", "..\\..\\boot.ini"];
    for (const name of hostile) {
      const file = certificateFileName(SERIAL, name);
      expectSafe(file);
      expect(file.startsWith(`${SERIAL}-`), name).toBe(true);
      expect(file.endsWith(".pdf"), name).toBe(true);
    }
    expect(certificateFileName(SERIAL, "a/b\\c")).toBe(`${SERIAL}-a_b_c.pdf`);
    expect(certificateFileName(SERIAL, "a／b＼c")).toBe(`${SERIAL}-a_b_c.pdf`);
    expect(certificateFileName(SERIAL, "../../etc")).toBe(`${SERIAL}-_._etc.pdf`);
  });

  it("drops NUL, other control characters and invisible direction marks", () => {
    expect(certificateFileName(SERIAL, "冯\u0000雪\u0007梅\r\n")).toBe(`${SERIAL}-冯雪梅.pdf`);
    // A right-to-left override could make "gpj.exe" display as "exe.jpg".
    expect(certificateFileName(SERIAL, "冯\u202Egpj.exe")).toBe(`${SERIAL}-冯gpj.exe.pdf`);
    expectSafe(certificateFileName(SERIAL, "\u0000\u0000"));
    expect(certificateFileName(SERIAL, "\u0000\u0000")).toBe(`${SERIAL}-_.pdf`);
  });

  it("keeps a very long name within the file system's limit without splitting a character", () => {
    for (const long of ["冯".repeat(500), "a".repeat(1000), "😀".repeat(300), "冯😀".repeat(200)]) {
      const file = certificateFileName(SERIAL, long);
      expectSafe(file);
      expect(bytes(file)).toBeLessThanOrEqual(255 - 8);
      expect(file).not.toContain("\uFFFD");
      expect(Buffer.from(file, "utf8").toString("utf8")).toBe(file);
      expect(file.endsWith(".pdf")).toBe(true);
    }
  });

  it("keeps emoji and other characters outside the BMP whole", () => {
    expect(certificateFileName(SERIAL, "小美😀")).toBe(`${SERIAL}-小美😀.pdf`);
    expect(certificateFileName(SERIAL, "𠮷田")).toBe(`${SERIAL}-𠮷田.pdf`);
  });

  it("a part is never empty and never ends in a dot or space", () => {
    expect(safeFileNamePart("")).toBe("_");
    expect(safeFileNamePart(" . ")).toBe("_");
    expect(safeFileNamePart("名字. ")).toBe("名字");
    expect(safeFileNamePart('a:b*c?d"e<f>g|h')).toBe("a_b_c_d_e_f_g_h");
  });
});

describe("names that collide", () => {
  it("get a numbered suffix before the extension, in order, never clashing with another name", () => {
    expect(uniqueFileNames(["a.pdf", "b.pdf", "a.pdf", "a.pdf"])).toEqual(["a.pdf", "b.pdf", "a-2.pdf", "a-3.pdf"]);
    expect(uniqueFileNames(["a.pdf", "a.pdf", "a-2.pdf"])).toEqual(["a.pdf", "a-3.pdf", "a-2.pdf"]);
    // Windows and macOS would unpack these onto one file.
    expect(uniqueFileNames(["A.pdf", "a.pdf"])).toEqual(["A.pdf", "a-2.pdf"]);
  });

  it("stay distinct after sanitising made them equal", () => {
    const names = uniqueFileNames([
      certificateFileName(SERIAL, "a/b"),
      certificateFileName(SERIAL, "a\\b"),
      certificateFileName(SERIAL, "a_b"),
    ]);
    expect(new Set(names).size).toBe(3);
    names.forEach(expectSafe);
  });
});
