import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  credentialClaims,
  credentialJwtPayload,
  holderMatches,
  identityHash,
  openBadgeCredential,
  serialOfCredentialId,
  type BadgeSource,
} from "../../app/domain/open-badge";

const source: BadgeSource & { holderIdNumber: string } = {
  serial: "2026-7K3M-9Q2T-X",
  holderName: "张小明",
  holderIdNumber: "330105196606066066",
  certificateTitle: "家庭照护技能培训结业证明",
  programTitle: "失能老人家庭照护者培训",
  programCode: "family-caregiver",
  programVersion: 2,
  theoryHours: 8,
  practiceHours: 12,
  cohortStart: "2026-09-01",
  cohortEnd: "2026-12-31",
  completionDate: "2026-12-20",
  issueDate: "2026-12-28",
  expiryDate: "2029-12-27",
  organisationName: "杭州市老年病医院医养结合培训基地",
  organisationCode: "BASE-GERI",
  verifyBase: "https://cert.example.cn",
};
const salt = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

describe("the Open Badges 3.0 credential of a certificate", () => {
  const credential = openBadgeCredential(source, salt);

  it("is an OpenBadgeCredential in the VC 2.0 and OB 3.0.3 contexts, issued by the base at the deployment's address", () => {
    expect(credential["@context"]).toEqual([
      "https://www.w3.org/ns/credentials/v2",
      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]);
    expect(credential.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(credential.id).toBe("https://cert.example.cn/v/2026-7K3M-9Q2T-X#credential");
    expect(serialOfCredentialId(credential.id)).toBe(source.serial);
    expect(credential.issuer).toEqual({ id: "https://cert.example.cn", type: ["Profile"], name: source.organisationName });
    expect(credential.name).toBe(source.certificateTitle);
    expect(credential.validFrom).toBe("2026-12-28T00:00:00+08:00");
    // In force through the last day printed, China time.
    expect(credential.validUntil).toBe("2029-12-27T23:59:59+08:00");
    const subject = credential.credentialSubject;
    expect(subject.type).toEqual(["AchievementSubject"]);
    expect(subject.achievement).toMatchObject({
      type: ["Achievement"],
      name: source.programTitle,
      achievementType: "Certificate",
      humanCode: "family-caregiver@2",
    });
    expect(subject.achievement.criteria.narrative).toContain("理论 8 学时、实操 12 学时");
    expect(subject.achievement.criteria.narrative).toContain("2026-09-01 至 2026-12-31");
  });

  it("has no validUntil for a certificate without expiry, and no exp claim", () => {
    const lasting = openBadgeCredential({ ...source, expiryDate: null }, salt);
    expect("validUntil" in lasting).toBe(false);
    expect(credentialClaims(lasting)).toEqual({ iss: source.verifyBase, jti: lasting.id, nbf: Date.parse("2026-12-27T16:00:00Z") / 1000 });
  });

  it("carries JWT claims that mirror validFrom, validUntil, the issuer and the id, and no sub (the subject has no id)", () => {
    const payload = credentialJwtPayload(credential);
    expect(payload).toMatchObject({
      iss: "https://cert.example.cn",
      jti: credential.id,
      nbf: Date.parse(credential.validFrom) / 1000,
      exp: Date.parse(credential.validUntil!) / 1000,
    });
    expect("sub" in payload).toBe(false);
  });

  it("holds no readable name or ID number anywhere, not even in part", () => {
    const text = JSON.stringify(credentialJwtPayload(credential));
    for (const secret of [
      source.holderName,
      source.holderIdNumber,
      "小明",
      "张*明",
      source.holderIdNumber.slice(-6),
      source.holderIdNumber.slice(0, 6),
    ])
      expect(text).not.toContain(secret);
  });

  it("identifies the holder by a salted SHA-256 of the full name that checks with the name and nobody else's", () => {
    const [identity] = credential.credentialSubject.identifier;
    expect(identity).toMatchObject({ type: "IdentityObject", identityType: "name", hashed: true, salt });
    expect(identity.identityHash).toBe(`sha256$${createHash("sha256").update(`张小明${salt}`, "utf8").digest("hex")}`);
    expect(holderMatches(identity, "张小明")).toBe(true);
    expect(holderMatches(identity, " 张小明 ")).toBe(true);
    expect(holderMatches(identity, "张晓明")).toBe(false);
    expect(identityHash("张小明", "another salt")).not.toBe(identity.identityHash);
  });

  it("is the same every time for the same certificate and salt", () => {
    expect(JSON.stringify(openBadgeCredential(source, salt))).toBe(JSON.stringify(credential));
  });
});
