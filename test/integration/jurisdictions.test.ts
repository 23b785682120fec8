import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { accreditations, auditLog, claims, organisations } from "../../db/schema";
import { loader as claimPage, action as claimAction } from "../../app/routes/subsidy.claims.$claimId._index";
import { loader as claimPdf } from "../../app/routes/subsidy.claims.$claimId.form[.pdf]";
import { loader as claimCsv } from "../../app/routes/subsidy.claims.$claimId.roster[.csv]";
import { loader as claimXlsx } from "../../app/routes/subsidy.claims.$claimId.roster[.xlsx]";
import { loader as subsidyPage } from "../../app/routes/subsidy._index";
import { loader as reviewPage } from "../../app/routes/review._index";
import { action as designate, loader as designationPage } from "../../app/routes/review.bases.$orgId";
import { seedDemoActivity } from "../../app/demo/demo-activity.server";
import { assignDefaultRegion } from "../../app/services/organisations.server";
import { claimableHeads, policyByCode } from "../../app/services/subsidy/eligibility.server";
import { createClaim, submitClaim } from "../../app/services/subsidy/claim-steps.server";
import { contextFor, orgId, userId, withDemoData, passAssessment } from "./fixtures";

beforeAll(async () => {
  await withDemoData();
  await seedDemoActivity();
  passAssessment("BASE-FY");
}, 60_000);

/** What a loader or action answered: its data, or the status of the response it threw. */
async function outcome<T>(fn: () => Promise<T>): Promise<{ status: number; data?: T }> {
  try {
    return { status: 200, data: await fn() };
  } catch (e) {
    if (e instanceof Response) return { status: e.status };
    throw e;
  }
}

const paidClaim = () =>
  db()
    .select()
    .from(claims)
    .where(
      and(eq(claims.organisationId, orgId("BASE-FY")), eq(claims.status, "paid"), eq(claims.policyCode, "instructor-training-subsidy")),
    )
    .get()!;
const get = (path: string) => new Request(`http://localhost${path}`);
const idViews = (claimId: string) =>
  db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "claim.view-ids"), eq(auditLog.entityId, claimId)))
    .all();

describe("a claim under 富阳's instructor policy", () => {
  const open = (username: string) =>
    outcome(() =>
      claimPage({ request: get(`/subsidy/claims/${paidClaim().id}`), context: contextFor(username), params: { claimId: paidClaim().id } }),
    );

  it("is seen by 富阳区卫生健康局's reviewer with whole ID numbers, and every view is logged", async () => {
    const before = idViews(paidClaim().id).length;
    const page = await open("reviewer.fy");
    expect(page.status).toBe(200);
    expect(page.data!.wholeIds).toBe(true);
    expect(page.data!.lines.every((l) => /^\d{17}[\dX]$/.test(l.idNumber!))).toBe(true);
    const views = idViews(paidClaim().id);
    expect(views).toHaveLength(before + 1);
    expect(views.at(-1)).toMatchObject({ actorUserId: userId("reviewer.fy"), organisationId: orgId("BASE-FY") });
    expect(JSON.parse(views.at(-1)!.details)).toEqual({ view: "page", heads: 12 });
  });

  it("is seen by the base's own finance with masked ID numbers, and nothing is logged", async () => {
    const before = idViews(paidClaim().id).length;
    const page = await open("finance.fy");
    expect(page.status).toBe(200);
    expect(page.data!.wholeIds).toBe(false);
    expect(page.data!.lines.every((l) => /^\d{4}\*{10}[\dX]{4}$/.test(l.idNumber!))).toBe(true);
    expect(idViews(paidClaim().id)).toHaveLength(before);
  });

  it("is neither seen nor decided by another authority's reviewer, nor by another base's finance", async () => {
    for (const username of ["reviewer", "reviewer.hr", "finance"]) expect((await open(username)).status, username).toBe(403);
    const draft = createClaim(
      userId("finance.fy"),
      "instructor-training-subsidy",
      orgId("BASE-FY"),
      { from: "2026-01-01", to: "2026-12-31" },
      claimableHeads(policyByCode("instructor-training-subsidy")!, orgId("BASE-FY"), { from: "2026-01-01", to: "2026-12-31" })
        .eligible.map((h) => h.certificateId)
        .slice(0, 2),
    );
    if (!draft.ok) throw new Error(JSON.stringify(draft.errors));
    expect(submitClaim(userId("finance.fy"), draft.value)).toEqual({ ok: true, value: true });
    for (const username of ["reviewer", "reviewer.hr"]) {
      const request = new Request(`http://localhost/subsidy/claims/${draft.value}`, {
        method: "POST",
        body: new URLSearchParams({ intent: "approve" }),
      });
      expect(
        (await outcome(() => claimAction({ request, context: contextFor(username), params: { claimId: draft.value } }))).status,
        username,
      ).toBe(403);
    }
    expect(db().select().from(claims).where(eq(claims.id, draft.value)).get()!.status).toBe("submitted");
  });

  it("exports whole ID numbers to its reviewer, each export logged", async () => {
    const id = paidClaim().id;
    const before = idViews(id).length;
    const args = { request: get(`/subsidy/claims/${id}`), context: contextFor("reviewer.fy"), params: { claimId: id } };
    const csv = await (await claimCsv(args)).text();
    expect(csv).toMatch(/,\d{17}[\dX],/);
    await claimXlsx(args);
    await claimPdf(args);
    expect(
      idViews(id)
        .slice(before)
        .map((v) => JSON.parse(v.details).view),
    ).toEqual(["roster.csv", "roster.xlsx", "form.pdf"]);
    const masked = await (await claimCsv({ ...args, context: contextFor("finance.fy") })).text();
    expect(masked).not.toMatch(/,\d{17}[\dX],/);
  });
});

describe("the subsidy dashboards", () => {
  const dashboard = (username: string, query = "") =>
    outcome(() => subsidyPage({ request: get(`/subsidy${query}`), context: contextFor(username), params: {} }));

  it("富阳's base sees 富阳's policies, and the target counts 富阳's bases only", async () => {
    const { data } = await dashboard("finance.fy");
    expect(data!.policies.map((p) => p.policy.code).sort()).toEqual(["instructor-training-subsidy", "vocational-training-subsidy"]);
    const instructor = data!.policies.find((p) => p.policy.code === "instructor-training-subsidy")!;
    // 12 paid and 10 waiting at BASE-FY; 拱墅's 8 certified instructors are not 富阳's heads.
    expect(instructor.trained.heads).toBe(22);
    expect(instructor.regionTitle).toBe("富阳区");
    expect(data!.policies.find((p) => p.policy.code === "vocational-training-subsidy")!.unconfirmed).toBe(true);
  });

  it("拱墅's base sees no policy, and is told which of its programmes none pays for", async () => {
    const { data } = await dashboard("finance");
    expect(data!.policies).toEqual([]);
    expect(data!.baseRegion).toBe("浙江省杭州市拱墅区");
    expect(data!.uncovered).toContain("养老护理员师资培训");
  });

  it("each reviewer sees the policies of their own authority, over the bases those reach", async () => {
    expect((await dashboard("reviewer.fy")).data!.policies.map((p) => p.policy.code)).toEqual(["instructor-training-subsidy"]);
    expect((await dashboard("reviewer.hr")).data!.policies.map((p) => p.policy.code)).toEqual(["vocational-training-subsidy"]);
    expect((await dashboard("reviewer")).data!.policies).toEqual([]);
    // One base the policy reaches may be picked; a base it does not reach is refused.
    expect((await dashboard("reviewer.fy", `?org=${orgId("BASE-FY")}`)).status).toBe(200);
    expect((await dashboard("reviewer.fy", `?org=${orgId("BASE-GERI")}`)).status).toBe(403);
  });

  it("the review desk lists claims under the authority's own policies and the bases of its region", async () => {
    const fy = (await outcome(() => reviewPage({ request: get("/review"), context: contextFor("reviewer.fy"), params: {} }))).data!;
    expect(fy.bases.map((b) => b.name).sort()).toEqual(["富阳区医养结合培训基地", "富阳区新登镇中心卫生院医养结合培训基地"]);
    expect(fy.bases.every((b) => b.canDesignate)).toBe(true);
    const hr = (await outcome(() => reviewPage({ request: get("/review"), context: contextFor("reviewer.hr"), params: {} }))).data!;
    expect(hr.bases.every((b) => !b.canDesignate)).toBe(true);
    expect(hr.claims.every((c) => c.policyCode === "vocational-training-subsidy")).toBe(true);
    const gs = (await outcome(() => reviewPage({ request: get("/review"), context: contextFor("reviewer"), params: {} }))).data!;
    expect(gs.bases.map((b) => b.name)).not.toContain("富阳区医养结合培训基地");
    expect(gs.claims).toEqual([]);
  });
});

describe("designation of a training base", () => {
  const base = () => orgId("BASE-FY-XD");
  const form = (over: Record<string, string> = {}) =>
    new URLSearchParams({
      number: "富卫医养培〔2026〕5号",
      status: "accredited",
      hostName: "富阳区新登镇中心卫生院",
      hostKind: "primary_care_institution",
      validFrom: "2026-12-01",
      validTo: "2029-11-30",
      effectiveFrom: "2026-12-01",
      note: "",
      ...over,
    });
  const post = (username: string, body: URLSearchParams) =>
    outcome(() =>
      designate({
        request: new Request(`http://localhost/review/bases/${base()}`, { method: "POST", body }),
        context: contextFor(username),
        params: { orgId: base() },
      }),
    );
  const records = () => db().select().from(accreditations).where(eq(accreditations.organisationId, base())).all();

  it("is refused to the alliance admin, to 拱墅's health bureau and to 富阳's other authorities", async () => {
    for (const username of ["admin", "reviewer", "reviewer.hr", "registrar.fy"]) {
      expect((await post(username, form())).status, username).toBe(403);
      expect(
        (
          await outcome(() =>
            designationPage({ request: get(`/review/bases/${base()}`), context: contextFor(username), params: { orgId: base() } }),
          )
        ).status,
        username,
      ).toBe(403);
    }
    expect(records()).toEqual([]);
  });

  it("refuses a host that 001 二(七)1 does not allow, next to the field, and records nothing", async () => {
    const refused = await post("reviewer.fy", form({ hostName: "富阳区职业技术学校", hostKind: "school_or_training_provider" }));
    expect(refused.data).toMatchObject({ status: "error", error: { hostKind: ["designation.hostNotAllowed"] } });
    expect(records()).toEqual([]);
  });

  it("is recorded by 富阳区卫生健康局 with the host, and the base may then open cohorts", async () => {
    expect((await post("reviewer.fy", form())).status).toBe(302);
    expect(records()).toEqual([
      expect.objectContaining({
        status: "accredited",
        hostKind: "primary_care_institution",
        authorityId: orgId("BUREAU-FY"),
        recordedBy: userId("reviewer.fy"),
      }),
    ]);
  });
});

describe("a base without a region", () => {
  it("cannot submit a claim until the admin sets one", () => {
    const policy = policyByCode("vocational-training-subsidy")!;
    const heads = claimableHeads(policy, orgId("BASE-FY"), { from: "2026-01-01", to: "2026-12-31" })
      .eligible.slice(0, 1)
      .map((h) => h.certificateId);
    const created = createClaim(userId("finance.fy"), policy.code, orgId("BASE-FY"), { from: "2026-01-01", to: "2026-12-31" }, heads);
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    db()
      .update(organisations)
      .set({ regionCode: null })
      .where(eq(organisations.id, orgId("BASE-FY")))
      .run();
    try {
      expect(submitClaim(userId("finance.fy"), created.value)).toEqual({ ok: false, errors: { _form: "claim.baseWithoutRegion" } });
    } finally {
      db()
        .update(organisations)
        .set({ regionCode: "330111" })
        .where(eq(organisations.id, orgId("BASE-FY")))
        .run();
    }
  });

  it("gets the DEFAULT_REGION setting at start, except an authority whose kind the region already has", () => {
    const insert = (code: string, kind: "member_institution" | "health_bureau" | "civil_affairs_bureau") =>
      db()
        .insert(organisations)
        .values({ id: `old-${code}`, code, kind, name: code })
        .run();
    insert("OLD-NH", "member_institution");
    insert("OLD-HEALTH", "health_bureau");
    insert("OLD-CIVIL", "civil_affairs_bureau");
    expect(() => assignDefaultRegion("330183")).toThrow(/DEFAULT_REGION=330183/);
    expect(assignDefaultRegion(undefined)).toBe(0);
    expect(assignDefaultRegion("330111")).toBe(2);
    const region = (code: string) => db().select().from(organisations).where(eq(organisations.code, code)).get()!.regionCode;
    expect([region("OLD-NH"), region("OLD-HEALTH"), region("OLD-CIVIL")]).toEqual(["330111", null, "330111"]);
  });
});
