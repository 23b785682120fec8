import { beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { auditLog, roleAssignments, users } from "../../db/schema";
import { assignRole, removeRole, setActive } from "../../app/services/users.server";
import { orgId, userId, withDemoData } from "./fixtures";

beforeAll(withDemoData);

const isActive = (username: string) =>
  db()
    .select({ active: users.active })
    .from(users)
    .where(eq(users.id, userId(username)))
    .get()!.active;
const adminRoleOf = (username: string) =>
  db()
    .select({ id: roleAssignments.id })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.userId, userId(username)), eq(roleAssignments.role, "admin")))
    .get()?.id;
const deactivations = () => db().select({ n: count() }).from(auditLog).where(eq(auditLog.action, "user.deactivate")).get()!.n;

describe("keeping someone able to administer", () => {
  it("refuses an admin deactivating their own account, and changes nothing", async () => {
    const before = deactivations();
    expect(await setActive(userId("admin"), userId("admin"), false)).toEqual({ ok: false, errors: { _form: "user.cannotDeactivateSelf" } });
    expect(isActive("admin")).toBe(true);
    expect(deactivations()).toBe(before);
  });

  it("refuses deactivating the last active admin", async () => {
    expect(await setActive(userId("reviewer"), userId("admin"), false)).toEqual({ ok: false, errors: { _form: "user.lastAdmin" } });
    expect(isActive("admin")).toBe(true);
  });

  it("refuses removing the last admin role held by an active person", () => {
    expect(removeRole(userId("admin"), userId("admin"), adminRoleOf("admin")!)).toEqual({
      ok: false,
      errors: { _form: "user.lastAdminRole" },
    });
    expect(adminRoleOf("admin")).toBeDefined();
  });

  it("does not count a deactivated admin as another admin", async () => {
    expect(assignRole(userId("admin"), userId("coordinator"), orgId("GS-ALLIANCE"), "admin").ok).toBe(true);
    expect(await setActive(userId("admin"), userId("coordinator"), false)).toEqual({ ok: true, value: true });
    expect(removeRole(userId("admin"), userId("admin"), adminRoleOf("admin")!)).toEqual({
      ok: false,
      errors: { _form: "user.lastAdminRole" },
    });
    expect(await setActive(userId("admin"), userId("coordinator"), true)).toEqual({ ok: true, value: true });
  });

  it("allows both once another active admin remains", async () => {
    expect(removeRole(userId("coordinator"), userId("admin"), adminRoleOf("admin")!)).toEqual({ ok: true, value: true });
    expect(await setActive(userId("coordinator"), userId("admin"), false)).toEqual({ ok: true, value: true });
    expect(isActive("admin")).toBe(false);
  });
});

describe("the admin's list of people", () => {
  it("finds people by the beginning of their name, username or mobile, a page at a time", async () => {
    const { listUsers } = await import("../../app/services/users.server");
    const { pageFrom } = await import("../../app/domain/paging");
    expect(listUsers("林晓").users.map((u) => u.username)).toContain("admin");
    expect(listUsers("regis").users.map((u) => u.username)).toEqual(expect.arrayContaining(["registrar", "registrar.fy"]));
    expect(listUsers("+86 138 0000 0001").users.map((u) => u.username)).toEqual(["trainee"]);
    expect(listUsers("晓燕").users.map((u) => u.username)).not.toContain("admin");
    const first = listUsers("", pageFrom("1", 5));
    const second = listUsers("", pageFrom("2", 5));
    expect(first.users).toHaveLength(5);
    expect(first.info.hasNext).toBe(true);
    expect(second.users.map((u) => u.id)).not.toContain(first.users[0].id);
  });
});
