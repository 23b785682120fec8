import { CompactSign } from "jose";
import { sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import { certificates } from "../../db/schema";
import { shanghaiDate } from "../domain/dates";
import { STATUS_LIST_TYPE, type StatusList } from "../domain/status-list";
import { verifyBase } from "./certificates.server";
import { whileRegisterUnchanged } from "./register-cache.server";
import { ensureSigningKey } from "./signing.server";

/**
 * The certificates no longer in force (revoked or replaced), as a JWS signed with the current key:
 * published at /.well-known/certificate-status.jwt so that a certificate can be checked offline with
 * a list fetched once. Every certificate not on it was in force when the list was made. Remade only
 * when the register changes; read through the partial index of withdrawn certificates.
 */
export async function signedStatusList(): Promise<string> {
  return whileRegisterUnchanged("status-list", () => makeStatusList());
}

async function makeStatusList(): Promise<string> {
  const rows = db()
    .select({
      serial: certificates.serial,
      revokedAt: certificates.revokedAt,
      revokedReason: certificates.revokedReason,
      supersededById: certificates.supersededById,
    })
    .from(certificates)
    .where(sql`${certificates.revokedAt} is not null or ${certificates.supersededById} is not null`)
    .orderBy(certificates.serial)
    .all();
  const list: StatusList = {
    iss: verifyBase(),
    iat: Math.floor(Date.now() / 1000),
    withdrawn: rows.map((r) =>
      r.revokedAt
        ? { serial: r.serial, status: "revoked" as const, on: shanghaiDate(r.revokedAt), reason: r.revokedReason }
        : { serial: r.serial, status: "superseded" as const, on: null, reason: null },
    ),
  };
  const key = ensureSigningKey();
  return new CompactSign(new TextEncoder().encode(JSON.stringify(list)))
    .setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: STATUS_LIST_TYPE })
    .sign(key.privateKey);
}
