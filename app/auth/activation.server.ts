import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { db, inJsonList, prepared, type Executor } from "../../db/client.server";
import { activationCodes } from "../../db/schema";
import { activationCodeFrom, activationExpiry, normaliseActivationCode } from "../domain/activation";
import { keyedHash, purposeKey } from "./secrets.server";

const CHECK = "activation-code";
const SEAL = "activation-seal";

function newCode(): string {
  for (;;) {
    const code = activationCodeFrom(randomBytes(16));
    if (code) return code;
  }
}

/** AES-256-GCM under a key derived from the deployment secret: the slip can be printed again, the database alone reveals nothing. */
function seal(code: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", purposeKey(SEAL), iv);
  const body = Buffer.concat([cipher.update(code, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

function unseal(sealed: string): string {
  const raw = Buffer.from(sealed, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", purposeKey(SEAL), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/** A new code with what is stored of it (its keyed hash and sealed copy), not yet given to anyone. */
export interface MintedCode {
  code: string;
  codeHmac: string;
  sealed: string;
  expiresAt: number;
  issuedAt: number;
}

export function mintActivationCode(now = Date.now()): MintedCode {
  const code = newCode();
  return { code, codeHmac: keyedHash(CHECK, code), sealed: seal(code), expiresAt: activationExpiry(now), issuedAt: now };
}

/**
 * Gives the account a new activation code (replacing any earlier one) and returns it. A keyed hash,
 * not a slow password hash: the code's 39 bits behind the sign-in lock need no stretching. A roster
 * mints its codes beforehand (`mintActivationCode`, a little at a time) and only stores them here,
 * inside its enrolment transaction on this connection.
 */
export function issueActivationCode(
  userId: string,
  issuedBy: string | null,
  minted: MintedCode = mintActivationCode(),
): { code: string; expiresAt: number } {
  prepared(
    `insert into activation_codes (user_id, code_hmac, sealed, expires_at, issued_by, issued_at) values (?, ?, ?, ?, ?, ?)
     on conflict (user_id) do update set code_hmac = excluded.code_hmac, sealed = excluded.sealed, expires_at = excluded.expires_at, issued_by = excluded.issued_by, issued_at = excluded.issued_at`,
  ).run(userId, minted.codeHmac, minted.sealed, minted.expiresAt, issuedBy, minted.issuedAt);
  return { code: minted.code, expiresAt: minted.expiresAt };
}

export type ActivationCheck = "ok" | "wrong" | "expired" | "none";

/** Whether what was typed is the account's live activation code. */
export function checkActivationCode(userId: string, typed: string, now = Date.now()): ActivationCheck {
  const row = db().select().from(activationCodes).where(eq(activationCodes.userId, userId)).get();
  if (!row) return "none";
  const code = normaliseActivationCode(typed);
  if (!code) return "wrong";
  const expected = Buffer.from(row.codeHmac);
  const given = Buffer.from(keyedHash(CHECK, code));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return "wrong";
  return row.expiresAt < now ? "expired" : "ok";
}

/** The live codes of these people, readable again for their enrolment slips. */
export function activationCodesOf(userIds: string[], now = Date.now()): Map<string, { code: string; expiresAt: number }> {
  const out = new Map<string, { code: string; expiresAt: number }>();
  if (userIds.length === 0) return out;
  for (const row of db().select().from(activationCodes).where(inJsonList(activationCodes.userId, userIds)).all()) {
    if (row.expiresAt >= now) out.set(row.userId, { code: unseal(row.sealed), expiresAt: row.expiresAt });
  }
  return out;
}

/** Once the person has chosen a password the code is spent. */
export function spendActivationCode(tx: Executor, userId: string): void {
  tx.delete(activationCodes).where(eq(activationCodes.userId, userId)).run();
}
