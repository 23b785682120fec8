import { beforeAll, describe, expect, it } from "vitest";
import { count } from "drizzle-orm";
import { db } from "../../db/client.server";
import { seedDemo } from "../../db/seed/demo";
import { auditLog, organisations, users } from "../../db/schema";
import { requireGlobalPermission, requirePermission } from "../../app/auth/guard.server";
import { listAudit } from "../../app/services/audit.server";
import {
  accreditationOn,
  accreditationHistory,
  createOrganisation,
  designateBase,
  updateOrganisation,
} from "../../app/services/organisations.server";
import { assignRole, createUser, removeRole, rolesOf, updateUser } from "../../app/services/users.server";
import { contextFor, orgId, userId, withDemoData } from "./fixtures";

beforeAll(withDemoData);

const request = new Request("http://localhost/bases/x");

function statusOf(fn: () => unknown): number | "ok" {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
}

describe("role scoping on the server", () => {
  it("a registrar reaches their own base and gets 403 at another", () => {
    const ctx = contextFor("registrar");
    expect(statusOf(() => requirePermission(ctx, request, "view:base", { organisationId: orgId("BASE-GERI") }))).toBe("ok");
    expect(statusOf(() => requirePermission(ctx, request, "view:base", { organisationId: orgId("BASE-FY") }))).toBe(403);
    expect(statusOf(() => requirePermission(ctx, request, "manage:cohort", { organisationId: orgId("BASE-FY") }))).toBe(403);
  });

  it("a trainee reaches only their own records", () => {
    const ctx = contextFor("trainee");
    expect(statusOf(() => requirePermission(ctx, request, "view:learning", { ownerUserId: userId("trainee") }))).toBe("ok");
    expect(statusOf(() => requirePermission(ctx, request, "view:learning", { ownerUserId: userId("registrar") }))).toBe(403);
  });

  it("admin screens need the admin role; a signed-out visitor is sent to sign in", () => {
    expect(statusOf(() => requireGlobalPermission(contextFor("admin"), request, "manage:user"))).toBe("ok");
    expect(statusOf(() => requireGlobalPermission(contextFor("registrar"), request, "manage:user"))).toBe(403);
    const anonymous = {
      user: null,
      sessionId: null,
      clientAddress: "127.0.0.1",
      secure: false,
      httpSignIn: true,
      cspNonce: "",
      locale: "zh-CN" as const,
    };
    expect(statusOf(() => requireGlobalPermission(anonymous, request, "manage:user"))).toBe(302);
  });

  it("a person may hold several roles, each scoped to its organisation", () => {
    const admin = userId("admin");
    const instructor = userId("instructor");
    expect(assignRole(admin, instructor, orgId("BASE-FY"), "registrar")).toMatchObject({ ok: true });
    const ctx = contextFor("instructor");
    expect(statusOf(() => requirePermission(ctx, request, "manage:cohort", { organisationId: orgId("BASE-FY") }))).toBe("ok");
    expect(statusOf(() => requirePermission(ctx, request, "manage:cohort", { organisationId: orgId("BASE-GERI") }))).toBe(403);
    const assignment = rolesOf(instructor).find((r) => r.role === "registrar")!;
    expect(removeRole(admin, instructor, assignment.id)).toEqual({ ok: true, value: true });
    expect(
      statusOf(() => requirePermission(contextFor("instructor"), request, "manage:cohort", { organisationId: orgId("BASE-FY") })),
    ).toBe(403);
  });

  it("refuses a role at the wrong kind of organisation or twice", () => {
    const admin = userId("admin");
    expect(assignRole(admin, userId("trainee"), orgId("BUREAU-GS"), "registrar")).toEqual({
      ok: false,
      errors: { role: "error.roleKind" },
    });
    expect(assignRole(admin, userId("registrar"), orgId("BASE-GERI"), "registrar")).toEqual({
      ok: false,
      errors: { role: "error.roleExists" },
    });
  });
});

describe("users", () => {
  it("refuses a second account with the same username, mobile or ID number", async () => {
    const admin = userId("admin");
    const base = { name: "重复", username: "", mobile: "", idNumber: "", password: "long-enough" };
    expect(await createUser(admin, { ...base, username: "registrar" })).toEqual({ ok: false, errors: { username: "error.usernameTaken" } });
    expect(await createUser(admin, { ...base, mobile: "13800000001" })).toEqual({ ok: false, errors: { mobile: "error.mobileTaken" } });
    const trainee = db()
      .select()
      .from(users)
      .all()
      .find((u) => u.username === "trainee")!;
    expect(await createUser(admin, { ...base, username: "someone.new", idNumber: trainee.idNumber! })).toEqual({
      ok: false,
      errors: { idNumber: "error.idNumberTaken" },
    });
    expect(updateUser(admin, userId("registrar"), { name: "陈思远", username: "admin", mobile: "", idNumber: "" })).toEqual({
      ok: false,
      errors: { username: "error.usernameTaken" },
    });
  });
});

describe("organisations and accreditation", () => {
  it("answers whether a base was accredited on a date from its history", () => {
    const base = orgId("BASE-REHAB");
    expect(accreditationOn(base, "2026-08-31").status).toBe("accredited");
    expect(accreditationOn(base, "2026-09-01").status).toBe("suspended");
    designateBase(userId("reviewer"), orgId("BUREAU-GS"), base, {
      number: "拱卫医养培〔2024〕3号",
      status: "accredited",
      hostName: "拱墅区康复医院",
      hostKind: "hospital_with_geriatrics_or_rehabilitation",
      validFrom: "2024-01-01",
      validTo: "2026-12-31",
      effectiveFrom: "2026-10-01",
      note: "整改完成",
    });
    // The record names the bureau that made it and the host institution.
    expect(accreditationHistory(base).at(-1)).toMatchObject({
      authorityName: "拱墅区卫生健康局",
      hostName: "拱墅区康复医院",
      recordedBy: userId("reviewer"),
    });
    expect(accreditationOn(base, "2026-09-15").status).toBe("suspended");
    expect(accreditationOn(base, "2026-10-01").status).toBe("accredited");
    expect(accreditationOn(base, "2027-01-01").status).toBe("expired");
  });

  it("refuses a duplicate organisation code", () => {
    const admin = userId("admin");
    const input = {
      code: "BASE-FY",
      name: "重复",
      kind: "training_base" as const,
      parentId: "",
      region: "330105",
      address: "",
      contactPhone: "",
    };
    expect(createOrganisation(admin, input)).toEqual({ ok: false, errors: { code: "error.codeTaken" } });
    expect(updateOrganisation(admin, orgId("BASE-GERI"), { ...input, active: true })).toEqual({
      ok: false,
      errors: { code: "error.codeTaken" },
    });
  });
});

describe("the audit log", () => {
  it("records who changed organisations, accreditation, users and roles", async () => {
    const admin = userId("admin");
    const created = createOrganisation(admin, {
      code: "NH-NEW",
      name: "新成员养老院",
      kind: "member_institution",
      parentId: orgId("GS-ALLIANCE"),
      region: "330105",
      address: "",
      contactPhone: "",
    });
    expect(created.ok).toBe(true);
    const user = await createUser(admin, {
      name: "新学员",
      username: "new.trainee",
      mobile: "",
      idNumber: "11010519491231002X",
      password: "long-enough",
    });
    if (!user.ok || !created.ok) throw new Error("setup failed");
    assignRole(admin, user.value, created.value, "trainee");
    const actions = listAudit({ limit: 20 }).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["organisation.create", "user.create", "role.assign"]));
    const userEntry = listAudit({ entityType: "user", entityId: user.value }).find((e) => e.action === "user.create")!;
    expect(userEntry.actorName).toBe("林晓燕");
    expect(userEntry.details).not.toContain("11010519491231002X");
  });

  it("cannot be changed or deleted", () => {
    expect(() => db().update(auditLog).set({ action: "tampered" }).run()).toThrow(/append-only/);
    expect(() => db().delete(auditLog).run()).toThrow(/append-only/);
  });
});

describe("demo data", () => {
  it("is created once: seeding again changes nothing", () => {
    const before = db().select({ n: count() }).from(organisations).get()!.n;
    expect(seedDemo(db(), "unused")).toBe(false);
    expect(db().select({ n: count() }).from(organisations).get()!.n).toBe(before);
  });
});

describe("instructors", () => {
  it("record attendance and practicals only for the cohorts they teach", async () => {
    const { createCohort } = await import("../../app/services/cohorts.server");
    const { requireCohort } = await import("../../app/auth/access.server");
    const { programVersions } = await import("../../db/schema");
    const version = db()
      .select()
      .from(programVersions)
      .all()
      .find((v) => v.programCode === "family-caregiver")!;
    const open = (instructorIds: string[]) => {
      const created = createCohort(userId("registrar"), orgId("BASE-GERI"), {
        programVersionId: version.id,
        name: `师资分工${instructorIds.length}`,
        startDate: "2026-11-01",
        endDate: "2027-01-31",
        capacity: 10,
        instructorIds,
      });
      if (!created.ok) throw new Error(JSON.stringify(created.errors));
      return created.value;
    };
    const taught = open([userId("instructor")]);
    const notTaught = open([]);
    const attempt = (username: string, cohortId: string) =>
      statusOf(() => requireCohort(contextFor(username), request, { orgId: orgId("BASE-GERI"), cohortId }, "record:attendance"));
    expect(attempt("instructor", taught)).toBe("ok");
    expect(attempt("instructor", notTaught)).toBe(403);
    // The base's registrar records for every cohort of the base.
    expect(attempt("registrar", notTaught)).toBe("ok");
  });
});
