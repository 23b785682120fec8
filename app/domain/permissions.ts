import type { OrganisationKind, Role } from "../../db/schema";

/**
 * One vocabulary of actions, `verb:object`. Each grant says which role may do it and how far it
 * reaches: `org` — only on records of the organisation the role is held in; `any` — on every
 * organisation; `self` — only on the person's own records; `region` — on organisations inside the
 * region of the organisation the role is held in (an authority's reach). A grant may further be
 * held only at some kinds of organisation (designation is the health bureau's, not every bureau's).
 */
export const ACTIONS = [
  "manage:organisation",
  "designate:base",
  "assess:base",
  "manage:user",
  "read:audit",
  "view:organisation",
  "view:base",
  "manage:cohort",
  "record:attendance",
  "issue:certificate",
  "revoke:certificate",
  "reset:password",
  "view:subsidy",
  "create:claim",
  "approve:claim",
  "view:hospital",
  "manage:rotation",
  "signoff:rotation",
  "view:learning",
] as const;
export type Action = (typeof ACTIONS)[number];

export type Scope = "org" | "any" | "self" | "region";
export type Grant = Scope | { scope: Scope; onlyAt: readonly OrganisationKind[] };

export const GRANTS: Record<Role, Partial<Record<Action, Grant>>> = {
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
    // 001 二(七)1: bases are set up by the district's health authority, in its own region.
    "designate:base": { scope: "region", onlyAt: ["health_bureau"] },
    // 001 二(二)3: the health authority inspects the bases it oversees, at least twice a year.
    "assess:base": { scope: "region", onlyAt: ["health_bureau"] },
    // The target is the authority that issued the claim's policy: only its own reviewers decide.
    "approve:claim": "org",
  },
  registrar: {
    "view:organisation": "org",
    "view:base": "org",
    "manage:cohort": "org",
    "record:attendance": "org",
    "issue:certificate": "org",
    "revoke:certificate": "org",
    // Only through `canResetPassword`: trainees enrolled at the base, never staff.
    "reset:password": "org",
  },
  instructor: {
    "view:organisation": "org",
    "view:base": "org",
    "record:attendance": "org",
  },
  base_finance: {
    "view:organisation": "org",
    "view:base": "org",
    "view:subsidy": "org",
    "create:claim": "org",
  },
  rotation_coordinator: {
    "view:organisation": "org",
    "view:hospital": "org",
    "manage:rotation": "org",
    "signoff:rotation": "org",
  },
  mentor: {
    "view:organisation": "org",
    "view:hospital": "org",
    "signoff:rotation": "org",
  },
  trainee: {
    "view:learning": "self",
  },
};

export interface Assignment {
  role: Role;
  organisationId: string;
  organisationKind?: OrganisationKind;
  /** The region of the organisation the role is held in (GB/T 2260), if it has one. */
  regionCode?: string | null;
}

export interface Actor {
  userId: string;
  assignments: Assignment[];
}

/** What the action is done to: the organisation the record belongs to and, for personal records, whose it is. */
export interface Target {
  organisationId?: string;
  ownerUserId?: string;
  /** The target organisation's region and every region containing it, innermost first. */
  regionPath?: readonly string[];
}

/** The grant a role has for an action, in one shape, or undefined. */
export function grantOf(role: Role, action: Action): { scope: Scope; onlyAt: readonly OrganisationKind[] | null } | undefined {
  const grant = GRANTS[role][action];
  if (!grant) return undefined;
  return typeof grant === "string" ? { scope: grant, onlyAt: null } : { scope: grant.scope, onlyAt: grant.onlyAt };
}

function grantFor(a: Assignment, action: Action) {
  const grant = grantOf(a.role, action);
  if (!grant) return undefined;
  if (grant.onlyAt && !(a.organisationKind && grant.onlyAt.includes(a.organisationKind))) return undefined;
  return grant;
}

export function can(actor: Actor, action: Action, target: Target = {}): boolean {
  return actor.assignments.some((a) => {
    const grant = grantFor(a, action);
    if (!grant) return false;
    switch (grant.scope) {
      case "any":
        return true;
      case "self":
        return target.ownerUserId === actor.userId;
      case "region":
        return !!a.regionCode && !!target.regionPath?.includes(a.regionCode);
      case "org":
        return target.organisationId !== undefined && target.organisationId === a.organisationId;
    }
  });
}

/** The person whose password would be reset, as far as the rule below needs to know them. */
export interface PasswordHolder {
  userId: string;
  /** Every role the person holds, anywhere. */
  roles: Role[];
  /** The organisations running a cohort the person is or was enrolled in, withdrawn ones too. */
  enrolledAt: string[];
}

/**
 * A registrar may reset the credentials of a trainee whose every enrolment is at their base, and
 * of nobody else: not of anyone holding a staff role (their accounts are an admin's to manage), not
 * of themselves, and not of a trainee who also studies (or studied) at another base — enrolling
 * someone must never hand their account to a second base. Admins reset anyone's through `manage:user`.
 */
export function canResetPassword(actor: Actor, holder: PasswordHolder): boolean {
  if (holder.userId === actor.userId) return false;
  if (holder.roles.some((role) => role !== "trainee")) return false;
  return holder.enrolledAt.length > 0 && holder.enrolledAt.every((organisationId) => can(actor, "reset:password", { organisationId }));
}

/**
 * Attendance and practical assessments are recorded by the base's registrars for any of its
 * cohorts, and by instructors only for the cohorts they teach.
 */
export function canRecordFor(actor: Actor, cohort: { organisationId: string; instructorIds: readonly string[] }): boolean {
  const target = { organisationId: cohort.organisationId };
  if (can(actor, "manage:cohort", target)) return true;
  return can(actor, "record:attendance", target) && cohort.instructorIds.includes(actor.userId);
}

/** Organisations on which the actor may do `action` through an org-scoped grant. */
export function organisationsFor(actor: Actor, action: Action): string[] {
  const ids = actor.assignments.filter((a) => grantFor(a, action)?.scope === "org").map((a) => a.organisationId);
  return [...new Set(ids)];
}

/** The regions in which the actor may do `action` through a region-scoped grant. */
export function regionsFor(actor: Actor, action: Action): string[] {
  const codes = actor.assignments.filter((a) => grantFor(a, action)?.scope === "region" && a.regionCode).map((a) => a.regionCode!);
  return [...new Set(codes)];
}

/**
 * Which organisations a list for these actions needs to read: those in the regions the actor's
 * region-scoped grants reach and those its organisation-scoped grants name; null when a grant
 * reaches everywhere. The list still asks `can` of each; this only keeps it from reading the province.
 */
export function reachOf(actor: Actor, actions: readonly Action[]): { regionCodes: string[]; organisationIds: string[] } | null {
  if (actions.some((a) => hasAnyScope(actor, a))) return null;
  return {
    regionCodes: [...new Set(actions.flatMap((a) => regionsFor(actor, a)))],
    organisationIds: [...new Set(actions.flatMap((a) => organisationsFor(actor, a)))],
  };
}

export function hasAnyScope(actor: Actor, action: Action): boolean {
  return actor.assignments.some((a) => grantFor(a, action)?.scope === "any");
}
