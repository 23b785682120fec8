import { createHash } from "node:crypto";

/**
 * A certificate as an Open Badges 3.0 credential (a W3C Verifiable Credential, data model 2.0), for
 * wallets and employers' systems that read badges rather than PDFs. The holder appears only as a
 * salted SHA-256 hash of their full name: the credential carries no readable personal data, and the
 * holder proves it is theirs by revealing the name (the salt is in the credential).
 */

export const OPEN_BADGE_CONTEXT = [
  "https://www.w3.org/ns/credentials/v2",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
] as const;

/** The JOSE `typ` of a credential secured as a JWT ("Securing Verifiable Credentials using JOSE"). */
export const CREDENTIAL_JWT_TYPE = "vc+jwt";

/** What a credential is made from: the certificate's frozen record, without the holder's ID number. */
export interface BadgeSource {
  serial: string;
  holderName: string;
  certificateTitle: string;
  programTitle: string;
  programCode: string;
  programVersion: number;
  theoryHours: number;
  practiceHours: number;
  cohortStart: string;
  cohortEnd: string;
  completionDate: string;
  issueDate: string;
  expiryDate: string | null;
  organisationName: string;
  organisationCode: string;
  verifyBase: string;
}

export interface IdentityObject {
  type: "IdentityObject";
  identityType: "name";
  hashed: true;
  identityHash: string;
  salt: string;
}

export interface OpenBadgeCredential {
  "@context": string[];
  id: string;
  type: ["VerifiableCredential", "OpenBadgeCredential"];
  issuer: { id: string; type: ["Profile"]; name: string };
  validFrom: string;
  validUntil?: string;
  name: string;
  description: string;
  credentialSubject: {
    type: ["AchievementSubject"];
    identifier: IdentityObject[];
    activityStartDate: string;
    activityEndDate: string;
    achievement: {
      id: string;
      type: ["Achievement"];
      name: string;
      description: string;
      criteria: { narrative: string };
      achievementType: "Certificate";
      humanCode: string;
      inLanguage: "zh-CN";
    };
  };
}

/** The JWT claims a credential carries besides itself (OB 3.0 §8.2, VC-JWT): no `sub`, as the subject has no id. */
export interface CredentialClaims {
  iss: string;
  jti: string;
  nbf: number;
  exp?: number;
}

/** A calendar date (China's, UTC+8) as the start of that day. */
function startOfDay(date: string): string {
  return `${date}T00:00:00+08:00`;
}

/** The last second of a calendar date in China: a certificate is in force through its expiry date. */
function endOfDay(date: string): string {
  return `${date}T23:59:59+08:00`;
}

/** A name as compared: the same characters whether typed or recorded (Unicode NFC, no surrounding spaces). */
export function normaliseName(name: string): string {
  return name.normalize("NFC").trim();
}

/** OB 3.0's hashed identity: "sha256$" and the hex SHA-256 of the identity followed by the salt. */
export function identityHash(name: string, salt: string): string {
  return `sha256$${createHash("sha256")
    .update(normaliseName(name) + salt, "utf8")
    .digest("hex")}`;
}

/** Whether `name` is the holder the credential was issued to. */
export function holderMatches(identity: Pick<IdentityObject, "identityHash" | "salt">, name: string): boolean {
  return identity.identityHash.toLowerCase() === identityHash(name, identity.salt);
}

/** The credential's id: the certificate's public page, so the id itself leads to its current status. */
export function credentialId(c: Pick<BadgeSource, "verifyBase" | "serial">): string {
  return `${c.verifyBase}/v/${c.serial}#credential`;
}

/** The serial a credential id names, if it is one of ours. */
export function serialOfCredentialId(id: string): string | null {
  return /\/v\/([^/#?]+)#credential$/.exec(id)?.[1] ?? null;
}

/** The credential for a certificate; `salt` must be the certificate's own, the same every time. */
export function openBadgeCredential(c: BadgeSource, salt: string): OpenBadgeCredential {
  const hours = `理论 ${c.theoryHours} 学时、实操 ${c.practiceHours} 学时，培训期 ${c.cohortStart} 至 ${c.cohortEnd}，${c.completionDate} 结业`;
  const hoursEn = `${c.theoryHours} hours of theory and ${c.practiceHours} hours of practice, trained ${c.cohortStart} to ${c.cohortEnd}, completed ${c.completionDate}`;
  const credential: OpenBadgeCredential = {
    "@context": [...OPEN_BADGE_CONTEXT],
    id: credentialId(c),
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    issuer: { id: c.verifyBase, type: ["Profile"], name: c.organisationName },
    validFrom: startOfDay(c.issueDate),
    name: c.certificateTitle,
    description: `${c.certificateTitle}（${c.programTitle}，证书编号 ${c.serial}）`,
    credentialSubject: {
      type: ["AchievementSubject"],
      identifier: [{ type: "IdentityObject", identityType: "name", hashed: true, identityHash: identityHash(c.holderName, salt), salt }],
      activityStartDate: startOfDay(c.cohortStart),
      activityEndDate: startOfDay(c.cohortEnd),
      achievement: {
        id: `${c.verifyBase}/#programme-${encodeURIComponent(c.programCode)}-v${c.programVersion}`,
        type: ["Achievement"],
        name: c.programTitle,
        description: `${c.programTitle}（第 ${c.programVersion} 版）结业，颁发${c.certificateTitle}`,
        criteria: { narrative: `${hours}。 / ${hoursEn}.` },
        achievementType: "Certificate",
        humanCode: `${c.programCode}@${c.programVersion}`,
        inLanguage: "zh-CN",
      },
    },
  };
  if (c.expiryDate) credential.validUntil = endOfDay(c.expiryDate);
  return credential;
}

/** The VC-JWT claims that mirror the credential's own properties (and so can never disagree with them). */
export function credentialClaims(credential: OpenBadgeCredential): CredentialClaims {
  const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
  const claims: CredentialClaims = { iss: credential.issuer.id, jti: credential.id, nbf: seconds(credential.validFrom) };
  if (credential.validUntil) claims.exp = seconds(credential.validUntil);
  return claims;
}

/** The JWT payload: the credential itself, with the registered claims beside its properties. */
export function credentialJwtPayload(credential: OpenBadgeCredential): OpenBadgeCredential & CredentialClaims {
  return { ...credential, ...credentialClaims(credential) };
}
