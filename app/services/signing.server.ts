import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { count } from "drizzle-orm";
import { db, defaultDatabasePath } from "../../db/client.server";
import { certificates } from "../../db/schema";
import { processUser, Refusal } from "../utils/refusal";

/**
 * The deployment's Ed25519 key for signing certificates. It is made on first start and kept beside
 * the database (never in git); the public half is published so anyone can check a certificate.
 */
export function signingKeyDir(): string {
  return process.env.CERT_KEY_DIR ?? path.dirname(path.resolve(defaultDatabasePath()));
}

const PRIVATE_FILE = "certificate-signing-key.pem";
const PUBLIC_FILE = "certificate-signing-key.pub.pem";

/** The deployment's own secret (activation codes are checked and sealed with keys derived from it), kept beside the signing key. */
export const APP_SECRET_FILE = "app-secret.key";

/**
 * The key files a backup takes and a restore puts back: every signing key (by prefix, should a second
 * key ever sit beside the first) and the app secret.
 */
export function isSigningKeyFile(name: string): boolean {
  return (name.startsWith("certificate-signing-key") && name.endsWith(".pem")) || name === APP_SECRET_FILE;
}

/** The key files in the key folder (the folder may also hold the database, which is not one of them). */
export function signingKeyFiles(dir: string = signingKeyDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && isSigningKeyFile(entry.name))
    .map((entry) => entry.name)
    .sort();
}

export const privateKeyFile = PRIVATE_FILE;

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
  const dir = signingKeyDir();
  const privatePath = path.join(dir, PRIVATE_FILE);
  let privateKey: KeyObject;
  try {
    if (!existsSync(privatePath)) createKeyOnce(dir, privatePath);
    privateKey = readKey(privatePath);
  } catch (e) {
    throw new Refusal(
      `The certificate signing key in ${dir} cannot be ${existsSync(privatePath) ? "read" : "created"} (${(e as Error).message}). Let ${processUser()} read and write that folder, or set CERT_KEY_DIR to the folder that holds the key.`,
    );
  }
  const publicPem = createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
  keys = { privateKey, publicPem };
  return keys;
}

/**
 * Certificates already issued were signed with the key that should be in the key folder. If it is not
 * there, a new one would be made and every earlier certificate's QR code would stop verifying: refuse
 * instead, so that the key is restored or CERT_KEY_DIR corrected.
 */
export function refuseLostSigningKey(): void {
  const dir = signingKeyDir();
  if (existsSync(path.join(dir, PRIVATE_FILE))) return;
  const issued = db().select({ n: count() }).from(certificates).get()!.n;
  if (issued === 0) return;
  throw new Refusal(
    `The certificate signing key is missing from ${dir}, but the database holds ${issued} certificate(s) signed with it. Restore the key (npm run restore -- BACKUP_FOLDER restores it with the database) or set CERT_KEY_DIR to the folder that holds it; a new key would make every earlier certificate fail its check.`,
  );
}

/** Whether the key on disk is there and is the one this process signs with; for the health check. */
export function signingKeyStatus(): "present" | "missing" | "unreadable" | "changed on disk since start" {
  const privatePath = path.join(signingKeyDir(), PRIVATE_FILE);
  if (!existsSync(privatePath)) return "missing";
  let onDisk: string;
  try {
    onDisk = createPublicKey(createPrivateKey(readFileSync(privatePath))).export({ type: "spki", format: "pem" }).toString();
  } catch {
    return "unreadable";
  }
  return onDisk === ensureSigningKey().publicPem ? "present" : "changed on disk since start";
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
