import { beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { auditLog } from "../../db/schema";
import { createOrganisation, getOrganisation, updateOrganisation } from "../../app/services/organisations.server";
import { orgId, userId, withDemoData } from "./fixtures";

beforeAll(withDemoData);

function asForm(id: string) {
  const o = getOrganisation(id)!;
  return {
    code: o.code,
    name: o.name,
    kind: o.kind,
    parentId: o.parentId ?? "",
    region: o.regionCode ?? "",
    address: o.address,
    contactPhone: o.contactPhone,
    active: o.active,
  };
}
const updates = () => db().select({ n: count() }).from(auditLog).where(eq(auditLog.action, "organisation.update")).get()!.n;

describe("changing an organisation's kind", () => {
  it.each([
    ["a base with accreditation records and cohorts", "BASE-GERI", "member_institution"],
    ["a bureau with a reviewer", "BUREAU-GS", "member_institution"],
    ["a hospital with departments and mentors", "HZ-GERI", "training_base"],
  ] as const)("is refused for %s, and changes nothing", (_, code, kind) => {
    const id = orgId(code);
    const before = { org: getOrganisation(id), updates: updates() };
    expect(updateOrganisation(userId("admin"), id, { ...asForm(id), kind, name: "改名" })).toEqual({
      ok: false,
      errors: { kind: "org.kindInUse" },
    });
    expect({ org: getOrganisation(id), updates: updates() }).toEqual(before);
  });

  it("still allows other changes to such an organisation", () => {
    const id = orgId("BASE-FY");
    expect(updateOrganisation(userId("admin"), id, { ...asForm(id), address: "杭州市富阳区新址" })).toEqual({ ok: true, value: id });
    expect(getOrganisation(id)!.address).toBe("杭州市富阳区新址");
  });

  it("is allowed while nothing rests on the kind", () => {
    const created = createOrganisation(userId("admin"), {
      code: "NEW-ORG",
      name: "新机构",
      kind: "member_institution",
      parentId: "",
      region: "浙江省杭州市富阳区",
      address: "",
      contactPhone: "",
    });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    expect(updateOrganisation(userId("admin"), created.value, { ...asForm(created.value), kind: "training_base" })).toEqual({
      ok: true,
      value: created.value,
    });
    expect(getOrganisation(created.value)!.kind).toBe("training_base");
  });
});

describe("an organisation's region", () => {
  const input = (over: Partial<Parameters<typeof createOrganisation>[1]> = {}) => ({
    code: `ORG-${Math.random().toString(36).slice(2, 8)}`,
    name: "某机构",
    kind: "member_institution" as const,
    parentId: "",
    region: "",
    address: "",
    contactPhone: "",
    ...over,
  });

  it("is read from a name or a code, and stored as its GB/T 2260 code", () => {
    for (const region of ["330111", "浙江省杭州市富阳区", "浙江省杭州市富阳区（330111）", "富阳区"]) {
      const created = createOrganisation(userId("admin"), input({ region }));
      if (!created.ok) throw new Error(JSON.stringify(created.errors));
      expect(getOrganisation(created.value)!.regionCode, region).toBe("330111");
    }
  });

  it("is required of everything but an alliance, and must be a real region, said next to the field", () => {
    expect(createOrganisation(userId("admin"), input())).toEqual({ ok: false, errors: { region: "error.regionRequired" } });
    expect(createOrganisation(userId("admin"), input({ region: "330183" }))).toEqual({
      ok: false,
      errors: { region: "error.regionNotFound" },
    });
    expect(createOrganisation(userId("admin"), input({ region: "朝阳区" }))).toEqual({
      ok: false,
      errors: { region: "error.regionAmbiguous" },
    });
    expect(createOrganisation(userId("admin"), input({ kind: "alliance" })).ok).toBe(true);
  });

  it("holds one authority of each kind: a second 富阳区卫生健康局 is refused, a 富阳区民政局 is not", () => {
    expect(createOrganisation(userId("admin"), input({ kind: "health_bureau", region: "330111" }))).toEqual({
      ok: false,
      errors: { region: "error.authorityTaken" },
    });
    expect(createOrganisation(userId("admin"), input({ kind: "civil_affairs_bureau", region: "330111" })).ok).toBe(true);
  });
});
