import { describe, expect, it } from "vitest";
import { fileProblems, hasPrivateKey, isInsideBackup, MANIFEST_FORMAT, parseManifest } from "../../app/domain/backup-manifest";

const sha = (c: string) => c.repeat(64);
const manifest = (files: unknown[]) =>
  JSON.stringify({
    format: MANIFEST_FORMAT,
    createdAt: "2026-12-01T00:00:00.000Z",
    app: { name: "care-training", version: "1.0.0" },
    source: { database: "/srv/care/app.sqlite", signingKeyFolder: "/srv/care" },
    migrations: { latest: "0011_jurisdictions", applied: 12, level: "0011_jurisdictions (12 of 12)" },
    files,
  });
const database = { path: "database.sqlite", kind: "database", bytes: 4096, sha256: sha("a") };
const key = { path: "keys/certificate-signing-key.pem", kind: "signing-key", bytes: 119, sha256: sha("b") };

describe("backup manifest", () => {
  it("reads a manifest as backup writes it", () => {
    const parsed = parseManifest(manifest([database, key]));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(hasPrivateKey(parsed.value, "certificate-signing-key.pem")).toBe(true);
  });

  it.each([
    ["a path leading out of the backup", [database, { ...key, path: "../../etc/certificate-signing-key.pem" }], "not a plain path"],
    ["an absolute path", [{ ...database, path: "/srv/care/app.sqlite" }], "not a plain path"],
    ["no database", [key], "exactly one database"],
    ["two databases", [database, { ...database, path: "other.sqlite" }], "exactly one database"],
    ["a checksum that is not SHA-256", [{ ...database, sha256: "abc" }], "64 hexadecimal"],
    ["an unknown kind of file", [database, { ...key, kind: "script" }], "kind"],
  ])("refuses %s", (_, files, problem) => {
    const parsed = parseManifest(manifest(files));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(problem);
  });

  it("refuses text that is not a manifest", () => {
    expect(parseManifest("{").ok).toBe(false);
    expect(parseManifest(JSON.stringify({ format: "other", files: [] })).ok).toBe(false);
  });

  it("names every file that is missing, has another size or another checksum", () => {
    const listed = [database, key, { ...key, path: "keys/certificate-signing-key.pub.pem" }] as Parameters<typeof fileProblems>[0];
    const found = new Map([
      ["database.sqlite", { bytes: 4096, sha256: sha("c") }],
      ["keys/certificate-signing-key.pem", { bytes: 120, sha256: sha("b") }],
    ]);
    expect(fileProblems(listed, found)).toEqual([
      "database.sqlite does not match its SHA-256 checksum: it changed after the backup was made",
      "keys/certificate-signing-key.pem has 120 bytes, the manifest says 119",
      "keys/certificate-signing-key.pub.pem is missing",
    ]);
    expect(
      fileProblems([database] as Parameters<typeof fileProblems>[0], new Map([["database.sqlite", { bytes: 4096, sha256: sha("a") }]])),
    ).toEqual([]);
  });

  it("accepts only plain relative paths", () => {
    expect(isInsideBackup("keys/a.pem")).toBe(true);
    for (const bad of ["", "/a", "a/../b", "./a", "a//b", "a\\b"]) expect(isInsideBackup(bad), bad).toBe(false);
  });
});
