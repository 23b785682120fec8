import type { Role } from "../../db/schema";

/**
 * One vocabulary of actions, `verb:object`. Each grant says which role may do it and how far it
 * reaches: `org` — only on records of the organisation the role is held in; `any` — on every
 * organisation; `self` — only on the person's own records.
 */
export const ACTIONS = [
  "manage:organisation",
  "manage:accreditation",
  "manage:user",
  "read:audit",
  "view:organisation",
  "view:base",
  "manage:cohort",
  "record:attendance",
  "issue:certificate",
  "revoke:certificate",
  "reset:password",
  "view:finance",
  "create:claim",
  "approve:claim",
  "view:hospital",
  "manage:rotation",
  "signoff:rotation",
  "view:learning",
] as const;
export type Action = (typeof ACTIONS)[number];

export type Scope = "org" | "any" | "self";

export const GRANTS: Record<Role, Partial<Record<Action, Scope>>> = {
  admin: {
    "manage:organisation": "any",
    "manage:accreditation": "any",
    "manage:user": "any",
    "read:audit": "any",
    "view:organisation": "any",
    "view:base": "any",
    "view:hospital": "any",
    "revoke:certificate": "any",
  },
  reviewer: {
    "view:organisation": "any",
    "view:base": "any",
    "view:finance": "any",
    "approve:claim": "any",
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
    "view:finance": "org",
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
}

export interface Actor {
  userId: string;
  assignments: Assignment[];
}

/** What the action is done to: the organisation the record belongs to and, for personal records, whose it is. */
export interface Target {
  organisationId?: string;
  ownerUserId?: string;
}

export function can(actor: Actor, action: Action, target: Target = {}): boolean {
  return actor.assignments.some((a) => {
    const scope = GRANTS[a.role][action];
    if (!scope) return false;
    if (scope === "any") return true;
    if (scope === "self") return target.ownerUserId === actor.userId;
    return target.organisationId !== undefined && target.organisationId === a.organisationId;
  });
}

/** The person whose password would be reset, as far as the rule below needs to know them. */
export interface PasswordHolder {
  userId: string;
  /** Every role the person holds, anywhere. */
  roles: Role[];
  /** The organisations running a cohort the person is enrolled in (withdrawn enrolments left out). */
  enrolledAt: string[];
}

/**
 * A registrar may reset the password of a trainee enrolled in one of their base's cohorts, and of
 * nobody else: not of anyone holding a staff role (their accounts are an admin's to manage), not of
 * themselves, not of trainees of other bases. Admins reset anyone's through `manage:user`.
 */
export function canResetPassword(actor: Actor, holder: PasswordHolder): boolean {
  if (holder.userId === actor.userId) return false;
  if (holder.roles.some((role) => role !== "trainee")) return false;
  return holder.enrolledAt.some((organisationId) => can(actor, "reset:password", { organisationId }));
}

/** Organisations on which the actor may do `action` through an org-scoped grant. */
export function organisationsFor(actor: Actor, action: Action): string[] {
  const ids = actor.assignments.filter((a) => GRANTS[a.role][action] === "org").map((a) => a.organisationId);
  return [...new Set(ids)];
}

export function hasAnyScope(actor: Actor, action: Action): boolean {
  return actor.assignments.some((a) => GRANTS[a.role][action] === "any");
}
