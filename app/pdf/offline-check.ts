import { createPublicKey } from "node:crypto";
import { compactVerify } from "jose";
import { canonicalPayload, type CertificatePayload } from "../domain/certificate";
import {
  CREDENTIAL_JWT_TYPE,
  credentialClaims,
  holderMatches,
  normaliseName,
  OPEN_BADGE_CONTEXT,
  serialOfCredentialId,
  type CredentialClaims,
  type OpenBadgeCredential,
} from "../domain/open-badge";
import type { PublishedKeySet } from "../domain/published-keys";
import { STATUS_LIST_TYPE, statusInList, type StatusList } from "../domain/status-list";
import { readCertificateMetadata } from "./certificate-metadata";
import { checkPdfSignature, sameCertificate } from "./pdf-signature.server";
import { verifyEd25519 } from "./ed25519";

/**
 * A certificate PDF checked with nothing but the deployment's published keys (and, if given, its
 * status list): what `npm run verify-certificate` prints. Each line says what was checked.
 */

export interface Check {
  ok: boolean;
  /** What was checked and what was found, in Chinese and English. */
  line: string;
}

export interface OfflineReport {
  valid: boolean;
  checks: Check[];
  payload: CertificatePayload | null;
  /** Said when no status list was given: revocation was not checked. */
  notes: string[];
}

function publicPemOf(keys: PublishedKeySet, kid: string): string | null {
  const jwk = keys.keys.find((k) => k.kid === kid);
  return jwk
    ? createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x }, format: "jwk" })
        .export({ type: "spki", format: "pem" })
        .toString()
    : null;
}

/** The signed status list, if its signature is one of the deployment's keys; else why not. */
export async function readStatusList(
  jws: string,
  keys: PublishedKeySet,
): Promise<{ ok: true; list: StatusList; kid: string } | { ok: false; why: string }> {
  try {
    const [encodedHeader] = jws.trim().split(".");
    const header = JSON.parse(Buffer.from(encodedHeader, "base64url").toString("utf8")) as { kid?: string; typ?: string; alg?: string };
    if (header.typ !== STATUS_LIST_TYPE || header.alg !== "EdDSA")
      return { ok: false, why: "不是证书状态列表 not a certificate status list" };
    const pem = header.kid ? publicPemOf(keys, header.kid) : null;
    if (!pem) return { ok: false, why: `签名密钥 ${header.kid ?? "?"} 不在公钥列表中 signed by a key not in the key set` };
    const { payload } = await compactVerify(jws.trim(), createPublicKey(pem));
    return { ok: true, list: JSON.parse(new TextDecoder().decode(payload)) as StatusList, kid: header.kid! };
  } catch {
    return { ok: false, why: "状态列表签名无效 the status list's signature is not valid" };
  }
}

/** What the status list says of one certificate, as a check line. */
function statusCheck(status: ReturnType<typeof statusInList>, listMadeAt: number): Check {
  const made = new Date(listMadeAt * 1000).toISOString().slice(0, 16).replace("T", " ");
  if (status.status === "inForce")
    return { ok: true, line: `状态：未撤销（状态列表生成于 ${made} UTC）— not revoked or replaced as of the status list of ${made} UTC` };
  if (status.status === "revoked") return { ok: false, line: `状态：已撤销（${status.on ?? ""}）— REVOKED on ${status.on ?? "?"}` };
  return { ok: false, line: "状态：已被新证书取代 — REPLACED by a newer certificate" };
}

export async function checkCertificatePdf(pdf: Buffer, keys: PublishedKeySet, statusJws?: string): Promise<OfflineReport> {
  const checks: Check[] = [];
  const notes: string[] = [];

  const file = checkPdfSignature(pdf);
  const signer =
    file.present && file.certificatePem
      ? keys.keys.find((k) => k.pdf_certificate && sameCertificate(k.pdf_certificate, file.certificatePem!))
      : undefined;
  if (!file.present)
    checks.push({
      ok: false,
      line: "PDF 数字签名：没有。这不是本系统签发的文件，或已被另存 — no PDF signature: not a file this system issued, or one saved again by another program",
    });
  else if (!file.intact || !file.signatureValid)
    checks.push({
      ok: false,
      line: "PDF 数字签名：无效，签名后文件内容被改动 — PDF signature INVALID: the file was changed after signing",
    });
  else if (!file.wholeFile)
    checks.push({
      ok: false,
      line: "PDF 数字签名：签名后文件又被追加或另存，签名不覆盖整个文件 — PDF signature does not cover the whole file: it was changed or saved again after signing",
    });
  else if (!signer)
    checks.push({ ok: false, line: "PDF 数字签名：签名者不是本系统的任何密钥 — PDF signed, but not by any of the deployment's keys" });
  else
    checks.push({
      ok: true,
      line: `PDF 数字签名：有效，覆盖整个文件，签名密钥 ${signer.kid}${signer.status === "retired" ? "（已停用的旧密钥，签发时有效）" : ""} — PDF signature valid over every byte, key ${signer.kid}`,
    });

  const meta = readCertificateMetadata(pdf);
  let payload: CertificatePayload | null = null;
  if (!meta) checks.push({ ok: false, line: "签名数据：文件中没有证书的签名数据 — no signed certificate data in the file" });
  else {
    try {
      payload = JSON.parse(meta.payload) as CertificatePayload;
    } catch {
      payload = null;
    }
    const candidates = payload?.v === 2 && payload.k ? [payload.k] : keys.keys.map((k) => k.kid);
    const by =
      payload && canonicalPayload(payload) === meta.payload
        ? candidates.find((kid) => {
            const pem = publicPemOf(keys, kid);
            return pem !== null && verifyEd25519(meta.payload, meta.signature, pem);
          })
        : undefined;
    checks.push(
      by
        ? { ok: true, line: `签名数据：有效（密钥 ${by}）— signed certificate data valid (key ${by})` }
        : { ok: false, line: "签名数据：签名无效或密钥未知 — signed certificate data NOT valid, or signed by an unknown key" },
    );
    if (by && signer && payload?.v === 2 && by !== signer.kid && signer.status === "current") {
      // A certificate from before a rotation is signed as a file again with the current key when downloaded.
      notes.push(
        `证书数据由旧密钥 ${by} 签发，文件由现用密钥 ${signer.kid} 重新签名 — data signed with the earlier key ${by}, file signed again with the current key ${signer.kid}`,
      );
    }
  }
  if (checks.every((c) => c.ok)) {
    // The file signature covers the page and the signed data alike: neither can differ from the other.
    checks.push({ ok: true, line: "页面与签名数据：同一份已签名文件，页面未被改动 — the page is the one signed with this data" });
  }

  if (statusJws !== undefined && payload) {
    const read = await readStatusList(statusJws, keys);
    if (!read.ok) checks.push({ ok: false, line: `状态列表：${read.why}` });
    else {
      checks.push(statusCheck(statusInList(read.list, payload.s), read.list.iat));
    }
  } else if (statusJws === undefined) {
    notes.push("未检查撤销状态：没有提供状态列表（--status）— revocation NOT checked: no status list given (--status)");
  }
  return { valid: checks.every((c) => c.ok), checks, payload, notes };
}

export interface CredentialReport {
  valid: boolean;
  checks: Check[];
  credential: OpenBadgeCredential | null;
  kid: string | null;
  notes: string[];
}

/**
 * An Open Badges 3.0 credential (VC-JWT, as downloaded from the system) checked with the published
 * keys: its signature by the key its header names (current or retired), its type, its validity
 * dates on `now`, and — given `name` — whether the hashed identity is that person's; given the
 * status list, whether the certificate was withdrawn.
 */
export async function checkCredentialJwt(
  jwt: string,
  keys: PublishedKeySet,
  options: { name?: string; statusJws?: string; now?: Date } = {},
): Promise<CredentialReport> {
  const checks: Check[] = [];
  const notes: string[] = [];
  const text = jwt.trim();
  let header: { alg?: string; kid?: string; typ?: string } = {};
  try {
    header = JSON.parse(Buffer.from(text.split(".")[0] ?? "", "base64url").toString("utf8")) as typeof header;
  } catch {
    header = {};
  }
  if (header.typ !== CREDENTIAL_JWT_TYPE || header.alg !== "EdDSA") {
    checks.push({
      ok: false,
      line: `类型：不是本系统签发的电子徽章（typ ${header.typ ?? "?"}，alg ${header.alg ?? "?"}）— not a credential of this system (expected typ ${CREDENTIAL_JWT_TYPE}, alg EdDSA)`,
    });
    return { valid: false, checks, credential: null, kid: header.kid ?? null, notes };
  }
  checks.push({
    ok: true,
    line: `类型：电子徽章 ${CREDENTIAL_JWT_TYPE}（Open Badges 3.0，EdDSA）— an Open Badges 3.0 credential secured as a JWT`,
  });
  const kid = header.kid ?? null;
  const jwk = kid ? keys.keys.find((k) => k.kid === kid) : undefined;
  const pem = kid ? publicPemOf(keys, kid) : null;
  let credential: (OpenBadgeCredential & Partial<CredentialClaims>) | null = null;
  if (!pem) {
    checks.push({ ok: false, line: `签名：密钥 ${kid ?? "?"} 不在公钥列表中 — signed by a key not in the key set` });
  } else {
    try {
      const { payload } = await compactVerify(text, createPublicKey(pem), { algorithms: ["EdDSA"] });
      credential = JSON.parse(new TextDecoder().decode(payload)) as OpenBadgeCredential & Partial<CredentialClaims>;
      checks.push({
        ok: true,
        line: `签名：有效，密钥 ${kid}${jwk?.status === "retired" ? "（已停用的旧密钥，签发时有效）" : ""} — signature valid, key ${kid}`,
      });
    } catch {
      checks.push({
        ok: false,
        line: "签名：无效，徽章内容被改动或不是该密钥所签 — signature NOT valid: the credential was changed, or not signed with that key",
      });
    }
  }
  if (credential) {
    const shape =
      Array.isArray(credential.type) &&
      credential.type.includes("VerifiableCredential") &&
      credential.type.includes("OpenBadgeCredential") &&
      Array.isArray(credential["@context"]) &&
      OPEN_BADGE_CONTEXT.every((c, i) => credential!["@context"][i] === c);
    const expected = shape ? credentialClaims(credential) : null;
    const claimsAgree =
      expected !== null &&
      credential.iss === expected.iss &&
      credential.jti === expected.jti &&
      credential.nbf === expected.nbf &&
      credential.exp === expected.exp;
    checks.push(
      shape && claimsAgree
        ? { ok: true, line: "内容：Open Badges 3.0 凭证，JWT 声明与凭证一致 — an OpenBadgeCredential whose JWT claims agree with it" }
        : {
            ok: false,
            line: "内容：不是完整的 Open Badges 3.0 凭证，或 JWT 声明与凭证不符 — not a well-formed OpenBadgeCredential, or its JWT claims disagree with it",
          },
    );
    if (keys.issuer && credential.issuer?.id !== keys.issuer) {
      notes.push(
        `签发方地址 ${credential.issuer?.id} 与公钥列表的 ${keys.issuer} 不同（系统地址可能已变更）— issuer ${credential.issuer?.id} differs from the key set's ${keys.issuer} (the deployment may have moved)`,
      );
    }
    const now = options.now ?? new Date();
    const from = Date.parse(credential.validFrom);
    const until = credential.validUntil ? Date.parse(credential.validUntil) : null;
    if (!(from <= now.getTime()))
      checks.push({ ok: false, line: `有效期：${credential.validFrom} 起才生效 — not valid before ${credential.validFrom}` });
    else if (until !== null && !(now.getTime() <= until))
      checks.push({ ok: false, line: `有效期：已于 ${credential.validUntil} 过期 — EXPIRED on ${credential.validUntil}` });
    else
      checks.push({
        ok: true,
        line: `有效期：${credential.validFrom.slice(0, 10)} 起，${credential.validUntil ? `至 ${credential.validUntil.slice(0, 10)}` : "长期有效"} — valid from ${credential.validFrom.slice(0, 10)}${credential.validUntil ? ` until ${credential.validUntil.slice(0, 10)}` : ", no expiry"}`,
      });

    const identity = credential.credentialSubject?.identifier?.find((i) => i.identityType === "name" && i.hashed);
    if (options.name !== undefined) {
      if (identity && holderMatches(identity, options.name))
        checks.push({ ok: true, line: `持证人：与“${normaliseName(options.name)}”相符 — the holder is ${normaliseName(options.name)}` });
      else
        checks.push({
          ok: false,
          line: `持证人：与“${normaliseName(options.name)}”不符 — the holder is NOT ${normaliseName(options.name)}`,
        });
    } else {
      notes.push("未核对持证人：可用 --name 姓名 核对 — holder not checked: give --name to check it");
    }

    const serial = serialOfCredentialId(credential.id ?? "");
    if (options.statusJws !== undefined && serial) {
      const read = await readStatusList(options.statusJws, keys);
      if (!read.ok) checks.push({ ok: false, line: `状态列表：${read.why}` });
      else checks.push(statusCheck(statusInList(read.list, serial), read.list.iat));
    } else if (options.statusJws === undefined) {
      notes.push("未检查撤销状态：没有提供状态列表（--status）— revocation NOT checked: no status list given (--status)");
    }
  }
  return { valid: checks.every((c) => c.ok), checks, credential, kid, notes };
}
