import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { accreditations, auditLog, users } from "../../db/schema";
import { checkCharacter } from "../../app/domain/resident-id";
import { parseSerial } from "../../app/domain/serial";
import { readCertificateMetadata } from "../../app/pdf/certificate-metadata";
import { renderCertificatePdf } from "../../app/pdf/certificate.server";
import {
  certificatePdf,
  cohortCertificates,
  getCertificate,
  issueCertificate,
  issueForCohort,
  reissueCertificate,
  revokeCertificate,
  searchCertificates,
  statusOf,
} from "../../app/services/certificates.server";
import { today } from "../../app/services/organisations.server";
import { checkUploadedPdf, lookUpSerial } from "../../app/services/verification.server";
import { cohortWithTrainees, completeEnrolment, orgId, userId, withDemoData } from "./fixtures";

const id = (first17: string) => first17 + checkCharacter(first17);
const dir = mkdtempSync(path.join(tmpdir(), "care-cert-"));
const people = [
  { name: "周建华", mobile: "13600002001", idNumber: id("33010519660606606") },
  { name: "吴丽娟", mobile: "13600002002", idNumber: id("33010519670707707") },
  { name: "𠮷田", mobile: "13600002003", idNumber: id("33010519680808808") },
  { name: "郑未完", mobile: "13600002004", idNumber: id("33010519690909909") },
];
let setup: Awaited<ReturnType<typeof cohortWithTrainees>>;
const registrar = () => userId("registrar");

beforeAll(async () => {
  await withDemoData();
  setup = await cohortWithTrainees("BASE-GERI", people);
  for (const e of setup.enrolmentIds.slice(0, 3)) completeEnrolment(setup.cohort, e);
}, 60_000);

function enrolmentOf(name: string) {
  const uid = db().select().from(users).where(eq(users.name, name)).get()!.id;
  return cohortCertificates(setup.cohort.id).find((r) => r.name === name)?.enrolmentId ?? uid;
}

describe("issuing", () => {
  it("issues a whole cohort at once, refusing a name the font cannot print and naming the character", async () => {
    const result = await issueForCohort(registrar(), setup.cohort.id);
    expect(result.issued).toBe(2);
    expect(result.refused).toEqual([{ name: "𠮷田", reason: "certificate.missingGlyph", char: "𠮷" }]);
    const rows = cohortCertificates(setup.cohort.id);
    expect(rows.map((r) => r.name).sort()).toEqual(["吴丽娟", "周建华", "𠮷田"].sort());
    expect(rows.filter((r) => r.serial).every((r) => parseSerial(r.serial!).ok)).toBe(true);
  });

  it("refuses an enrolment not yet completed and a second certificate for the same enrolment", async () => {
    expect(await issueCertificate(registrar(), setup.enrolmentIds[3])).toEqual({ ok: false, reason: "certificate.notCompleted" });
    expect(await issueCertificate(registrar(), enrolmentOf("周建华"))).toEqual({ ok: false, reason: "certificate.alreadyIssued" });
  });

  it("refuses when the base is not accredited on the issue date", async () => {
    db().insert(accreditations).values({ organisationId: orgId("BASE-GERI"), number: "x", status: "suspended", validFrom: "2025-01-01", validTo: "2027-12-31", effectiveFrom: "2027-06-01" }).run();
    const cert = cohortCertificates(setup.cohort.id).find((r) => r.name === "周建华")!;
    expect(await reissueCertificate(registrar(), cert.certificateId!, "更正", "2027-06-02")).toEqual({ ok: false, reason: "certificate.baseNotAccredited" });
  });

  it("records what it printed, with an expiry from the programme's validity", () => {
    const row = cohortCertificates(setup.cohort.id).find((r) => r.name === "吴丽娟")!;
    const c = getCertificate(row.certificateId!)!;
    expect(c).toMatchObject({ holderName: "吴丽娟", programCode: "family-caregiver", programVersion: 1, theoryHours: 8, practiceHours: 8, issueDate: today(), expiryDate: null, organisationCode: "BASE-GERI" });
    expect(statusOf(c)).toBe("valid");
    expect(db().select().from(auditLog).where(eq(auditLog.entityId, c.id)).all().map((a) => a.action)).toEqual(["certificate.issue"]);
  });
});

describe("the PDF", () => {
  it("regenerates byte for byte, stays small, and shows the name, the URL and a readable QR code", async () => {
    const c = getCertificate(cohortCertificates(setup.cohort.id).find((r) => r.name === "周建华")!.certificateId!)!;
    const a = await certificatePdf(c);
    const b = await certificatePdf(c);
    expect(a.equals(b)).toBe(true);
    expect(a.length).toBeLessThan(100 * 1024);
    const file = path.join(dir, "cert.pdf");
    writeFileSync(file, a);
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
    expect(text).toContain("周建华");
    expect(text).toContain("3301**********6066".slice(0, 4));
    expect(text).toContain(`/v/${c.serial}`);
    expect(text).toContain("家庭照护技能培训结业证明");
    execFileSync("pdftoppm", ["-png", "-r", "150", "-singlefile", file, path.join(dir, "cert")]);
    const qr = execFileSync("zbarimg", ["-q", "--raw", path.join(dir, "cert.png")], { encoding: "utf8" }).trim();
    expect(qr.startsWith(`${c.verifyBase}/v/${c.serial}?p=`)).toBe(true);
    expect(lookUpSerial(c.serial, qr)).toMatchObject({ kind: "found", signature: "valid", certificate: { holder: "周*华", status: "valid" } });
  });

  it("is recognised when uploaded unchanged, and an edited copy is not", async () => {
    const c = getCertificate(cohortCertificates(setup.cohort.id).find((r) => r.name === "周建华")!.certificateId!)!;
    const pdf = await certificatePdf(c);
    expect(checkUploadedPdf(pdf)).toMatchObject({ match: true, certificate: { serial: c.serial } });
    const edited = Buffer.from(pdf);
    edited[edited.length - 100] ^= 0x01;
    expect(checkUploadedPdf(edited)).toEqual({ match: false });
  });

  it("can be checked offline from the PDF or its QR text with the published key", async () => {
    const c = getCertificate(cohortCertificates(setup.cohort.id).find((r) => r.name === "吴丽娟")!.certificateId!)!;
    const pdf = await certificatePdf(c);
    expect(readCertificateMetadata(pdf)).toEqual({ payload: c.payload, signature: c.signature });
    const file = path.join(dir, "offline.pdf");
    writeFileSync(file, pdf);
    const run = (arg: string) => spawnSync(process.execPath, ["--import", "tsx", "scripts/verify-certificate.ts", arg], { env: process.env, encoding: "utf8" });
    const good = run(file);
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toContain("SIGNATURE VALID");
    expect(good.stdout).toContain(c.serial);
    // A forged PDF that claims more hours but carries the real signature fails.
    const claimed = c.payload.replace('"h":16', '"h":96');
    expect(claimed).not.toBe(c.payload);
    const forged = await renderCertificatePdf({ ...c, theoryHours: 48, practiceHours: 48, verifyUrl: "x", qrText: "x", payload: claimed });
    writeFileSync(path.join(dir, "forged.pdf"), forged);
    expect(readCertificateMetadata(forged)?.payload).toBe(claimed);
    const refused = run(path.join(dir, "forged.pdf"));
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("SIGNATURE INVALID");
  });
});

describe("revoking and reissuing", () => {
  it("reissues after a name correction: a new serial, the old one superseded and pointing to it", async () => {
    const row = cohortCertificates(setup.cohort.id).find((r) => r.name === "吴丽娟")!;
    const uid = db().select().from(users).where(eq(users.name, "吴丽娟")).get()!.id;
    db().update(users).set({ name: "吴丽鹃" }).where(eq(users.id, uid)).run();
    const result = await reissueCertificate(registrar(), row.certificateId!, "姓名更正");
    if (!result.ok) throw new Error(result.reason);
    const old = getCertificate(row.certificateId!)!;
    const fresh = getCertificate(result.id)!;
    expect(old.supersededById).toBe(fresh.id);
    expect(fresh.serial).not.toBe(old.serial);
    expect(fresh.holderName).toBe("吴丽鹃");
    expect(lookUpSerial(old.serial)).toMatchObject({ kind: "found", certificate: { status: "superseded", replacedBy: fresh.serial } });
    expect(await reissueCertificate(registrar(), old.id, "再次")).toEqual({ ok: false, reason: "certificate.superseded" });
  });

  it("revokes with a reason category, never deletes, and the public page says so", () => {
    const row = cohortCertificates(setup.cohort.id).find((r) => r.name === "周建华")!;
    expect(revokeCertificate(registrar(), row.certificateId!, "issuedInError", "考勤记录有误")).toEqual({ ok: true });
    expect(revokeCertificate(registrar(), row.certificateId!, "other", "again")).toEqual({ ok: false, reason: "certificate.alreadyRevoked" });
    const c = getCertificate(row.certificateId!)!;
    expect(lookUpSerial(c.serial)).toMatchObject({ kind: "found", certificate: { status: "revoked", revokedReason: "issuedInError", revokedOn: today() } });
  });

  it("tells a mistyped serial from one that does not exist", () => {
    const c = searchCertificates({ organisationId: orgId("BASE-GERI") })[0];
    const last = c.serial.at(-1) === "0" ? "1" : "0";
    expect(lookUpSerial(c.serial.slice(0, -1) + last)).toEqual({ kind: "mistyped" });
    expect(lookUpSerial(c.serial.toLowerCase())).toMatchObject({ kind: "found" });
  });
});

describe("the register", () => {
  it("searches by name, ID number, serial, programme and date range, per base", () => {
    const base = orgId("BASE-GERI");
    expect(searchCertificates({ organisationId: base, name: "周建" }).map((c) => c.holderName)).toEqual(["周建华"]);
    expect(searchCertificates({ organisationId: base, idNumber: people[1].idNumber.slice(-6) }).map((c) => c.holderName)).toHaveLength(2);
    const any = searchCertificates({ organisationId: base })[0];
    expect(searchCertificates({ serial: any.serial.slice(5, 14) }).map((c) => c.id)).toEqual([any.id]);
    expect(searchCertificates({ organisationId: base, programCode: "hospice-care" })).toEqual([]);
    expect(searchCertificates({ organisationId: base, from: "2099-01-01" })).toEqual([]);
    expect(searchCertificates({ organisationId: orgId("BASE-FY") })).toEqual([]);
  });
});
