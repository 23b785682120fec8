import type { Role } from "../../db/schema";
import type { MessageKey } from "../i18n/messages";
import { can, hasAnyScope, organisationsFor, type Actor } from "./permissions";

export interface NavItem {
  key: MessageKey;
  href: string;
  /** Set when one person works at several organisations of the same kind. */
  detail?: string;
}

/** Each role sees only the areas its permissions open; the pages check the same rules again. */
export function navigationFor(actor: Actor, organisationNames: Record<string, string>): NavItem[] {
  const items: NavItem[] = [{ key: "nav.home", href: "/home" }];
  if (can(actor, "view:learning", { ownerUserId: actor.userId })) items.push({ key: "nav.learning", href: "/learn" });

  const bases = organisationsFor(actor, "view:base");
  for (const id of bases)
    items.push({ key: "nav.base", href: `/bases/${id}`, detail: bases.length > 1 ? organisationNames[id] : undefined });

  const hospitals = organisationsFor(actor, "view:hospital");
  for (const id of hospitals)
    items.push({ key: "nav.hospital", href: `/hospital/${id}`, detail: hospitals.length > 1 ? organisationNames[id] : undefined });

  // An authority's reviewers look at the money of the policies their authority issued; base finance at its base's.
  const subsidyBases = organisationsFor(actor, "view:subsidy");
  const authorities = organisationsFor(actor, "approve:claim");
  if (authorities.length) items.push({ key: "nav.subsidy", href: "/subsidy" });
  else
    for (const id of subsidyBases)
      items.push({ key: "nav.subsidy", href: `/subsidy?org=${id}`, detail: subsidyBases.length > 1 ? organisationNames[id] : undefined });
  if (authorities.length) items.push({ key: "nav.review", href: "/review" });
  if (hasAnyScope(actor, "view:base")) items.push({ key: "nav.certificates", href: "/certificates" });
  if (hasAnyScope(actor, "manage:organisation")) items.push({ key: "nav.adminOrganisations", href: "/admin/organisations" });
  if (hasAnyScope(actor, "manage:user")) items.push({ key: "nav.adminUsers", href: "/admin/users" });
  if (hasAnyScope(actor, "read:audit")) items.push({ key: "nav.adminAudit", href: "/admin/audit" });
  items.push({ key: "nav.account", href: "/account" });
  return items;
}

/** Where a role's work happens, for the links on the home page. */
export function areaFor(role: Role, organisationId: string): string {
  switch (role) {
    case "trainee":
      return "/learn";
    case "instructor":
    case "registrar":
    case "base_finance":
      return `/bases/${organisationId}`;
    case "mentor":
    case "rotation_coordinator":
      return `/hospital/${organisationId}`;
    case "reviewer":
      return "/review";
    case "admin":
      return "/admin/organisations";
  }
}
