import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { defaultDatabasePath } from "../../db/client.server";

/**
 * The deployment's Ed25519 key for signing certificates. It is made on first start and kept beside
 * the database (never in git); the public half is published so anyone can check a certificate.
 */
export function keyDir(): string {
  return process.env.CERT_KEY_DIR ?? path.dirname(path.resolve(defaultDatabasePath()));
}

const PRIVATE_FILE = "certificate-signing-key.pem";
const PUBLIC_FILE = "certificate-signing-key.pub.pem";

let keys: { privateKey: KeyObject; publicPem: string } | undefined;

/**
 * Writes a new key only if there is none yet. Two processes starting together may both find no key:
 * the file is created exclusively, so the one that comes second keeps the first one's key rather than
 * overwriting it (which would leave certificates signed with a key nobody has).
 */
function createKeyOnce(dir: string, privatePath: string): void {
  mkdirSync(dir, { recursive: true });
  const pair = generateKeyPairSync("ed25519");
  try {
    writeFileSync(privatePath, pair.privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return;
    throw e;
  }
  chmodSync(privatePath, 0o600);
  writeFileSync(path.join(dir, PUBLIC_FILE), pair.publicKey.export({ type: "spki", format: "pem" }));
}

/** The key in the file; another process may have created it a moment ago and still be writing it. */
function readKey(privatePath: string): KeyObject {
  for (let attempt = 0; ; attempt++) {
    try {
      return createPrivateKey(readFileSync(privatePath));
    } catch (e) {
      if (attempt >= 50) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

export function ensureSigningKey(): { privateKey: KeyObject; publicPem: string } {
  if (keys) return keys;
  const dir = keyDir();
  const privatePath = path.join(dir, PRIVATE_FILE);
  if (!existsSync(privatePath)) createKeyOnce(dir, privatePath);
  const privateKey = readKey(privatePath);
  const publicPem = createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
  keys = { privateKey, publicPem };
  return keys;
}

export function signText(text: string): string {
  return sign(null, Buffer.from(text, "utf8"), ensureSigningKey().privateKey).toString("base64url");
}

export function verifyText(text: string, signature: string, publicPem: string): boolean {
  try {
    return verify(null, Buffer.from(text, "utf8"), createPublicKey(publicPem), Buffer.from(signature, "base64url"));
  } catch {
    return false;
  }
}

export function publicKeyPem(): string {
  return ensureSigningKey().publicPem;
}
