import { execFileSync, spawnSync } from "node:child_process";
import { programByCode } from "../../app/content/programs.server";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { createElement, type ComponentType, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import ExcelJS from "exceljs";
import { and, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { accreditations, auditLog, certificates, cohorts, enrolments, users } from "../../db/schema";
import { addDays } from "../../app/domain/dates";
import { checkCharacter } from "../../app/domain/resident-id";
import { makeSerial, parseSerial } from "../../app/domain/serial";
import { translator } from "../../app/i18n/messages";
import { registerQuery } from "../../app/auth/certificate-access.server";
import * as certificatePage from "../../app/routes/certificates.$certificateId";
import * as registerPage from "../../app/routes/certificates._index";
import * as registerExport from "../../app/routes/certificates.export[.xlsx]";
import * as cohortCertificatesPage from "../../app/routes/bases.$orgId.cohorts.$cohortId.certificates";
import * as cohortProgressPage from "../../app/routes/bases.$orgId.cohorts.$cohortId._index";
import * as cohortProgressExport from "../../app/routes/bases.$orgId.cohorts.$cohortId.progress[.xlsx]";
import * as learningPage from "../../app/routes/learn._index";
import * as verifyPage from "../../app/routes/verify";
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
import { today } from "../../app/services/clock.server";
import { checkUploadedPdf, lookUpSerial, readSerial } from "../../app/services/verification.server";
import { cohortWithTrainees, completeEnrolment, contextFor, contextOfUser, orgId, userId, withDemoData } from "./fixtures";

// Pages are rendered to HTML outside a router: the route hooks hand them what their loader returned.
const page = vi.hoisted(() => ({ data: undefined as unknown, actionData: undefined as unknown, search: "" }));
vi.mock("@remix-run/react", async (importOriginal) => {
  const real = await importOriginal<typeof import("@remix-run/react")>();
  type Props = { children?: ReactNode; [attribute: string]: unknown };
  const { createElement } = await import("react");
  const drop = ({ reloadDocument: _r, prefetch: _p, replace: _x, ...rest }: Props) => rest;
  return {
    ...real,
    useLoaderData: () => page.data,
    useActionData: () => page.actionData,
    useRouteLoaderData: () => undefined,
    useSearchParams: () => [new URLSearchParams(page.search), () => undefined],
    useNavigation: () => ({ state: "idle" }),
    useLocation: () => ({ pathname: "/", search: page.search ? `?${page.search}` : "", hash: "" }),
    Link: ({ to, ...props }: Props) => createElement("a", { ...drop(props), href: String(to) }),
    Form: (props: Props) => createElement("form", drop(props)),
  };
});

/** The page's HTML for what its loader returned (sent as JSON, as Remix does). */
function render(Page: ComponentType, data: unknown, options: { actionData?: unknown; search?: string } = {}): string {
  page.data = JSON.parse(JSON.stringify(data));
  page.actionData = options.actionData;
  page.search = options.search ?? "";
  return renderToString(createElement(Page));
}

const get = (url: string) => new Request(`http://localhost${url}`);
const zh = translator("zh-CN");

const id = (first17: string) => first17 + checkCharacter(first17);
const dir = mkdtempSync(path.join(tmpdir(), "care-cert-"));
const people = [
  { name: "周建华", mobile: "13600002001", idNumber: id("33010519660606606") },
  { name: "吴丽娟", mobile: "13600002002", idNumber: id("33010519670707707") },
  // Enrolled as 吉田; the name is corrected to 𠮷田 afterwards (enrolment itself refuses it now).
  { name: "吉田", mobile: "13600002003", idNumber: id("33010519680808808") },
  { name: "郑未完", mobile: "13600002004", idNumber: id("33010519690909909") },
];
let setup: Awaited<ReturnType<typeof cohortWithTrainees>>;
const registrar = () => userId("registrar");

beforeAll(async () => {
  await withDemoData();
  setup = await cohortWithTrainees("BASE-GERI", people);
  // A name changed after enrolment (or enrolled before names were checked) still meets the certificate's own check.
  db().update(users).set({ name: "𠮷田" }).where(eq(users.mobile, "13600002003")).run();
  for (const e of setup.enrolmentIds.slice(0, 3)) await completeEnrolment(setup.cohort, e);
}, 60_000);

function enrolmentOf(name: string) {
  const uid = db().select().from(users).where(eq(users.name, name)).get()!.id;
  return cohortCertificates(setup.cohort.id).find((r) => r.name === name)?.enrolmentId ?? uid;
}

describe("issuing", () => {
  it("issues a whole cohort at once, refusing a name the font cannot print and naming the character", async () => {
    const result = await issueForCohort(registrar(), setup.cohort.id);
    expect(result.issued).toBe(2);
    expect(result.refused).toEqual([
      { name: "𠮷田", refusal: { ok: false, errors: { _form: "certificate.missingGlyph" }, params: { _form: { char: "𠮷" } } } },
    ]);
    const rows = cohortCertificates(setup.cohort.id);
    expect(rows.map((r) => r.name).sort()).toEqual(["吴丽娟", "周建华", "𠮷田"].sort());
    expect(rows.filter((r) => r.serial).every((r) => parseSerial(r.serial!).ok)).toBe(true);
  });

  it("refuses an enrolment not yet completed and a second certificate for the same enrolment", async () => {
    expect(await issueCertificate(registrar(), setup.enrolmentIds[3])).toEqual({
      ok: false,
      errors: { _form: "certificate.notCompleted" },
    });
    expect(await issueCertificate(registrar(), enrolmentOf("周建华"))).toEqual({
      ok: false,
      errors: { _form: "certificate.alreadyIssued" },
    });
  });

  it("refuses when the base is not accredited on the issue date", async () => {
    db()
      .insert(accreditations)
      .values({
        organisationId: orgId("BASE-GERI"),
        number: "x",
        status: "suspended",
        validFrom: "2025-01-01",
        validTo: "2027-12-31",
        effectiveFrom: "2027-06-01",
      })
      .run();
    const cert = cohortCertificates(setup.cohort.id).find((r) => r.name === "周建华")!;
    expect(await reissueCertificate(registrar(), cert.certificateId!, "更正", "2027-06-02")).toEqual({
      ok: false,
      errors: { _form: "certificate.baseNotAccredited" },
    });
  });

  it("records what it printed, with an expiry from the programme's validity", () => {
    const row = cohortCertificates(setup.cohort.id).find((r) => r.name === "吴丽娟")!;
    const c = getCertificate(row.certificateId!)!;
    expect(c).toMatchObject({
      holderName: "吴丽娟",
      programCode: "family-caregiver",
      programVersion: programByCode("family-caregiver")!.rules.version,
      theoryHours: 8,
      practiceHours: 8,
      issueDate: today(),
      expiryDate: null,
      organisationCode: "BASE-GERI",
    });
    expect(statusOf(c)).toBe("valid");
    expect(
      db()
        .select()
        .from(auditLog)
        .where(eq(auditLog.entityId, c.id))
        .all()
        .map((a) => a.action),
    ).toEqual(["certificate.issue"]);
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
    expect(qr).toBe(`${c.verifyBase}/v/${c.serial}?k=${c.keyId}&s=${c.signature}`);
    expect(lookUpSerial(c.serial, qr)).toMatchObject({
      kind: "found",
      signature: "valid",
      certificate: { holder: "周*华", status: "valid" },
    });
  });

  it("keeps verifying a serial printed with an earlier check character, and still calls a typo a typo", () => {
    const c = getCertificate(cohortCertificates(setup.cohort.id).find((r) => r.name === "周建华")!.certificateId!)!;
    const legacy = `${c.serial.slice(0, -1)}*`;
    db().update(certificates).set({ serial: legacy }).where(eq(certificates.id, c.id)).run();
    try {
      expect(lookUpSerial(legacy.toLowerCase().replace(/-/g, " "))).toMatchObject({ kind: "found", certificate: { serial: legacy } });
      expect(readSerial(legacy)).toEqual({ ok: true, serial: legacy });
      expect(lookUpSerial(`${c.serial.slice(0, -1)}~`)).toEqual({ kind: "mistyped" });
    } finally {
      db().update(certificates).set({ serial: c.serial }).where(eq(certificates.id, c.id)).run();
    }
  });

  it("is recognised when uploaded unchanged, and an edited copy is not", async () => {
    const c = getCertificate(cohortCertificates(setup.cohort.id).find((r) => r.name === "周建华")!.certificateId!)!;
    const pdf = await certificatePdf(c);
    expect(checkUploadedPdf(pdf)).toMatchObject({ match: true, certificate: { serial: c.serial } });
    const edited = Buffer.from(pdf);
    edited[edited.length - 100] ^= 0x01;
    expect(checkUploadedPdf(edited)).toEqual({ match: false });
  });

  it("can be checked offline from the PDF with the deployment's keys; a page forged around copied signed data and QR code is refused", async () => {
    const c = getCertificate(cohortCertificates(setup.cohort.id).find((r) => r.name === "吴丽娟")!.certificateId!)!;
    const pdf = await certificatePdf(c);
    expect(readCertificateMetadata(pdf)).toEqual({ payload: c.payload, signature: c.signature });
    const file = path.join(dir, "offline.pdf");
    writeFileSync(file, pdf);
    const run = (arg: string) =>
      spawnSync(process.execPath, ["--import", "tsx", "scripts/verify-certificate.ts", arg], { env: process.env, encoding: "utf8" });
    const good = run(file);
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toContain("CERTIFICATE VALID");
    expect(good.stdout).toContain(`PDF 数字签名：有效，覆盖整个文件，签名密钥 ${c.keyId}`);
    expect(good.stdout).toContain(c.serial);
    expect(good.stdout).toContain("revocation NOT checked");
    // The same masked name and the genuine signed data and QR code, on a page that says 200 hours.
    const forged = await renderCertificatePdf({
      ...c,
      holderName: "吴美娟",
      theoryHours: 100,
      practiceHours: 100,
      verifyUrl: `${c.verifyBase}/v/${c.serial}`,
      qrText: `${c.verifyBase}/v/${c.serial}?k=${c.keyId}&s=${c.signature}`,
    });
    writeFileSync(path.join(dir, "forged.pdf"), forged);
    expect(readCertificateMetadata(forged)).toEqual({ payload: c.payload, signature: c.signature });
    const refused = run(path.join(dir, "forged.pdf"));
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("CERTIFICATE NOT VALID");
    expect(refused.stdout).toContain("no PDF signature");
  });
});

describe("revoking and reissuing", () => {
  it("reissues after a name correction: a new serial, the old one superseded and pointing to it", async () => {
    const row = cohortCertificates(setup.cohort.id).find((r) => r.name === "吴丽娟")!;
    const uid = db().select().from(users).where(eq(users.name, "吴丽娟")).get()!.id;
    db().update(users).set({ name: "吴丽鹃" }).where(eq(users.id, uid)).run();
    const result = await reissueCertificate(registrar(), row.certificateId!, "姓名更正");
    if (!result.ok) throw new Error(result.errors._form);
    const old = getCertificate(row.certificateId!)!;
    const fresh = getCertificate(result.value)!;
    expect(old.supersededById).toBe(fresh.id);
    expect(fresh.serial).not.toBe(old.serial);
    expect(fresh.holderName).toBe("吴丽鹃");
    expect(lookUpSerial(old.serial)).toMatchObject({ kind: "found", certificate: { status: "superseded", replacedBy: fresh.serial } });
    expect(await reissueCertificate(registrar(), old.id, "再次")).toEqual({ ok: false, errors: { _form: "certificate.superseded" } });
  });

  it("revokes with a reason category, never deletes, and the public page says so", () => {
    const row = cohortCertificates(setup.cohort.id).find((r) => r.name === "周建华")!;
    expect(revokeCertificate(registrar(), row.certificateId!, "issuedInError", "考勤记录有误")).toEqual({ ok: true, value: true });
    expect(revokeCertificate(registrar(), row.certificateId!, "other", "again")).toEqual({
      ok: false,
      errors: { _form: "certificate.alreadyRevoked" },
    });
    const c = getCertificate(row.certificateId!)!;
    expect(lookUpSerial(c.serial)).toMatchObject({
      kind: "found",
      certificate: { status: "revoked", revokedReason: "issuedInError", revokedOn: today() },
    });
  });

  it("tells a mistyped serial from one that does not exist", () => {
    const c = searchCertificates({ organisationId: orgId("BASE-GERI") })[0];
    const last = c.serial.at(-1) === "0" ? "1" : "0";
    expect(lookUpSerial(c.serial.slice(0, -1) + last)).toEqual({ kind: "mistyped" });
    expect(lookUpSerial(c.serial.toLowerCase())).toMatchObject({ kind: "found" });
  });
});

describe("the register", () => {
  it("searches by the beginning of a name, ID number or serial, programme and date range, per base", () => {
    const base = orgId("BASE-GERI");
    expect(searchCertificates({ organisationId: base, name: "周建" }).map((c) => c.holderName)).toEqual(["周建华"]);
    expect(searchCertificates({ organisationId: base, name: "建华" })).toEqual([]);
    // Two certificates: the first, and the one reissued after a name correction.
    expect(
      searchCertificates({ organisationId: base, idNumber: people[1].idNumber.slice(0, 17), idMatch: "partial" }).map((c) => c.holderName),
    ).toHaveLength(2);
    const any = searchCertificates({ organisationId: base })[0];
    expect(searchCertificates({ serial: any.serial.slice(0, 14) }).map((c) => c.id)).toEqual([any.id]);
    expect(searchCertificates({ organisationId: base, programCode: "hospice-care" })).toEqual([]);
    expect(searchCertificates({ organisationId: base, from: "2099-01-01" })).toEqual([]);
    expect(searchCertificates({ organisationId: orgId("BASE-FY") })).toEqual([]);
  });
});

/** A valid ID number whose check character is X, so that typing it with a lower-case x can be tried. */
function idEndingInX(first15: string): string {
  for (let n = 0; n < 100; n++) {
    const first17 = first15 + String(n).padStart(2, "0");
    if (checkCharacter(first17) === "X") return first17 + "X";
  }
  throw new Error("no X");
}

describe("more trainees", () => {
  const more = [
    { name: "冯晓梅", mobile: "13600002011", idNumber: idEndingInX("330105197101011") },
    { name: "陈国栋", mobile: "13600002012", idNumber: id("33010519720202202") },
  ];
  let cohortId = "";
  const certificateOf = (name: string) => getCertificate(cohortCertificates(cohortId).find((r) => r.name === name)!.certificateId!)!;
  const auditCount = () => db().select().from(auditLog).all().length;

  beforeAll(async () => {
    const made = await cohortWithTrainees("BASE-GERI", more);
    cohortId = made.cohort.id;
    for (const e of made.enrolmentIds) await completeEnrolment(made.cohort, e);
    // 冯晓梅 finished at 01:30 China time on 23 November: 22 November in UTC.
    db().update(enrolments).set({ completedAt: "2026-11-22T17:30:00.000Z" }).where(eq(enrolments.id, made.enrolmentIds[0])).run();
    const batch = await issueForCohort(registrar(), cohortId);
    expect(batch).toEqual({ issued: 2, refused: [] });
  }, 60_000);

  describe("completion dates are China dates wherever they are shown", () => {
    it("on the certificate, the trainee's own page, the cohort's progress table and its certificate tab", async () => {
      expect(certificateOf("冯晓梅").completionDate).toBe("2026-11-23");
      const trainee = db().select().from(users).where(eq(users.name, "冯晓梅")).get()!.id;
      const own = await learningPage.loader({ context: contextOfUser(trainee), request: get("/learn"), params: {} });
      const params = { orgId: orgId("BASE-GERI"), cohortId };
      const progress = await cohortProgressPage.loader({
        context: contextFor("registrar"),
        request: get(`/bases/${params.orgId}/cohorts/${cohortId}`),
        params,
      });
      const tab = await cohortCertificatesPage.loader({
        context: contextFor("registrar"),
        request: get(`/bases/${params.orgId}/cohorts/${cohortId}/certificates`),
        params,
      });
      for (const html of [
        render(learningPage.default, own),
        render(cohortProgressPage.default, progress),
        render(cohortCertificatesPage.default, tab),
      ]) {
        expect(html).toContain("2026-11-23");
        expect(html).not.toContain("2026-11-22");
      }
      // …and in the progress table's Excel export.
      const response = (await cohortProgressExport.loader({
        context: contextFor("registrar"),
        request: get(`/bases/${params.orgId}/cohorts/${cohortId}/progress.xlsx`),
        params,
      })) as Response;
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await response.arrayBuffer());
      const rows = Array.from(workbook.worksheets[0].getSheetValues(), (r) => (Array.isArray(r) ? r.join("|") : ""));
      const row = rows.find((r) => r.includes("冯晓梅"))!;
      expect(row).toContain("2026-11-23");
      expect(row).not.toContain("2026-11-22");
    });
  });

  describe("reissuing corrects a certificate and never renews it", () => {
    it("keeps the original expiry date, in the record and in what is signed", async () => {
      const old = certificateOf("陈国栋");
      db().update(certificates).set({ expiryDate: "2030-03-31" }).where(eq(certificates.id, old.id)).run();
      const result = await reissueCertificate(registrar(), old.id, "身份证号更正");
      if (!result.ok) throw new Error(result.errors._form);
      const fresh = getCertificate(result.value)!;
      expect(fresh.issueDate).toBe(today());
      expect(fresh.expiryDate).toBe("2030-03-31");
      expect(JSON.parse(fresh.payload).e).toBe("2030-03-31");
      expect(lookUpSerial(fresh.serial)).toMatchObject({ kind: "found", certificate: { expiryDate: "2030-03-31", status: "valid" } });
    });

    it("refuses an expired certificate with a clear message, changes nothing, and its page offers no reissue", async () => {
      const expired = certificateOf("陈国栋").id;
      db()
        .update(certificates)
        .set({ expiryDate: addDays(today(), -1) })
        .where(eq(certificates.id, expired))
        .run();
      const old = getCertificate(expired)!;
      const audits = auditCount();
      expect(await reissueCertificate(registrar(), old.id, "姓名更正")).toEqual({
        ok: false,
        errors: { _form: "certificate.expiredNoReissue" },
      });

      const form = new FormData();
      form.set("intent", "reissue");
      form.set("note", "姓名更正");
      const args = { context: contextFor("registrar"), params: { certificateId: old.id } };
      const refused = await certificatePage.action({
        ...args,
        request: new Request(`http://localhost/certificates/${old.id}`, { method: "POST", body: form }),
      });
      expect(refused.reply.error).toEqual({ "": ["certificate.expiredNoReissue"] });

      expect(getCertificate(old.id)).toEqual(old);
      expect(db().select().from(certificates).where(eq(certificates.enrolmentId, old.enrolmentId)).all()).toHaveLength(2);
      expect(auditCount()).toBe(audits);

      const html = render(certificatePage.default, await certificatePage.loader({ ...args, request: get(`/certificates/${old.id}`) }));
      expect(html).toContain("已过期");
      expect(html).not.toContain('value="reissue"');
      expect(html).toContain('value="revoke"');
      expect(html).toContain(`data-testid="no-reissue">${zh("certificate.expiredNoReissue")}`);
    });
  });

  describe("the register's search", () => {
    const base = () => orgId("BASE-GERI");
    const searchAs = (username: string, query: Record<string, string>) => {
      const params = new URLSearchParams({ org: base(), ...query });
      return registerQuery(contextFor(username), get(`/certificates?${params}`), params);
    };
    const names = (username: string, query: Record<string, string>) =>
      searchAs(username, query)
        .search()
        .map((c) => c.holderName);

    it("finds by ID number only by the whole number for those who see ID numbers masked", async () => {
      const whole = more[0].idNumber;
      expect(whole.endsWith("X")).toBe(true);
      for (const part of [whole.slice(-6), whole.slice(0, 17), whole.slice(0, 10), `${whole.slice(0, 16)}%`, `%${whole.slice(4)}`]) {
        expect(names("registrar", { id: part }), part).toEqual([]);
        expect(searchAs("registrar", { id: part }).idError).toBe("certificate.idSearchWhole");
      }
      expect(names("registrar", { id: ` ${whole.slice(0, 6)} ${whole.slice(6, 14)} ${whole.slice(14).toLowerCase()} ` })).toEqual([
        "冯晓梅",
      ]);
      expect(searchAs("registrar", { id: whole }).idError).toBeNull();

      const params = new URLSearchParams({ org: base(), id: whole.slice(-6) });
      const html = render(
        registerPage.default,
        await registerPage.loader({ context: contextFor("registrar"), request: get(`/certificates?${params}`), params: {} }),
        { search: params.toString() },
      );
      expect(html).toMatch(/<input id="r-id"[^>]*aria-invalid="true"[^>]*aria-describedby="r-id-error"/);
      expect(html).toContain(`id="r-id-error" role="alert">${zh("certificate.idSearchWhole")}`);
    });

    it("lets admins, who see ID numbers whole, find by the beginning of one", () => {
      expect(names("admin", { id: more[0].idNumber.slice(0, 16) })).toEqual(["冯晓梅"]);
      expect(names("admin", { id: more[0].idNumber.toLowerCase() })).toEqual(["冯晓梅"]);
      expect(searchAs("admin", { id: "1011" }).idError).toBeNull();
    });

    it("treats % and _ as the characters typed, not as wildcards", () => {
      expect(names("registrar", {}).length).toBeGreaterThan(2);
      expect(names("registrar", { name: "%" })).toEqual([]);
      expect(names("registrar", { name: "冯_梅" })).toEqual([]);
      expect(names("registrar", { serial: "_" })).toEqual([]);
      expect(names("registrar", { serial: "%" })).toEqual([]);
      expect(names("admin", { id: "%" })).toEqual([]);
      expect(names("admin", { id: "3301_5" })).toEqual([]);
      expect(names("registrar", { name: "冯晓" })).toEqual(["冯晓梅"]);
    });
  });

  describe("a register larger than one page", () => {
    const total = 520;
    beforeAll(() => {
      // Earlier versions of one certificate, each superseded, so each is its own register entry.
      const original = certificateOf("冯晓梅");
      const copies = Array.from({ length: total }, (_, i) => ({
        ...original,
        id: randomUUID(),
        serial: makeSerial(2026, randomBytes(5)),
        holderName: "批量核对",
        pdfSha256: `copy-${i}`,
        supersededById: original.id,
      }));
      db().transaction((tx) => {
        for (const c of copies) tx.insert(certificates).values(c).run();
      });
    });

    it("lists a page at a time with the true total, and the next page goes on where the first stopped", async () => {
      const params = new URLSearchParams({ org: orgId("BASE-GERI"), name: "批量核对" });
      const first = await registerPage.loader({ context: contextFor("registrar"), request: get(`/certificates?${params}`), params: {} });
      expect(first.rows).toHaveLength(50);
      expect(first.total).toBe(total);
      expect(first.info).toMatchObject({ page: 1, from: 1, to: 50, hasNext: true, hasPrevious: false });
      const html = render(registerPage.default, first, { search: params.toString() });
      expect(html).toContain(zh("certificate.found", { n: total }));
      expect(html).toContain(zh("paging.rowsOf", { from: 1, to: 50, total }));
      params.set("page", "11");
      const last = await registerPage.loader({ context: contextFor("registrar"), request: get(`/certificates?${params}`), params: {} });
      expect(last.rows).toHaveLength(total - 500);
      expect(last.info).toMatchObject({ page: 11, from: 501, to: total, hasNext: false, hasPrevious: true });
      expect(new Set([...first.rows, ...last.rows].map((r) => r.id)).size).toBe(50 + total - 500);

      const narrow = new URLSearchParams({ org: orgId("BASE-GERI"), name: "冯晓梅" });
      const few = await registerPage.loader({ context: contextFor("registrar"), request: get(`/certificates?${narrow}`), params: {} });
      expect(few.total).toBe(few.rows.length);
      expect(render(registerPage.default, few, { search: narrow.toString() })).not.toContain('data-testid="pager"');
    });

    it("exports every matching certificate", async () => {
      const params = new URLSearchParams({ org: orgId("BASE-GERI"), name: "批量核对" });
      const response = await registerExport.loader({
        context: contextFor("registrar"),
        request: get(`/certificates/export.xlsx?${params}`),
        params: {},
      });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await response.arrayBuffer());
      const sheet = workbook.worksheets[0];
      expect(sheet.actualRowCount - 1).toBe(total);
      // ID numbers stay masked in a registrar's export.
      expect(String(sheet.getRow(2).getCell(3).value)).toMatch(/^3301\*+\d{3}X$/);
    });
  });
});

describe("checking an uploaded file", () => {
  const post = (body?: BodyInit) =>
    verifyPage.action({
      request: new Request("http://localhost/verify", { method: "POST", body }),
      params: {},
      context: contextFor("trainee"),
    });
  const withFile = (bytes: Uint8Array<ArrayBuffer>) => {
    const form = new FormData();
    form.set("pdf", new File([bytes], "certificate.pdf", { type: "application/pdf" }));
    return form;
  };

  it("says a file over the size limit is too large, next to the file field, instead of failing", async () => {
    const result = await post(withFile(new Uint8Array(6 * 1024 * 1024)));
    expect(result).toMatchObject({ result: null, reply: { error: { pdf: ["verify.tooLarge"] } } });
    const html = render(verifyPage.default, { typed: "", error: null }, { actionData: result });
    expect(html).toMatch(/<input id="verify-file-pdf"[^>]*aria-invalid="true"[^>]*aria-describedby="verify-file-pdf-error"/);
    expect(html).toContain(`id="verify-file-pdf-error" role="alert">${zh("verify.tooLarge")}`);
  });

  it("asks for a file when none was sent, whatever the body", async () => {
    const noFile = { result: null, reply: { status: "error", error: { pdf: ["verify.noFile"] } } };
    expect(await post()).toMatchObject(noFile);
    expect(await post(new URLSearchParams({ pdf: "x" }))).toMatchObject(noFile);
    const empty = new FormData();
    empty.set("other", "x");
    expect(await post(empty)).toMatchObject(noFile);
    expect(await post(withFile(new Uint8Array(0)))).toMatchObject(noFile);
    const cut = await verifyPage.action({
      request: new Request("http://localhost/verify", {
        method: "POST",
        headers: { "Content-Type": "multipart/form-data; boundary=zzz" },
        body: '--zzz\r\nContent-Disposition: form-data; name="pdf"; filename="a.pdf"\r\n\r\n%PDF',
      }),
      params: {},
      context: contextFor("trainee"),
    });
    expect(cut).toMatchObject(noFile);
  });

  it("still recognises an issued PDF", async () => {
    const c = searchCertificates({ organisationId: orgId("BASE-GERI"), name: "冯晓梅" })[0];
    const checked = await post(withFile(new Uint8Array(await certificatePdf(c))));
    expect(checked.reply.error).toBeUndefined();
    expect(checked).toMatchObject({
      result: { match: true, certificate: { serial: c.serial } },
    });
  });
});

describe("issuing before the cohort ends", () => {
  it("is refused without a reason, and with one the reason is kept in the audit log", async () => {
    const early = await cohortWithTrainees("BASE-GERI", [{ name: "提前结业", mobile: "13600002911", idNumber: id("33010519720303939") }]);
    db().update(cohorts).set({ endDate: "2027-01-31" }).where(eq(cohorts.id, early.cohort.id)).run();
    await completeEnrolment(early.cohort, early.enrolmentIds[0]);
    expect(await issueCertificate(registrar(), early.enrolmentIds[0])).toEqual({
      ok: false,
      errors: { _form: "certificate.cohortNotEnded" },
    });
    expect(await issueForCohort(registrar(), early.cohort.id, today(), "   ")).toEqual({
      issued: 0,
      refused: [{ name: "提前结业", refusal: { ok: false, errors: { _form: "certificate.cohortNotEnded" } } }],
    });
    const issued = await issueCertificate(registrar(), early.enrolmentIds[0], today(), "学员提前完成全部培训并通过考核，用人单位急需上岗");
    expect(issued.ok).toBe(true);
    const logged = db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "certificate.issue"), eq(auditLog.entityId, issued.ok ? issued.value : "")))
      .get()!;
    expect(JSON.parse(logged.details!)).toMatchObject({
      earlyCompletionReason: "学员提前完成全部培训并通过考核，用人单位急需上岗",
      cohortEnd: "2027-01-31",
    });
    // After its end date no reason is asked.
    expect(await issueCertificate(registrar(), early.enrolmentIds[0], "2027-02-01")).toEqual({
      ok: false,
      errors: { _form: "certificate.alreadyIssued" },
    });
  });
});
