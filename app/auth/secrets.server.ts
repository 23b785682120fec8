import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { APP_SECRET_FILE, signingKeyDir } from "../services/signing.server";

/**
 * The deployment's own secret, kept beside the certificate signing key (never in the database, so
 * a copy of the database alone cannot check or read activation codes). Made on first use; created
 * exclusively so two processes starting together keep one secret.
 */
const FILE = APP_SECRET_FILE;

let secret: Buffer | undefined;

function loadSecret(): Buffer {
  if (secret) return secret;
  const dir = signingKeyDir();
  const file = path.join(dir, FILE);
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
    chmodSync(file, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  const hex = readFileSync(file, "utf8").trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${file} is not a 64-character hex secret; restore it from the backup.`);
  secret = Buffer.from(hex, "hex");
  return secret;
}

const derived = new Map<string, Buffer>();

/** A key for one purpose, derived from the secret, so no two uses share a key. */
export function purposeKey(purpose: string): Buffer {
  let key = derived.get(purpose);
  if (!key) derived.set(purpose, (key = Buffer.from(hkdfSync("sha256", loadSecret(), Buffer.alloc(0), purpose, 32))));
  return key;
}

export function keyedHash(purpose: string, value: string): string {
  return createHmac("sha256", purposeKey(purpose)).update(value).digest("base64url");
}
