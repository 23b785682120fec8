import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { count, eq, isNull } from "drizzle-orm";
import { db, defaultDatabasePath } from "../../db/client.server";
import { certificates, signingKeys } from "../../db/schema";
import { keyIdOf, selfSignedPdfCertificate } from "../pdf/pdf-certificate.server";
import { processUser, Refusal } from "../utils/refusal";

/**
 * The deployment's signing keys. The current one is a pair of private keys in the key folder (never
 * in git, always in backups): Ed25519 for the signed data, QR codes, credentials and the status
 * list, and RSA with a self-signed X.509 certificate for the PDF files' own signatures. Both go by
 * one key id, derived from the Ed25519 public key. Public halves of every key, current and retired,
 * are kept in the database (signing_keys) and published, so a rotated or lost key's certificates
 * keep verifying.
 */
export function signingKeyDir(): string {
  return process.env.CERT_KEY_DIR ?? path.dirname(path.resolve(defaultDatabasePath()));
}

const PRIVATE_FILE = "certificate-signing-key.pem";
const PUBLIC_FILE = "certificate-signing-key.pub.pem";
const PDF_KEY_FILE = "certificate-signing-key.pdf.pem";
const PDF_CERTIFICATE_FILE = "certificate-signing-key.pdf-certificate.pem";

/** The deployment's own secret (activation codes are checked and sealed with keys derived from it), kept beside the signing key. */
export const APP_SECRET_FILE = "app-secret.key";

/** The key files a backup takes and a restore puts back: every signing key file and the app secret. */
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

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicPem: string;
  pdf: { privateKey: KeyObject; certificatePem: string };
}

let current: SigningKey | undefined;

/**
 * Writes a new key only if there is none yet. Two processes starting together may both find no key:
 * the file is created exclusively, so the one that comes second keeps the first one's key rather than
 * overwriting it (which would leave certificates signed with a key nobody has).
 */
function createExclusively(file: string, contents: () => string, mode = 0o600): void {
  // Made only when missing: an RSA key takes a few hundred milliseconds of the event loop, and every
  // server process passes here at start. The exclusive write still settles a race between two.
  if (existsSync(file)) return;
  try {
    writeFileSync(file, contents(), { mode, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return;
    throw e;
  }
  chmodSync(file, mode);
}

/** A file another process may have created a moment ago and still be writing. */
function readWhenWritten<T>(file: string, parse: (text: Buffer) => T): T {
  for (let attempt = 0; ; attempt++) {
    try {
      return parse(readFileSync(file));
    } catch (e) {
      if (attempt >= 50) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

function loadOrCreate(dir: string): SigningKey {
  mkdirSync(dir, { recursive: true });
  const privatePath = path.join(dir, PRIVATE_FILE);
  createExclusively(privatePath, () => generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString());
  const privateKey = readWhenWritten(privatePath, (text) => createPrivateKey(text));
  const publicKey = createPublicKey(privateKey);
  const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const kid = keyIdOf(publicKey);
  if (!existsSync(path.join(dir, PUBLIC_FILE))) writeFileSync(path.join(dir, PUBLIC_FILE), publicPem);
  // A key from before PDFs were signed gets its PDF key now, under the same id.
  const pdfKeyPath = path.join(dir, PDF_KEY_FILE);
  createExclusively(pdfKeyPath, () =>
    generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  );
  const pdfKey = readWhenWritten(pdfKeyPath, (text) => createPrivateKey(text));
  const certificatePath = path.join(dir, PDF_CERTIFICATE_FILE);
  createExclusively(certificatePath, () => selfSignedPdfCertificate(pdfKey, kid), 0o644);
  const certificatePem = readWhenWritten(certificatePath, (text) => {
    if (!text.includes("END CERTIFICATE")) throw new Error("certificate still being written");
    return text.toString("utf8");
  });
  return { kid, privateKey, publicPem, pdf: { privateKey: pdfKey, certificatePem } };
}

/** Records the key's public halves; certificates from before key ids were kept were signed with it. */
function register(key: SigningKey): void {
  const database = db();
  database.transaction((tx) => {
    tx.insert(signingKeys)
      .values({ kid: key.kid, publicKey: key.publicPem, pdfCertificate: key.pdf.certificatePem })
      .onConflictDoNothing()
      .run();
    tx.update(signingKeys).set({ pdfCertificate: key.pdf.certificatePem }).where(eq(signingKeys.kid, key.kid)).run();
    tx.update(certificates).set({ keyId: key.kid }).where(isNull(certificates.keyId)).run();
  });
  publicKeys.clear();
}

export function ensureSigningKey(): SigningKey {
  if (current) return current;
  const dir = signingKeyDir();
  let key: SigningKey;
  try {
    key = loadOrCreate(dir);
  } catch (e) {
    throw new Refusal(
      `The certificate signing key in ${dir} cannot be ${existsSync(path.join(dir, PRIVATE_FILE)) ? "read" : "created"} (${(e as Error).message}). Let ${processUser()} read and write that folder, or set CERT_KEY_DIR to the folder that holds the key.`,
    );
  }
  const retired = db().select({ retiredAt: signingKeys.retiredAt }).from(signingKeys).where(eq(signingKeys.kid, key.kid)).get()?.retiredAt;
  if (retired) {
    throw new Refusal(
      `The signing key in ${dir} (${key.kid}) was retired on ${retired.slice(0, 10)}; it must not sign again. Restore the current key from the backup, or run npm run keys -- rotate to make a new one.`,
    );
  }
  const other = db()
    .select({ kid: signingKeys.kid })
    .from(signingKeys)
    .where(isNull(signingKeys.retiredAt))
    .all()
    .find((k) => k.kid !== key.kid);
  if (other) {
    throw new Refusal(
      `The signing key in ${dir} (${key.kid}) is not the deployment's current key (${other.kid}). Restore ${other.kid} from the backup or set CERT_KEY_DIR to its folder; to change keys deliberately, run npm run keys -- rotate.`,
    );
  }
  register(key);
  current = key;
  return key;
}

/** Forgets the key this process holds (after a rotation, or between tests that change the folder). */
export function forgetSigningKey(): void {
  current = undefined;
  publicKeys.clear();
}

/**
 * Certificates already issued were signed with the key that should be in the key folder. If it is not
 * there, a new one would be made without a word: refuse instead, so that the key is restored, the key
 * folder corrected, or the loss made deliberate by rotating.
 */
export function refuseLostSigningKey(): void {
  const dir = signingKeyDir();
  if (existsSync(path.join(dir, PRIVATE_FILE))) return;
  const active = db().select({ kid: signingKeys.kid }).from(signingKeys).where(isNull(signingKeys.retiredAt)).get();
  const issued = db().select({ n: count() }).from(certificates).get()!.n;
  if (!active && issued === 0) return;
  throw new Refusal(
    `The certificate signing key${active ? ` ${active.kid}` : ""} is missing from ${dir}, but the database holds ${issued} certificate(s)${active ? " and names it as the current key" : " signed with it"}. ` +
      `Restore it (npm run restore -- BACKUP_FOLDER restores it with the database) or set CERT_KEY_DIR to the folder that holds it. ` +
      `If it is truly lost, run npm run keys -- rotate: the lost key is retired (certificates it signed keep verifying through its public key, which the database holds) and a new key signs from then on.`,
  );
}

/**
 * Retires the current key and makes a new one. The retired key's private files are deleted so it can
 * never sign again; its public halves stay in the database and are published. Running servers keep
 * the old key until they restart.
 */
export function rotateSigningKey(note: string): { retired: string | null; current: string } {
  const dir = signingKeyDir();
  const now = new Date().toISOString();
  const active = db().select({ kid: signingKeys.kid }).from(signingKeys).where(isNull(signingKeys.retiredAt)).all();
  if (existsSync(path.join(dir, PRIVATE_FILE))) {
    // A key from before key ids were recorded is registered first, so it is retired, not forgotten.
    forgetSigningKey();
    const onDisk = loadOrCreate(dir);
    register(onDisk);
    if (!active.some((k) => k.kid === onDisk.kid)) active.push({ kid: onDisk.kid });
  }
  db().update(signingKeys).set({ retiredAt: now, retiredNote: note }).where(isNull(signingKeys.retiredAt)).run();
  // Moved aside first, then deleted: a crash between the two leaves no half-retired key in place.
  for (const file of [PRIVATE_FILE, PUBLIC_FILE, PDF_KEY_FILE, PDF_CERTIFICATE_FILE]) {
    const from = path.join(dir, file);
    if (!existsSync(from)) continue;
    const aside = path.join(dir, `.retiring-${file}`);
    renameSync(from, aside);
    rmSync(aside);
  }
  forgetSigningKey();
  const made = ensureSigningKey();
  return { retired: active.map((k) => k.kid).join(", ") || null, current: made.kid };
}

export interface PublishedKey {
  kid: string;
  publicKey: string;
  pdfCertificate: string | null;
  createdAt: string;
  retiredAt: string | null;
  retiredNote: string | null;
}

/** Every key the deployment has signed with, oldest first. */
export function publishedKeys(): PublishedKey[] {
  return db()
    .select({
      kid: signingKeys.kid,
      publicKey: signingKeys.publicKey,
      pdfCertificate: signingKeys.pdfCertificate,
      createdAt: signingKeys.createdAt,
      retiredAt: signingKeys.retiredAt,
      retiredNote: signingKeys.retiredNote,
    })
    .from(signingKeys)
    .orderBy(signingKeys.createdAt, signingKeys.kid)
    .all();
}

const publicKeys = new Map<string, string | null>();

/** The Ed25519 public key (PEM) of a key id, current or retired; null for an id this deployment never had. */
export function publicKeyOf(kid: string): string | null {
  if (!publicKeys.has(kid))
    publicKeys.set(kid, db().select({ pem: signingKeys.publicKey }).from(signingKeys).where(eq(signingKeys.kid, kid)).get()?.pem ?? null);
  return publicKeys.get(kid)!;
}

/** Whether the key on disk is there and is the one this process signs with; for the health check. */
export function signingKeyStatus(): "present" | "missing" | "unreadable" | "changed on disk since start" {
  const privatePath = path.join(signingKeyDir(), PRIVATE_FILE);
  if (!existsSync(privatePath)) return "missing";
  let onDisk: string;
  try {
    onDisk = createPublicKey(createPrivateKey(readFileSync(privatePath)))
      .export({ type: "spki", format: "pem" })
      .toString();
  } catch {
    return "unreadable";
  }
  return onDisk === ensureSigningKey().publicPem ? "present" : "changed on disk since start";
}

export function currentKeyId(): string {
  return ensureSigningKey().kid;
}

export function signText(text: string): string {
  return sign(null, Buffer.from(text, "utf8"), ensureSigningKey().privateKey).toString("base64url");
}

export { verifyEd25519 as verifyText } from "../pdf/ed25519";

export function publicKeyPem(): string {
  return ensureSigningKey().publicPem;
}
