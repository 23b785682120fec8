import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { eq, like } from "drizzle-orm";
import { db } from "../../db/client.server";
import { certificates, notifications } from "../../db/schema";
import { addDays } from "../../app/domain/dates";
import { renewedExpiry } from "../../app/domain/certificate";
import { checkCharacter } from "../../app/domain/resident-id";
import {
  countCertificates,
  getCertificate,
  issueCertificate,
  reissueCertificate,
  unsignedCertificatePdf,
} from "../../app/services/certificates.server";
import { today } from "../../app/services/clock.server";
import { sendDailyReminders } from "../../app/services/reminders.server";
import { publicView } from "../../app/services/verification.server";
import { cohortWithTrainees, completeEnrolment, userId, withDemoData } from "./fixtures";

const person = (n: number) => {
  const first17 = `3301051985010${n}30${n}`;
  return { name: `复训学员${n}`, mobile: `1360000700${n}`, idNumber: first17 + checkCharacter(first17) };
};
const people = [person(1), person(2)];
let original = "";
let refresherEnrolments: string[] = [];

beforeAll(async () => {
  await withDemoData();
  const first = await cohortWithTrainees("BASE-GERI", people, "medical-nursing-assistant");
  for (const e of first.enrolmentIds) await completeEnrolment(first.cohort, e);
  const issued = await issueCertificate(userId("registrar"), first.enrolmentIds[0]);
  if (!issued.ok) throw new Error(issued.errors._form);
  original = issued.value;
  // Both come back for the refresher; only the first holds a certificate it can renew.
  const refresher = await cohortWithTrainees("BASE-GERI", people, "medical-nursing-assistant-refresher");
  for (const e of refresher.enrolmentIds) await completeEnrolment(refresher.cohort, e);
  refresherEnrolments = refresher.enrolmentIds;
}, 60_000);

describe("renewing a certificate by a refresher", () => {
  it("issues a certificate that names the one it renews and runs on from its expiry; the old one reads renewed", async () => {
    const old = getCertificate(original)!;
    const soon = { from: today(), to: addDays(old.expiryDate!, 1) };
    expect(countCertificates({ expiresFrom: soon.from, expiresTo: soon.to, name: "复训学员1" })).toBe(1);

    const renewed = await issueCertificate(userId("registrar"), refresherEnrolments[0]);
    if (!renewed.ok) throw new Error(renewed.errors._form);
    const renewal = getCertificate(renewed.value)!;
    expect(renewal).toMatchObject({
      renewsId: old.id,
      renewsSerial: old.serial,
      certificateTitle: "医疗护理员培训合格证明（复训）",
      expiryDate: renewedExpiry(old.expiryDate!, renewal.issueDate, 36),
    });
    expect(renewal.expiryDate! > old.expiryDate!).toBe(true);
    expect(getCertificate(original)!.renewedById).toBe(renewal.id);

    // The public pages say so, both ways; the old one stays valid to its own expiry.
    expect(publicView(getCertificate(original)!)).toMatchObject({
      status: "valid",
      renewedBy: { serial: renewal.serial, expiryDate: renewal.expiryDate },
    });
    expect(publicView(renewal)).toMatchObject({ status: "valid", renews: old.serial, renewedBy: null });
    // A renewed certificate is no longer one to bring back for a refresher.
    expect(countCertificates({ expiresFrom: soon.from, expiresTo: soon.to, name: "复训学员1" })).toBe(0);

    const file = path.join(mkdtempSync(path.join(tmpdir(), "renewal-")), "renewal.pdf");
    writeFileSync(file, await unsignedCertificatePdf(renewal));
    expect(execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, "")).toContain(`续期原证${old.serial}`);
  });

  it("refuses a refresher's certificate to someone holding nothing to renew, and renews a certificate only once", async () => {
    expect(await issueCertificate(userId("registrar"), refresherEnrolments[1])).toEqual({
      ok: false,
      errors: { _form: "certificate.nothingToRenew" },
    });
  });

  it("reminds nobody of a certificate already renewed", async () => {
    const old = getCertificate(original)!;
    await sendDailyReminders(addDays(old.expiryDate!, -30));
    expect(
      db()
        .select()
        .from(notifications)
        .where(like(notifications.dedupeKey, `certificate_expiring:${old.id}:%`))
        .all(),
    ).toEqual([]);
  });

  it("keeps the renewal when its certificate is corrected and reissued", async () => {
    const renewal = db().select().from(certificates).where(eq(certificates.renewsId, original)).get()!;
    const reissued = await reissueCertificate(userId("registrar"), renewal.id, "姓名更正");
    if (!reissued.ok) throw new Error(reissued.errors._form);
    expect(getCertificate(reissued.value)).toMatchObject({ renewsId: original, expiryDate: renewal.expiryDate });
    expect(getCertificate(original)!.renewedById).toBe(reissued.value);
  });
});
