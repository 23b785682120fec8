import { describe, expect, it } from "vitest";
import { ROLES, type OrganisationKind } from "../../db/schema";
import { ACTIONS, can, canResetPassword, grantOf, hasAnyScope, organisationsFor, regionsFor, type Actor, type PasswordHolder } from "../../app/domain/permissions";
import { ROLE_ORGANISATION_KINDS } from "../../app/domain/roles";

const OWN = "org-own";
const OTHER = "org-other";
// Region paths, innermost first: 富阳区 and 拱墅区 of 杭州市, 浙江省.
const FUYANG = ["330111", "330100", "330000"];
const GONGSHU = ["330105", "330100", "330000"];

function actorWith(role: (typeof ROLES)[number], kind: OrganisationKind = ROLE_ORGANISATION_KINDS[role][0], regionCode = "330111"): Actor {
  return { userId: "u1", assignments: [{ role, organisationId: OWN, organisationKind: kind, regionCode }] };
}

describe("the permission table", () => {
  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const grant = grantOf(role, action);
      it(`${role} × ${action}: ${grant ? grant.scope + (grant.onlyAt ? ` at ${grant.onlyAt.join("/")}` : "") : "never"}`, () => {
        const kind = grant?.onlyAt?.[0] ?? ROLE_ORGANISATION_KINDS[role][0];
        const actor = actorWith(role, kind);
        const own = can(actor, action, { organisationId: OWN, ownerUserId: "u1", regionPath: FUYANG });
        const other = can(actor, action, { organisationId: OTHER, ownerUserId: "u2", regionPath: GONGSHU });
        const ownRecordElsewhere = can(actor, action, { organisationId: OTHER, ownerUserId: "u1", regionPath: GONGSHU });
        const otherInRegion = can(actor, action, { organisationId: OTHER, ownerUserId: "u2", regionPath: FUYANG });
        if (grant === undefined) {
          expect([own, other, ownRecordElsewhere, otherInRegion]).toEqual([false, false, false, false]);
        } else if (grant.scope === "any") {
          expect([own, other, otherInRegion]).toEqual([true, true, true]);
        } else if (grant.scope === "org") {
          expect([own, other, ownRecordElsewhere, otherInRegion]).toEqual([true, false, false, false]);
        } else if (grant.scope === "region") {
          expect([own, other, ownRecordElsewhere, otherInRegion]).toEqual([true, false, false, true]);
        } else {
          expect([own, other, ownRecordElsewhere, otherInRegion]).toEqual([true, false, true, false]);
        }
        // A grant held only at some kinds of organisation gives nothing when the role is held elsewhere.
        for (const elsewhere of ROLE_ORGANISATION_KINDS[role].filter((k) => grant?.onlyAt && !grant.onlyAt.includes(k))) {
          expect(can(actorWith(role, elsewhere), action, { organisationId: OWN, ownerUserId: "u1", regionPath: FUYANG }), elsewhere).toBe(false);
        }
      });
    }
  }
});

describe("who may designate a training base", () => {
  const base = (regionPath: string[]) => ({ organisationId: OTHER, regionPath });

  it("the health bureau of the base's district, not of the next district", () => {
    const fuyangBureau = actorWith("reviewer", "health_bureau", "330111");
    expect(can(fuyangBureau, "designate:base", base(FUYANG))).toBe(true);
    expect(can(fuyangBureau, "designate:base", base(GONGSHU))).toBe(false);
  });

  it("a city's health bureau for every district of the city", () => {
    const cityBureau = actorWith("reviewer", "health_bureau", "330100");
    expect(can(cityBureau, "designate:base", base(FUYANG))).toBe(true);
    expect(can(cityBureau, "designate:base", base(GONGSHU))).toBe(true);
    expect(can(cityBureau, "designate:base", base(["410102", "410100", "410000"]))).toBe(false);
  });

  it("not the other authorities of the same district, not the alliance admin, not the base itself", () => {
    for (const kind of ["hr_bureau", "civil_affairs_bureau", "finance_bureau"] as const) {
      expect(can(actorWith("reviewer", kind, "330111"), "designate:base", base(FUYANG)), kind).toBe(false);
    }
    expect(can(actorWith("admin"), "designate:base", base(FUYANG))).toBe(false);
    expect(can(actorWith("registrar"), "designate:base", { organisationId: OWN, regionPath: FUYANG })).toBe(false);
  });

  it("nobody for a base that has no region", () => {
    expect(can(actorWith("reviewer", "health_bureau", "330111"), "designate:base", base([]))).toBe(false);
  });

  it("lists the regions in which a reviewer sees bases", () => {
    expect(regionsFor(actorWith("reviewer", "hr_bureau", "330111"), "view:base")).toEqual(["330111"]);
    expect(regionsFor(actorWith("reviewer", "hr_bureau", "330111"), "designate:base")).toEqual([]);
  });
});

describe("who decides a claim", () => {
  it("reviewers of the authority that issued the policy, and no other authority's", () => {
    const issuer = { organisationId: OWN };
    const otherAuthority = { organisationId: OTHER };
    expect(can(actorWith("reviewer", "hr_bureau"), "approve:claim", issuer)).toBe(true);
    expect(can(actorWith("reviewer", "hr_bureau"), "approve:claim", otherAuthority)).toBe(false);
    expect(organisationsFor(actorWith("reviewer", "health_bureau"), "approve:claim")).toEqual([OWN]);
  });

  it("base finance never decides, and reviewers never build claims", () => {
    expect(can(actorWith("base_finance"), "approve:claim", { organisationId: OWN })).toBe(false);
    expect(can(actorWith("reviewer"), "create:claim", { organisationId: OWN, regionPath: FUYANG })).toBe(false);
  });
});

describe("concrete rules", () => {
  it("a registrar of base A may manage cohorts of A but not of B", () => {
    const registrar = actorWith("registrar");
    expect(can(registrar, "manage:cohort", { organisationId: OWN })).toBe(true);
    expect(can(registrar, "manage:cohort", { organisationId: OTHER })).toBe(false);
  });

  it("finance never records attendance or issues certificates", () => {
    const finance = actorWith("base_finance");
    expect(can(finance, "record:attendance", { organisationId: OWN })).toBe(false);
    expect(can(finance, "issue:certificate", { organisationId: OWN })).toBe(false);
  });

  it("a trainee sees only their own learning", () => {
    const trainee = actorWith("trainee");
    expect(can(trainee, "view:learning", { ownerUserId: "u1" })).toBe(true);
    expect(can(trainee, "view:learning", { ownerUserId: "u2" })).toBe(false);
  });

  it("an org-scoped check without an organisation is refused", () => {
    expect(can(actorWith("registrar"), "view:base")).toBe(false);
    expect(can(actorWith("reviewer"), "view:base", { organisationId: OTHER })).toBe(false);
  });

  it("several roles add up", () => {
    const both: Actor = {
      userId: "u1",
      assignments: [
        { role: "registrar", organisationId: "a" },
        { role: "instructor", organisationId: "b" },
      ],
    };
    expect(organisationsFor(both, "view:base").sort()).toEqual(["a", "b"]);
    expect(can(both, "manage:cohort", { organisationId: "b" })).toBe(false);
    expect(hasAnyScope(both, "view:base")).toBe(false);
    expect(hasAnyScope(actorWith("admin"), "manage:user")).toBe(true);
  });

  it("nobody without roles may do anything", () => {
    const nobody: Actor = { userId: "u1", assignments: [] };
    for (const action of ACTIONS) expect(can(nobody, action, { organisationId: OWN, ownerUserId: "u1" })).toBe(false);
  });
});

describe("who may reset a password", () => {
  const trainee = (enrolledAt: string[], roles: PasswordHolder["roles"] = ["trainee"]): PasswordHolder => ({ userId: "u2", roles, enrolledAt });

  it("a registrar resets the password of a trainee enrolled at their base", () => {
    expect(canResetPassword(actorWith("registrar"), trainee([OWN]))).toBe(true);
    expect(canResetPassword(actorWith("registrar"), trainee([OWN, OWN]))).toBe(true);
  });

  it("but not of a trainee also enrolled (now or before) at another base: enrolling them hands over nothing", () => {
    expect(canResetPassword(actorWith("registrar"), trainee([OTHER, OWN]))).toBe(false);
  });

  it("but not of a trainee enrolled only at another base", () => {
    expect(canResetPassword(actorWith("registrar"), trainee([OTHER]))).toBe(false);
  });

  it("nor of a trainee with no enrolment at the base, wherever their role is held", () => {
    expect(canResetPassword(actorWith("registrar"), trainee([]))).toBe(false);
  });

  it("nor of staff, even when they are enrolled at the base as well", () => {
    expect(canResetPassword(actorWith("registrar"), trainee([OWN], ["instructor"]))).toBe(false);
    expect(canResetPassword(actorWith("registrar"), trainee([OWN], ["trainee", "instructor"]))).toBe(false);
    expect(canResetPassword(actorWith("registrar"), trainee([OWN], ["trainee", "admin"]))).toBe(false);
  });

  it("nor of themselves", () => {
    expect(canResetPassword(actorWith("registrar"), { userId: "u1", roles: ["trainee"], enrolledAt: [OWN] })).toBe(false);
  });

  it("no other role resets a trainee's password this way", () => {
    for (const role of ROLES.filter((r) => r !== "registrar")) expect(canResetPassword(actorWith(role), trainee([OWN])), role).toBe(false);
  });
});
