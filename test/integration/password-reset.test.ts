import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db/client.server";
import { auditLog, enrolments, users } from "../../db/schema";
import { checkSession } from "../../app/auth/lucia.server";
import { signIn } from "../../app/auth/sign-in.server";
import { checkCharacter } from "../../app/domain/resident-id";
import { action, loader } from "../../app/routes/bases.$orgId.cohorts.$cohortId.enrol";
import type { Cohort } from "../../app/services/cohorts.server";
import { assignRole, changeOwnPassword, createUser } from "../../app/services/users.server";
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
const reset = (username: string, cohort: Cohort, traineeId: string) => action(args(username, cohort, new URLSearchParams({ intent: "reset-password", userId: traineeId })));
const statusOf = async (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof Response ? e.status : Promise.reject(e)));

/** Enrols someone in a cohort directly, for people a roster could not bring in (no ID number, staff). */
function enrolDirectly(cohort: Cohort, person: string) {
  db().insert(enrolments).values({ id: randomUUID(), cohortId: cohort.id, userId: person, programVersionId: cohort.programVersionId }).run();
}

describe("a registrar resets a trainee's password", () => {
  it("back to the last six of the ID number: the trainee signs in with it, is signed out elsewhere, the 24-hour lock is lifted and the audit log says who did it", async () => {
    const trainee = byMobile(LOCKED_OUT.mobile);
    const provisional = LOCKED_OUT.idNumber.slice(-6);
    // The trainee set their own password long ago and is signed in on a phone.
    expect(await changeOwnPassword(trainee.id, "none", provisional, "my-own-password-1")).toEqual({ ok: true, value: true });
    const onPhone = await signIn({ identifier: LOCKED_OUT.mobile, password: "my-own-password-1", clientAddress: nextAddress() });
    if (!onPhone.ok) throw new Error("sign-in failed");

    // Then forgot it: ten wrong guesses within a day lock the account for 24 hours.
    const start = Date.now() - HOUR;
    for (let i = 0; i < 5; i++) await signIn({ identifier: LOCKED_OUT.mobile, password: "guess", clientAddress: nextAddress(), now: start + i });
    for (let i = 0; i < 5; i++) await signIn({ identifier: LOCKED_OUT.mobile, password: "guess", clientAddress: nextAddress(), now: start + 15 * 60_000 + 10 + i });
    expect(await signIn({ identifier: LOCKED_OUT.mobile, password: provisional, clientAddress: nextAddress() })).toMatchObject({ ok: false, error: "lockedAccountLong" });

    expect(await reset("registrar", geri, trainee.id)).toEqual({
      intent: "reset-password",
      userId: trainee.id,
      errors: {},
      done: { name: LOCKED_OUT.name, signInWith: LOCKED_OUT.mobile },
    });

    expect((await checkSession(cookieValue(onPhone.cookie))).userId).toBeNull();
    expect(await signIn({ identifier: LOCKED_OUT.mobile, password: "my-own-password-1", clientAddress: nextAddress() })).toEqual({ ok: false, error: "invalid" });
    expect(await signIn({ identifier: LOCKED_OUT.mobile, password: provisional, clientAddress: nextAddress() })).toMatchObject({ ok: true, userId: trainee.id });
    expect(byMobile(LOCKED_OUT.mobile).mustChangePassword).toBe(true);

    const entry = db().select().from(auditLog).where(and(eq(auditLog.action, "user.password-reset"), eq(auditLog.entityId, trainee.id))).orderBy(desc(auditLog.id)).get();
    expect(entry).toMatchObject({ actorUserId: userId("registrar"), entityType: "user", organisationId: orgId("BASE-GERI") });
    expect(JSON.parse(entry!.details)).toEqual({ password: "provisional" });
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

  it("is refused for staff enrolled as trainees and for a trainee with no enrolment at the base, even one whose role is held there", async () => {
    enrolDirectly(geri, userId("instructor"));
    expect(await statusOf(reset("registrar", geri, userId("instructor")))).toBe(403);
    expect(await statusOf(reset("registrar", geri, userId("registrar.fy")))).toBe(403);
    expect(await statusOf(reset("registrar", geri, userId("registrar")))).toBe(403);
    const unenrolled = await createUser(userId("admin"), { name: "未报名学员", username: "", mobile: "13700000103", idNumber: id("33010519900101103"), password: "whatever-123" });
    if (!unenrolled.ok) throw new Error(JSON.stringify(unenrolled.errors));
    expect(assignRole(userId("admin"), unenrolled.value, orgId("BASE-GERI"), "trainee").ok).toBe(true);
    expect(await statusOf(reset("registrar", geri, unenrolled.value))).toBe(403);
    expect(await statusOf(reset("registrar", geri, "no-such-person"))).toBe(403);
  });

  it("cannot give a trainee without an ID number a provisional password, and says to ask an admin", async () => {
    const created = await createUser(userId("admin"), { name: "无证学员", username: "", mobile: "13700000104", idNumber: "", password: "whatever-123" });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    expect(assignRole(userId("admin"), created.value, orgId("BASE-GERI"), "trainee").ok).toBe(true);
    enrolDirectly(geri, created.value);
    const hash = byMobile("13700000104").passwordHash;
    expect(await reset("registrar", geri, created.value)).toEqual({ intent: "reset-password", userId: created.value, errors: { _form: "cohort.resetNoIdNumber" } });
    expect(byMobile("13700000104").passwordHash).toBe(hash);

    // The enrolment page offers the reset only where it can be done, and says why elsewhere.
    const page = await loader(args("registrar", geri));
    const offered = Object.fromEntries(page.trainees.map((t) => [t.name, t.reset]));
    expect(offered).toMatchObject({ [LOCKED_OUT.name]: "allowed", 无证学员: "noIdNumber", 王丽华: "adminOnly" });
  });
});
