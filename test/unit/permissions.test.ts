import { describe, expect, it } from "vitest";
import { ROLES, type OrganisationKind } from "../../db/schema";
import {
  ACTIONS,
  can,
  canResetPassword,
  grantOf,
  hasAnyScope,
  organisationsFor,
  reachOf,
  regionsFor,
  type Actor,
  type PasswordHolder,
} from "../../app/domain/permissions";
import { ROLE_ORGANISATION_KINDS } from "../../app/domain/roles";

const OWN = "org-own";
const OTHER = "org-other";
// Region paths, innermost first: 富阳区 and 拱墅区 of 杭州市, 浙江省.
const FUYANG = ["330111", "330100", "330000"];
const GONGSHU = ["330105", "330100", "330000"];

function actorWith(role: (typeof ROLES)[number], kind: OrganisationKind = ROLE_ORGANISATION_KINDS[role][0], regionCode = "330111"): Actor {
  return { userId: "u1", assignments: [{ role, organisationId: OWN, organisationKind: kind, regionCode }] };
}

/**
 * The permission table as the product defines it, written out by hand: widening or narrowing any
 * grant in app/domain/permissions.ts makes a case below fail until this table is changed with it.
 */
const EXPECTED: Record<(typeof ROLES)[number], Record<string, string>> = {
  admin: {
    "manage:organisation": "any",
    "manage:user": "any",
    "read:audit": "any",
    "view:organisation": "any",
    "view:base": "any",
    "view:hospital": "any",
    "revoke:certificate": "any",
  },
  reviewer: {
    "view:organisation": "region",
    "view:base": "region",
    "designate:base": "region at health_bureau",
    "assess:base": "region at health_bureau",
    "approve:claim": "org",
  },
  registrar: {
    "view:organisation": "org",
    "view:base": "org",
    "manage:cohort": "org",
    "record:attendance": "org",
    "issue:certificate": "org",
    "revoke:certificate": "org",
    "reset:password": "org",
  },
  instructor: { "view:organisation": "org", "view:base": "org", "record:attendance": "org" },
  base_finance: { "view:organisation": "org", "view:base": "org", "view:subsidy": "org", "create:claim": "org" },
  rotation_coordinator: { "view:organisation": "org", "view:hospital": "org", "manage:rotation": "org", "signoff:rotation": "org" },
  mentor: { "view:organisation": "org", "view:hospital": "org", "signoff:rotation": "org" },
  trainee: { "view:learning": "self" },
};

describe("the permission table", () => {
  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const expected = EXPECTED[role][action];
      it(`${role} × ${action}: ${expected ?? "never"}`, () => {
        const [scope, , kind] = (expected ?? "").split(" ");
        const actor = actorWith(role, (kind as OrganisationKind | undefined) ?? ROLE_ORGANISATION_KINDS[role][0]);
        const own = can(actor, action, { organisationId: OWN, ownerUserId: "u1", regionPath: FUYANG });
        const other = can(actor, action, { organisationId: OTHER, ownerUserId: "u2", regionPath: GONGSHU });
        const ownRecordElsewhere = can(actor, action, { organisationId: OTHER, ownerUserId: "u1", regionPath: GONGSHU });
        const otherInRegion = can(actor, action, { organisationId: OTHER, ownerUserId: "u2", regionPath: FUYANG });
        const outcome = [own, other, ownRecordElsewhere, otherInRegion];
        if (!expected) expect(outcome).toEqual([false, false, false, false]);
        else if (scope === "any") expect(outcome).toEqual([true, true, true, true]);
        else if (scope === "org") expect(outcome).toEqual([true, false, false, false]);
        else if (scope === "region") expect(outcome).toEqual([true, false, false, true]);
        else expect(outcome).toEqual([true, false, true, false]);
        // A grant held only at one kind of organisation gives nothing when the role is held elsewhere.
        if (kind) {
          for (const elsewhere of ROLE_ORGANISATION_KINDS[role].filter((k) => k !== kind)) {
            expect(can(actorWith(role, elsewhere), action, { organisationId: OWN, ownerUserId: "u1", regionPath: FUYANG }), elsewhere).toBe(
              false,
            );
          }
        }
      });
    }
  }

  it("describes every grant the code holds, and no other", () => {
    for (const role of ROLES) {
      const actual = Object.fromEntries(
        ACTIONS.flatMap((a) => {
          const g = grantOf(role, a);
          return g ? [[a, g.onlyAt ? `${g.scope} at ${g.onlyAt.join("/")}` : g.scope]] : [];
        }),
      );
      expect(actual, role).toEqual(EXPECTED[role]);
    }
  });
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

  it("assessing follows designating: the district's health bureau, not the 人社 bureau beside it nor the base", () => {
    expect(can(actorWith("reviewer", "health_bureau", "330111"), "assess:base", base(FUYANG))).toBe(true);
    expect(can(actorWith("reviewer", "health_bureau", "330111"), "assess:base", base(GONGSHU))).toBe(false);
    expect(can(actorWith("reviewer", "hr_bureau", "330111"), "assess:base", base(FUYANG))).toBe(false);
    expect(can(actorWith("registrar"), "assess:base", { organisationId: OWN, regionPath: FUYANG })).toBe(false);
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

describe("what a list of bases needs to read", () => {
  it("is the regions and organisations the actor's grants reach, or everything for a grant that reaches everywhere", () => {
    expect(reachOf(actorWith("reviewer", "health_bureau", "330111"), ["view:base", "assess:base"])).toEqual({
      regionCodes: ["330111"],
      organisationIds: [],
    });
    expect(reachOf(actorWith("registrar", "training_base"), ["view:base"])).toEqual({ regionCodes: [], organisationIds: [OWN] });
    expect(reachOf(actorWith("admin"), ["view:base"])).toBeNull();
    expect(reachOf({ userId: "u1", assignments: [] }, ["view:base"])).toEqual({ regionCodes: [], organisationIds: [] });
  });
});

describe("who may reset a password", () => {
  const trainee = (enrolledAt: string[], roles: PasswordHolder["roles"] = ["trainee"]): PasswordHolder => ({
    userId: "u2",
    roles,
    enrolledAt,
  });

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
