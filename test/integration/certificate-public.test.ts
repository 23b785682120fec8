import { randomBytes, randomUUID } from "node:crypto";
import { createElement, type ComponentType, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { unzipSync } from "fflate";
import { and, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "../../db/client.server";
import { auditLog, certificates, loginFailures } from "../../db/schema";
import type { RequestContext } from "../../app/context";
import { checkCharacter } from "../../app/domain/resident-id";
import { makeSerial } from "../../app/domain/serial";
import { translator } from "../../app/i18n/messages";
import * as publicPage from "../../app/routes/v.$serial";
import * as certificatePage from "../../app/routes/certificates.$certificateId";
import * as cohortCertificatesPage from "../../app/routes/bases.$orgId.cohorts.$cohortId.certificates";
import * as zipDownload from "../../app/routes/certificates.zip";
import {
  cohortCertificates,
  getCertificate,
  issueForCohort,
  reissueCertificate,
  type Certificate,
} from "../../app/services/certificates.server";
import { checkHolder, holderCheckKey } from "../../app/services/holder-check.server";
import { cohortWithTrainees, completeEnrolment, contextFor, orgId, userId, withDemoData } from "./fixtures";

// Pages are rendered to HTML outside a router: the route hooks hand them what their loader and action returned.
const page = vi.hoisted(() => ({ data: undefined as unknown, actionData: undefined as unknown }));
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
    useSearchParams: () => [new URLSearchParams(), () => undefined],
    useNavigation: () => ({ state: "idle" }),
    useLocation: () => ({ pathname: "/", search: "", hash: "" }),
    Link: ({ to, ...props }: Props) => createElement("a", { ...drop(props), href: String(to) }),
    Form: (props: Props) => createElement("form", drop(props)),
  };
});

function render(Page: ComponentType, data: unknown, actionData?: unknown): string {
  page.data = JSON.parse(JSON.stringify(data));
  page.actionData = actionData === undefined ? undefined : JSON.parse(JSON.stringify(actionData));
  return renderToString(createElement(Page));
}

const zh = translator("zh-CN");
const id = (first17: string) => first17 + checkCharacter(first17);
const people = [
  { name: "沈慧珍", mobile: "13600003001", idNumber: id("33010519610101101") },
  { name: "韩志强", mobile: "13600003002", idNumber: id("33010519620202202") },
  { name: "曹秀英", mobile: "13600003003", idNumber: id("33010519630303303") },
];
let cohortId = "";
const certificateOf = (name: string): Certificate =>
  getCertificate(cohortCertificates(cohortId).find((r) => r.name === name)!.certificateId!)!;
/** Someone on the public page: no session. */
const visitor: RequestContext = {
  user: null,
  sessionId: null,
  clientAddress: "198.51.100.9",
  secure: false,
  httpSignIn: true,
  cspNonce: "",
  locale: "zh-CN",
};

beforeAll(async () => {
  await withDemoData();
  const made = await cohortWithTrainees("BASE-GERI", people);
  cohortId = made.cohort.id;
  for (const e of made.enrolmentIds) await completeEnrolment(made.cohort, e);
  expect(await issueForCohort(userId("registrar"), cohortId)).toEqual({ issued: 3, refused: [] });
}, 60_000);

async function loadPublic(serial: string) {
  const result = await publicPage.loader({ request: new Request(`http://localhost/v/${serial}`), params: { serial }, context: visitor });
  return { status: result.init?.status ?? 200, data: result.data };
}

function postCheck(serial: string, fields: Record<string, string>) {
  return publicPage.action({
    request: new Request(`http://localhost/v/${serial}`, { method: "POST", body: new URLSearchParams(fields) }),
    params: { serial },
    context: visitor,
  });
}

describe("the public page /v/<serial>", () => {
  it("shows programme and version, theory and practice hours, the training period, base and dates, with the name masked", async () => {
    const c = certificateOf("沈慧珍");
    const { status, data } = await loadPublic(c.serial);
    expect(status).toBe(200);
    expect(data.lookup).toMatchObject({
      kind: "found",
      certificate: {
        programTitle: c.programTitle,
        programVersion: c.programVersion,
        theoryHours: c.theoryHours,
        practiceHours: c.practiceHours,
        cohortStart: "2026-09-01",
        cohortEnd: "2026-11-30",
        hasIdNumber: true,
      },
    });
    const html = render(publicPage.default, data);
    expect(html).toContain(zh("certificate.hoursValue", { theory: c.theoryHours, practice: c.practiceHours }));
    expect(html).toContain(zh("verify.periodValue", { start: "2026-09-01", end: "2026-11-30" }));
    expect(html).toContain(`<dd>${c.programTitle}<!-- -->（v<!-- -->${c.programVersion}<!-- -->）</dd>`);
    expect(html).toContain(c.organisationName);
    expect(html).toContain(c.issueDate);
    expect(html).toContain("沈*珍");
    expect(html).not.toContain("沈慧珍");
    expect(html).not.toContain(c.holderIdNumber!.slice(-4));
    // The holder check, asking for the name and the ID number's last four characters.
    expect(html).toContain(zh("holderCheck.title"));
    expect(html).toContain(zh("holderCheck.idTail"));
  });

  it("answers 404 for a well-formed serial no certificate has, still with the friendly page", async () => {
    const unknown = makeSerial(2026, Buffer.from([1, 2, 3, 4, 5]));
    const { status, data } = await loadPublic(unknown);
    expect(status).toBe(404);
    expect(data.lookup).toEqual({ kind: "notFound", serial: unknown });
    expect(render(publicPage.default, data)).toContain(zh("verify.notFound", { serial: unknown }));
  });

  it("answers 404 for a mistyped serial too, keeping its message that the serial is mistyped", async () => {
    const c = certificateOf("沈慧珍");
    const mistyped = c.serial.slice(0, -1) + (c.serial.endsWith("0") ? "1" : "0");
    const { status, data } = await loadPublic(mistyped);
    expect(status).toBe(404);
    expect(render(publicPage.default, data)).toContain(zh("verify.mistyped"));
    await expect(postCheck(mistyped, { name: "沈慧珍", idTail: "1011" })).rejects.toMatchObject({ status: 404 });
  });
});

describe("checking the holder on the public page", () => {
  const audits = (c: Certificate) =>
    db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, c.id), eq(auditLog.action, "certificate.holder-check")))
      .all();

  it("says only 匹配 or 不匹配, compares names across spaces and the ID's last four without case, and logs each check without what was typed", async () => {
    const c = certificateOf("韩志强");
    const tail = c.holderIdNumber!.slice(-4);
    const wrong = await postCheck(c.serial, { name: "韩志刚", idTail: tail });
    expect(wrong).toMatchObject({ outcome: "noMatch" });
    const wrongHtml = render(publicPage.default, (await loadPublic(c.serial)).data, wrong);
    expect(wrongHtml).toMatch(/data-testid="holder-check-result" data-outcome="noMatch"><strong>不匹配<\/strong>/);
    expect(await postCheck(c.serial, { name: "韩志强", idTail: "0000" })).toMatchObject({ outcome: "noMatch" });

    const right = await postCheck(c.serial, { name: "\u3000韩 志强 ", idTail: tail.toLowerCase() });
    expect(right).toMatchObject({ outcome: "match", byNameOnly: false });
    const rightHtml = render(publicPage.default, (await loadPublic(c.serial)).data, right);
    expect(rightHtml).toMatch(/data-outcome="match"><strong>匹配<\/strong>/);
    // The answer never carries the record: no full ID number, no unmasked name beyond what was typed.
    expect(JSON.stringify(right)).not.toContain(c.holderIdNumber!);

    const logged = audits(c);
    expect(logged.map((a) => JSON.parse(a.details!).result)).toEqual(["noMatch", "noMatch", "match"]);
    for (const a of logged) {
      expect(a.actorUserId).toBeNull();
      expect(a.details).not.toContain("韩志");
      expect(a.details).not.toContain(tail);
      expect(JSON.parse(a.details!)).toMatchObject({ serial: c.serial, byNameOnly: false, address: visitor.clientAddress });
    }
  });

  it("asks for what is missing next to the field, without counting it as an attempt", async () => {
    const c = certificateOf("韩志强");
    const before = db()
      .select()
      .from(loginFailures)
      .where(eq(loginFailures.key, holderCheckKey(c.id)))
      .all().length;
    const result = await postCheck(c.serial, { name: "韩志强", idTail: "12" });
    expect(result).toMatchObject({ outcome: "invalid", reply: { error: { idTail: ["holderCheck.idTailFormat"] } } });
    const html = render(publicPage.default, (await loadPublic(c.serial)).data, result);
    expect(html).toMatch(/aria-invalid="true" aria-describedby="holder-check-idTail-error"/);
    expect(html).toContain(zh("holderCheck.idTailFormat"));
    expect(
      db()
        .select()
        .from(loginFailures)
        .where(eq(loginFailures.key, holderCheckKey(c.id)))
        .all(),
    ).toHaveLength(before);
  });

  it("takes five checks of a certificate in 15 minutes, then says in Chinese when to try again, counting in the database", async () => {
    const c = certificateOf("曹秀英");
    const tail = c.holderIdNumber!.slice(-4);
    const now = Date.parse("2026-10-01T02:00:00.000Z"); // 10:00 in China
    for (let i = 0; i < 5; i++)
      expect(checkHolder(c, { name: "曹秀", idTail: tail }, { clientAddress: "203.0.113.1", now: now + i * 60_000 }).outcome).toBe(
        "noMatch",
      );
    // The count is in the shared table, so every server process sees it.
    expect(
      db()
        .select()
        .from(loginFailures)
        .where(eq(loginFailures.key, holderCheckKey(c.id)))
        .all(),
    ).toHaveLength(5);
    const locked = checkHolder(c, { name: "曹秀英", idTail: tail }, { clientAddress: "203.0.113.2", now: now + 5 * 60_000 });
    expect(locked).toEqual({ outcome: "locked", minutes: 14, hours: 1, when: "2026-10-01 10:19" });
    const html = render(publicPage.default, (await loadPublic(c.serial)).data, { ...locked, values: { name: "", idTail: "" } });
    expect(html).toContain("该证书的核对次数过多，请 14 分钟后（北京时间 2026-10-01 10:19 以后）再试。");
    expect(html).toMatch(/<form[^>]*>.*data-outcome="locked".*<\/form>/s);
    // Another certificate is not held up.
    expect(
      checkHolder(
        certificateOf("沈慧珍"),
        { name: "沈慧珍", idTail: certificateOf("沈慧珍").holderIdNumber!.slice(-4) },
        { clientAddress: "203.0.113.2", now: now + 5 * 60_000 },
      ).outcome,
    ).toBe("match");
    // After the wait, checks are taken again.
    expect(checkHolder(c, { name: "曹秀英", idTail: tail }, { clientAddress: "203.0.113.2", now: now + 20 * 60_000 }).outcome).toBe(
      "match",
    );
    expect(audits(c).map((a) => JSON.parse(a.details!).result)).toEqual([
      "noMatch",
      "noMatch",
      "noMatch",
      "noMatch",
      "noMatch",
      "locked",
      "match",
    ]);
  });

  it("allows twenty checks of a certificate in a day, then says how many hours to wait", () => {
    const c = certificateOf("曹秀英");
    db()
      .delete(loginFailures)
      .where(eq(loginFailures.key, holderCheckKey(c.id)))
      .run();
    const start = Date.parse("2026-10-02T00:00:00.000Z");
    for (let i = 0; i < 20; i++)
      expect(
        checkHolder(c, { name: "曹秀英", idTail: "0000" }, { clientAddress: "203.0.113.3", now: start + i * 20 * 60_000 }).outcome,
      ).not.toBe("locked");
    const locked = checkHolder(c, { name: "曹秀英", idTail: "0000" }, { clientAddress: "203.0.113.3", now: start + 20 * 20 * 60_000 });
    expect(locked).toMatchObject({ outcome: "locked", hours: 24 });
    expect(
      db()
        .select()
        .from(loginFailures)
        .where(like(loginFailures.key, "holder-check:%"))
        .all()
        .every((r) => r.key.startsWith("holder-check:")),
    ).toBe(true);
  });

  it("matches a certificate without an ID number by the name alone, and says so", async () => {
    const original = certificateOf("沈慧珍");
    const copy = {
      ...original,
      id: randomUUID(),
      serial: makeSerial(2026, randomBytes(5)),
      holderIdNumber: null,
      pdfSha256: `no-id-${randomUUID()}`,
      supersededById: original.id,
    };
    db().insert(certificates).values(copy).run();
    const { data } = await loadPublic(copy.serial);
    const html = render(publicPage.default, data);
    expect(html).toContain(zh("holderCheck.helpNameOnly"));
    expect(html).not.toContain(zh("holderCheck.idTail"));
    const result = await postCheck(copy.serial, { name: "沈慧珍" });
    expect(result).toMatchObject({ outcome: "match", byNameOnly: true });
    expect(render(publicPage.default, data, result)).toContain(zh("holderCheck.matchNameOnly"));
    expect(await postCheck(copy.serial, { name: "沈慧" })).toMatchObject({ outcome: "noMatch" });
  });
});

describe("revoking", () => {
  const args = (c: Certificate, body: Record<string, string>) => ({
    context: contextFor("registrar"),
    params: { certificateId: c.id },
    request: new Request(`http://localhost/certificates/${c.id}`, { method: "POST", body: new URLSearchParams(body) }),
  });

  it("is refused without the ticked confirmation, with the message next to it, and nothing changes", async () => {
    const c = certificateOf("韩志强");
    const audits = db().select().from(auditLog).all().length;
    const refused = await certificatePage.action(args(c, { intent: "revoke", reason: "issuedInError", note: "考勤有误" }));
    expect(refused.reply.error).toEqual({ confirm: ["certificate.revokeConfirmRequired"] });
    for (const other of ["no", "", "on"]) {
      expect(
        (await certificatePage.action(args(c, { intent: "revoke", reason: "issuedInError", note: "考勤有误", confirm: other }))).reply
          .error,
      ).toEqual({ confirm: ["certificate.revokeConfirmRequired"] });
    }
    expect(getCertificate(c.id)).toEqual(c);
    expect(db().select().from(auditLog).all().length).toBe(audits);

    const html = render(
      certificatePage.default,
      await certificatePage.loader({ ...args(c, {}), request: new Request(`http://localhost/certificates/${c.id}`) }),
      refused,
    );
    expect(html).toMatch(
      /<input type="checkbox" name="confirm" aria-invalid="true" aria-describedby="revoke-confirm-error" value="yes"\/>/,
    );
    expect(html).toContain(`id="revoke-confirm-error" role="alert">${zh("certificate.revokeConfirmRequired")}`);
    // What was chosen and typed stays in the form.
    expect(html).toContain('value="考勤有误"');
  });

  it("goes ahead once confirmed", async () => {
    const c = certificateOf("韩志强");
    await expect(
      certificatePage.action(args(c, { intent: "revoke", reason: "issuedInError", note: "考勤有误", confirm: "yes" })),
    ).rejects.toMatchObject({ status: 302 });
    expect(getCertificate(c.id)!.revokedAt).not.toBeNull();
  });
});

describe("the cohort's certificate tab", () => {
  it("shows a revoked serial struck through with its own badge, and a replaced one muted, saying what replaced it", async () => {
    const replaced = certificateOf("沈慧珍");
    const reissued = await reissueCertificate(userId("registrar"), replaced.id, "姓名更正");
    if (!reissued.ok) throw new Error(reissued.errors._form);
    const successor = getCertificate(reissued.value)!;
    const revoked = certificateOf("韩志强");
    expect(revoked.revokedAt).not.toBeNull();
    const params = { orgId: orgId("BASE-GERI"), cohortId };
    const loaded = await cohortCertificatesPage.loader({
      context: contextFor("registrar"),
      request: new Request(`http://localhost/bases/${params.orgId}/cohorts/${cohortId}/certificates`),
      params,
    });
    const html = render(cohortCertificatesPage.default, loaded);

    expect(html).toMatch(
      new RegExp(
        `<a class="serial-revoked" href="/certificates/${revoked.id}">${revoked.serial}</a> <span class="badge revoked" data-testid="certificate-status">已撤销</span>`,
      ),
    );
    expect(html).toMatch(
      new RegExp(
        `<tr class="superseded" data-status="superseded">.*?<a href="/certificates/${replaced.id}">${replaced.serial}</a> <span class="badge superseded" data-testid="certificate-status">已换发</span><div class="muted">已被 ${successor.serial} 取代</div>`,
      ),
    );
    expect(html).toMatch(
      new RegExp(
        `<a href="/certificates/${successor.id}">${successor.serial}</a> <span class="badge accredited" data-testid="certificate-status">有效</span>`,
      ),
    );
    // Neither a revoked nor a reissued enrolment is offered a new certificate.
    expect(html).not.toContain('name="enrolmentId"');
  });
});

describe("the zip of selected certificates", () => {
  it("names each file <serial>-<name>.pdf, safe whatever the name, once per certificate", async () => {
    const original = certificateOf("曹秀英");
    const copies = ["../../etc", "a/b\\c", "a／b＼c"].map((holderName, i) => ({
      ...original,
      id: randomUUID(),
      holderName,
      pdfSha256: `zip-${i}-${randomUUID()}`,
      serial: makeSerial(2026, randomBytes(5)),
      supersededById: original.id,
    }));
    db().insert(certificates).values(copies).run();
    const form = new FormData();
    // The same certificate chosen twice is one file.
    for (const c of [original, ...copies, original]) form.append("id", c.id);
    const response = await zipDownload.action({
      context: contextFor("registrar"),
      params: {},
      request: new Request("http://localhost/certificates/zip", { method: "POST", body: form }),
    });
    const names = Object.keys(unzipSync(new Uint8Array(await response.arrayBuffer())));
    expect(names).toEqual([
      `${original.serial}-曹秀英.pdf`,
      `${copies[0].serial}-_._etc.pdf`,
      `${copies[1].serial}-a_b_c.pdf`,
      `${copies[2].serial}-a_b_c.pdf`,
    ]);
    for (const n of names) {
      expect(n).not.toMatch(/[\/\\]/);
      expect(n).not.toContain("..");
    }
  });
});
