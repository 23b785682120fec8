import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db/client.server";
import { auditLog, enrolments, users } from "../../db/schema";
import { checkSession } from "../../app/auth/lucia.server";
import { signIn } from "../../app/auth/sign-in.server";
import { activationCodesOf } from "../../app/auth/activation.server";
import { checkCharacter } from "../../app/domain/resident-id";
import { action, loader } from "../../app/routes/bases.$orgId.cohorts.$cohortId.enrol";
import type { Cohort } from "../../app/services/cohorts.server";
import { assignRole, changeOwnPassword, createUser } from "../../app/services/users.server";
import { enrolPeople } from "../../app/services/cohorts.server";
import { cohortWithTrainees, contextFor, orgId, userId, withDemoData } from "./fixtures";

const id = (first17: string) => first17 + checkCharacter(first17);
const LOCKED_OUT = { name: "钱美玲", mobile: "13700000101", idNumber: id("33010519880808101") };
const OTHER_BASE = { name: "孙立新", mobile: "13700000102", idNumber: id("33010519890909102") };
const HOUR = 3600_000;

let geri: Cohort;
let fy: Cohort;
let address = 0;
const nextAddress = () => `10.9.0.${++address}`;
const cookieValue = (setCookie: string) => setCookie.split(";")[0];
const http = { secure: false };
const attempt = (identifier: string, password: string, now?: number) =>
  signIn({ identifier, password, clientAddress: nextAddress(), transport: http, now });
const codeOf = (userId: string) => activationCodesOf([userId]).get(userId)?.code;
const byMobile = (mobile: string) => db().select().from(users).where(eq(users.mobile, mobile)).get()!;

beforeAll(async () => {
  await withDemoData();
  geri = (await cohortWithTrainees("BASE-GERI", [LOCKED_OUT])).cohort;
  fy = (await cohortWithTrainees("BASE-FY", [OTHER_BASE])).cohort;
});

function args(username: string, cohort: Cohort, body?: URLSearchParams) {
  const url = `http://localhost/bases/${cohort.organisationId}/cohorts/${cohort.id}/enrol`;
  const request = body ? new Request(url, { method: "POST", body }) : new Request(url);
  return { request, context: contextFor(username), params: { orgId: cohort.organisationId, cohortId: cohort.id } };
}
const reset = (username: string, cohort: Cohort, traineeId: string) =>
  action(args(username, cohort, new URLSearchParams({ intent: "reset-password", userId: traineeId })));
const statusOf = async (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: unknown) => (e instanceof Response ? e.status : Promise.reject(e)),
  );

/** Enrols someone in a cohort directly, for people a roster could not bring in (no ID number, staff). */
function enrolDirectly(cohort: Cohort, person: string) {
  db()
    .insert(enrolments)
    .values({ id: randomUUID(), cohortId: cohort.id, userId: person, programVersionId: cohort.programVersionId })
    .run();
}

describe("a registrar resets a trainee's password", () => {
  it("to a new activation code: the old password and code stop working, other sessions end, the lock is lifted and the audit log says who did it", async () => {
    const trainee = byMobile(LOCKED_OUT.mobile);
    // The trainee signed in with the code on their slip and set their own password long ago, and is signed in on a phone.
    const first = await attempt(LOCKED_OUT.mobile, codeOf(trainee.id)!);
    if (!first.ok) throw new Error("activation failed");
    expect(await changeOwnPassword(trainee.id, "none", "", "my-own-password-1")).toEqual({ ok: true, value: true });
    expect(codeOf(trainee.id)).toBeUndefined();
    const onPhone = await attempt(LOCKED_OUT.mobile, "my-own-password-1");
    if (!onPhone.ok) throw new Error("sign-in failed");

    // Then forgot it: twenty wrong guesses within a day close the account to new browsers for 24 hours.
    const start = Date.now() - 3 * HOUR;
    for (let i = 0; i < 20; i++) await attempt(LOCKED_OUT.mobile, "guess", start + i * 7 * 60_000);
    expect(await attempt(LOCKED_OUT.mobile, "my-own-password-1")).toMatchObject({ ok: false, error: "lockedAccountLong" });

    const result = await reset("registrar", geri, trainee.id);
    const code = codeOf(trainee.id)!;
    expect(result).toMatchObject({
      intent: "reset-password",
      userId: trainee.id,
      reply: { status: "success" },
      done: { name: LOCKED_OUT.name, signInWith: LOCKED_OUT.mobile, code: `${code.slice(0, 4)}-${code.slice(4)}` },
    });

    const session = onPhone.cookies.find((c) => c.startsWith("session="))!;
    expect((await checkSession(cookieValue(session), http)).userId).toBeNull();
    expect(await attempt(LOCKED_OUT.mobile, "my-own-password-1")).toEqual({ ok: false, error: "invalid" });
    expect(await attempt(LOCKED_OUT.mobile, LOCKED_OUT.idNumber.slice(-6))).toEqual({ ok: false, error: "invalid" });
    expect(await attempt(LOCKED_OUT.mobile, code)).toMatchObject({ ok: true, userId: trainee.id });
    expect(byMobile(LOCKED_OUT.mobile).mustChangePassword).toBe(true);

    const entry = db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "user.password-reset"), eq(auditLog.entityId, trainee.id)))
      .orderBy(desc(auditLog.id))
      .get();
    expect(entry).toMatchObject({ actorUserId: userId("registrar"), entityType: "user", organisationId: orgId("BASE-GERI") });
    expect(JSON.parse(entry!.details)).toEqual({ password: "activation-code" });
  });

  it("an activation code expires after 30 days, and says so", async () => {
    const trainee = byMobile(LOCKED_OUT.mobile);
    const code = codeOf(trainee.id)!;
    expect(await attempt(LOCKED_OUT.mobile, code, Date.now() + 31 * 24 * HOUR)).toEqual({ ok: false, error: "activationExpired" });
  });

  it("is refused to a registrar of another base, even from a cohort page of their own, and changes nothing", async () => {
    const trainee = byMobile(LOCKED_OUT.mobile);
    const audits = () => db().select().from(auditLog).where(eq(auditLog.entityId, trainee.id)).all().length;
    const before = { hash: trainee.passwordHash, audits: audits() };
    expect(await statusOf(reset("registrar.fy", fy, trainee.id))).toBe(403);
    expect(await statusOf(reset("registrar.fy", geri, trainee.id))).toBe(403);
    expect(await statusOf(reset("registrar", geri, byMobile(OTHER_BASE.mobile).id))).toBe(403);
    expect({ hash: byMobile(LOCKED_OUT.mobile).passwordHash, audits: audits() }).toEqual(before);
  });

  it("is refused for a trainee who is also enrolled at another base, even after this base enrolled them", async () => {
    const other = byMobile(OTHER_BASE.mobile);
    // Registrar of 拱墅 enrols 富阳's trainee with their real name, mobile and ID number: linked, not taken over.
    const linked = await enrolPeople(userId("registrar"), geri, [{ row: 1, ...OTHER_BASE, employer: "" }], "single");
    expect(linked).toEqual({ ok: true, enrolled: 1 });
    expect(await statusOf(reset("registrar", geri, other.id))).toBe(403);
    expect(byMobile(OTHER_BASE.mobile).passwordHash).toBe(other.passwordHash);
    // Nor does 拱墅's registrar get 富阳's code for them on a slip.
    const page = await loader(args("registrar", geri));
    expect(page.trainees.find((t) => t.userId === other.id)?.reset).toBe("adminOnly");
  });

  it("is refused for staff enrolled as trainees and for a trainee with no enrolment at the base, even one whose role is held there", async () => {
    enrolDirectly(geri, userId("instructor"));
    expect(await statusOf(reset("registrar", geri, userId("instructor")))).toBe(403);
    expect(await statusOf(reset("registrar", geri, userId("registrar.fy")))).toBe(403);
    expect(await statusOf(reset("registrar", geri, userId("registrar")))).toBe(403);
    const unenrolled = await createUser(userId("admin"), {
      name: "未报名学员",
      username: "",
      mobile: "13700000103",
      idNumber: id("33010519900101103"),
      password: "whatever-123",
    });
    if (!unenrolled.ok) throw new Error(JSON.stringify(unenrolled.errors));
    expect(assignRole(userId("admin"), unenrolled.value, orgId("BASE-GERI"), "trainee").ok).toBe(true);
    expect(await statusOf(reset("registrar", geri, unenrolled.value))).toBe(403);
    expect(await statusOf(reset("registrar", geri, "no-such-person"))).toBe(403);
  });

  it("cannot give an account without a mobile number an activation code, and says to ask an admin", async () => {
    const created = await createUser(userId("admin"), {
      name: "无手机学员",
      username: "",
      mobile: "",
      idNumber: id("33010519900101104"),
      password: "whatever-123",
    });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    expect(assignRole(userId("admin"), created.value, orgId("BASE-GERI"), "trainee").ok).toBe(true);
    enrolDirectly(geri, created.value);
    const hash = db().select().from(users).where(eq(users.id, created.value)).get()!.passwordHash;
    expect(await reset("registrar", geri, created.value)).toEqual({
      intent: "reset-password",
      userId: created.value,
      reply: expect.objectContaining({ status: "error", error: { "": ["cohort.resetNoMobile"] } }),
    });
    expect(db().select().from(users).where(eq(users.id, created.value)).get()!.passwordHash).toBe(hash);

    // The enrolment page offers the reset only where it can be done, and says why elsewhere.
    const page = await loader(args("registrar", geri));
    const offered = Object.fromEntries(page.trainees.map((t) => [t.name, t.reset]));
    expect(offered).toMatchObject({ [LOCKED_OUT.name]: "allowed", 无手机学员: "noMobile", 王丽华: "adminOnly" });
  });
});
