import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPublicKey } from "node:crypto";
import { compactVerify, decodeProtectedHeader } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { auditLog, users } from "../../db/schema";
import type { RequestContext } from "../../app/context";
import { holderMatches, type OpenBadgeCredential } from "../../app/domain/open-badge";
import { checkCharacter } from "../../app/domain/resident-id";
import * as credentialDownload from "../../app/routes/certificates.$certificateId.credential";
import * as publicCredential from "../../app/routes/v.$serial.credential";
import {
  cohortCertificates,
  getCertificate,
  issueForCohort,
  revokeCertificate,
  type Certificate,
} from "../../app/services/certificates.server";
import { publishedKeysDocument } from "../../app/services/published-keys.server";
import { signedStatusList } from "../../app/services/status-list.server";
import { cohortWithTrainees, completeEnrolment, contextFor, contextOfUser, userId, withDemoData } from "./fixtures";

const id = (first17: string) => first17 + checkCharacter(first17);
const people = [
  { name: "张小明", mobile: "13600003001", idNumber: id("33010519800101101") },
  { name: "李春兰", mobile: "13600003002", idNumber: id("33010519810202202") },
];
const dir = mkdtempSync(path.join(tmpdir(), "care-badge-"));
let mine: Certificate;
let theirs: Certificate;

const holder = (name: string) =>
  db()
    .select()
    .from(users)
    .where(eq(users.mobile, people.find((p) => p.name === name)!.mobile))
    .get()!.id;
const get = (url: string) => new Request(`http://localhost${url}`);

async function download(context: RequestContext, c: Certificate): Promise<Response> {
  try {
    return (await credentialDownload.loader({
      context,
      request: get(`/certificates/${c.id}/credential`),
      params: { certificateId: c.id },
    })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

function verifyCli(file: string, ...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/verify-certificate.ts", file, ...args], {
    env: process.env,
    encoding: "utf8",
  });
}

beforeAll(async () => {
  await withDemoData();
  const { cohort, enrolmentIds } = await cohortWithTrainees("BASE-GERI", people);
  for (const e of enrolmentIds) await completeEnrolment(cohort, e);
  expect(await issueForCohort(userId("registrar"), cohort.id)).toEqual({ issued: 2, refused: [] });
  const of = (name: string) => getCertificate(cohortCertificates(cohort.id).find((r) => r.name === name)!.certificateId!)!;
  mine = of("张小明");
  theirs = of("李春兰");
}, 60_000);

describe("the Open Badges 3.0 credential", () => {
  let jwt = "";

  it("downloads for its holder as a VC-JWT named by the serial, the same bytes every time, and the download is audit-logged", async () => {
    const response = await download(contextOfUser(holder("张小明")), mine);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/vc\+jwt/);
    expect(response.headers.get("Content-Disposition")).toContain(`filename="${mine.serial}.jwt"`);
    jwt = await response.text();
    expect(await (await download(contextOfUser(holder("张小明")), mine)).text()).toBe(jwt);
    const logged = db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, mine.id), eq(auditLog.action, "export.certificate-credential")))
      .all();
    expect(logged).toHaveLength(2);
  });

  it("verifies with jose against the published key its header names, and holds the certificate without readable personal data", async () => {
    const header = decodeProtectedHeader(jwt);
    expect(header).toEqual({ alg: "EdDSA", kid: mine.keyId, typ: "vc+jwt" });
    const jwk = publishedKeysDocument().keys.find((k) => k.kid === header.kid)!;
    const { payload } = await compactVerify(jwt, createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x }, format: "jwk" }));
    const text = new TextDecoder().decode(payload);
    const credential = JSON.parse(text) as OpenBadgeCredential & { iss: string; jti: string; nbf: number };
    expect(credential.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(credential.id).toBe(`${mine.verifyBase}/v/${mine.serial}#credential`);
    expect(credential).toMatchObject({
      iss: mine.verifyBase,
      jti: credential.id,
      issuer: { id: mine.verifyBase, name: mine.organisationName },
      name: mine.certificateTitle,
    });
    expect(credential.nbf).toBe(Date.parse(credential.validFrom) / 1000);
    expect(credential.credentialSubject.achievement.name).toBe(mine.programTitle);
    for (const secret of [mine.holderName, mine.holderIdNumber!, mine.holderIdNumber!.slice(-4)]) expect(text).not.toContain(secret);
    expect(holderMatches(credential.credentialSubject.identifier[0], "张小明")).toBe(true);
    expect(holderMatches(credential.credentialSubject.identifier[0], "李春兰")).toBe(false);
  });

  it("is checked offline by npm run verify-certificate, which confirms the holder's name when given", () => {
    const file = path.join(dir, `${mine.serial}.jwt`);
    writeFileSync(file, jwt);
    const good = verifyCli(file, "--name", "张小明");
    expect(good.status, good.stderr + good.stdout).toBe(0);
    expect(good.stdout).toContain("CREDENTIAL VALID");
    expect(good.stdout).toContain(mine.serial);
    expect(good.stdout).toContain(mine.programTitle);
    expect(good.stdout).toContain(`签名：有效，密钥 ${mine.keyId}`);
    expect(good.stdout).toContain("持证人：与“张小明”相符");
    const wrongName = verifyCli(file, "--name", "张晓明");
    expect(wrongName.status).toBe(1);
    expect(wrongName.stdout).toContain("the holder is NOT 张晓明");
  });

  it("is refused when one byte of its payload is changed", () => {
    const [h, p, s] = jwt.split(".");
    // The last digit of the year the credential is valid from, one bit of one byte.
    const oneByte = Buffer.from(p, "base64url");
    const at = oneByte.indexOf('"validFrom":"') + '"validFrom":"'.length + 3;
    const year = oneByte.subarray(at - 3, at + 1).toString();
    oneByte[at] ^= 0x01;
    expect(oneByte.subarray(at - 3, at + 1).toString()).toBe(String(Number(year) ^ 1));
    for (const payload of [oneByte.toString("base64url")]) {
      const file = path.join(dir, "tampered.jwt");
      writeFileSync(file, `${h}.${payload}.${s}`);
      const refused = verifyCli(file);
      expect(refused.status).toBe(1);
      expect(refused.stdout).toContain("CREDENTIAL NOT VALID");
      expect(refused.stdout).toContain("signature NOT valid");
    }
  });

  it("is refused to another trainee, and to staff of another base, as the PDF is", async () => {
    expect((await download(contextOfUser(holder("李春兰")), mine)).status).toBe(403);
    expect((await download(contextFor("registrar.fy"), mine)).status).toBe(403);
    expect((await download(contextFor("registrar"), theirs)).status).toBe(200);
  });

  it("is offered unchanged on the public page's address, also after revocation, whose status the list reports", async () => {
    const publicly = async (serial: string) => {
      try {
        return (await publicCredential.loader({
          context: {} as never,
          request: get(`/v/${serial}/credential`),
          params: { serial },
        })) as Response;
      } catch (thrown) {
        if (thrown instanceof Response) return thrown;
        throw thrown;
      }
    };
    const response = await publicly(mine.serial);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(jwt);
    expect((await publicly(mine.serial.toLowerCase())).status).toBe(200);
    expect((await publicly("2026-0000-0000-0")).status).toBe(404);

    expect(revokeCertificate(userId("registrar"), mine.id, "issuedInError", "测试")).toEqual({ ok: true, value: true });
    expect(await (await publicly(mine.serial)).text()).toBe(jwt);
    const file = path.join(dir, "revoked.jwt");
    const status = path.join(dir, "status.jwt");
    writeFileSync(file, jwt);
    writeFileSync(status, await signedStatusList());
    const checked = verifyCli(file, "--status", status);
    expect(checked.status).toBe(1);
    expect(checked.stdout).toContain("REVOKED");
  });
});
