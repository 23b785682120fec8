import { describe, expect, it } from "vitest";
import { ROLES } from "../../db/schema";
import { ACTIONS, GRANTS, can, canResetPassword, hasAnyScope, organisationsFor, type Actor, type PasswordHolder } from "../../app/domain/permissions";

const OWN = "org-own";
const OTHER = "org-other";

function actorWith(role: (typeof ROLES)[number]): Actor {
  return { userId: "u1", assignments: [{ role, organisationId: OWN }] };
}

describe("the permission table", () => {
  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const scope = GRANTS[role][action];
      it(`${role} × ${action}: ${scope ?? "never"}`, () => {
        const actor = actorWith(role);
        const own = can(actor, action, { organisationId: OWN, ownerUserId: "u1" });
        const other = can(actor, action, { organisationId: OTHER, ownerUserId: "u2" });
        const ownRecordElsewhere = can(actor, action, { organisationId: OTHER, ownerUserId: "u1" });
        if (scope === undefined) {
          expect([own, other, ownRecordElsewhere]).toEqual([false, false, false]);
        } else if (scope === "any") {
          expect([own, other]).toEqual([true, true]);
        } else if (scope === "org") {
          expect([own, other, ownRecordElsewhere]).toEqual([true, false, false]);
        } else {
          expect([own, other, ownRecordElsewhere]).toEqual([true, false, true]);
        }
      });
    }
  }
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
    expect(canResetPassword(actorWith("registrar"), trainee([OTHER, OWN]))).toBe(true);
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
