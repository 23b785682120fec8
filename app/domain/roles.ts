import { AUTHORITY_KINDS, type OrganisationKind, type Role } from "../../db/schema";

/** Where each role can be held: a registrar belongs to a training base, a mentor to the lead hospital… */
export const ROLE_ORGANISATION_KINDS: Record<Role, OrganisationKind[]> = {
  trainee: ["member_institution", "training_base", "lead_hospital"],
  instructor: ["training_base"],
  registrar: ["training_base"],
  // A member institution designated a 示范点 or 示范基地 claims its award through its own finance.
  base_finance: ["training_base", "member_institution"],
  mentor: ["lead_hospital"],
  rotation_coordinator: ["lead_hospital"],
  reviewer: [...AUTHORITY_KINDS],
  admin: ["alliance"],
};

export function roleFitsOrganisation(role: Role, kind: OrganisationKind): boolean {
  return ROLE_ORGANISATION_KINDS[role].includes(kind);
}
