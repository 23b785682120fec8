import { asc, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { organisations, roleAssignments, users, type OrganisationKind, type Role } from "../../db/schema";
import { hasAnyScope, type Actor } from "../domain/permissions";
import { NO_PASSWORD } from "../domain/activation";

export interface CurrentUser {
  id: string;
  name: string;
  username: string | null;
  mobile: string | null;
  idNumber: string | null;
  mustChangePassword: boolean;
  /** False while the account waits for its first password (signed in with an activation code). */
  hasPassword: boolean;
  assignments: {
    role: Role;
    organisationId: string;
    organisationName: string;
    organisationKind: OrganisationKind;
    regionCode: string | null;
  }[];
}

export function loadCurrentUser(userId: string): CurrentUser | null {
  const user = db().select().from(users).where(eq(users.id, userId)).get();
  if (!user || !user.active) return null;
  const assignments = db()
    .select({
      role: roleAssignments.role,
      organisationId: roleAssignments.organisationId,
      organisationName: organisations.name,
      organisationKind: organisations.kind,
      regionCode: organisations.regionCode,
    })
    .from(roleAssignments)
    .innerJoin(organisations, eq(organisations.id, roleAssignments.organisationId))
    .where(eq(roleAssignments.userId, userId))
    .orderBy(asc(roleAssignments.id))
    .all();
  return {
    id: user.id,
    name: user.name,
    username: user.username,
    mobile: user.mobile,
    idNumber: user.idNumber,
    mustChangePassword: user.mustChangePassword,
    hasPassword: user.passwordHash !== NO_PASSWORD,
    assignments,
  };
}

export function actorOf(user: CurrentUser): Actor {
  return { userId: user.id, assignments: user.assignments };
}

/** For showing other people's ID numbers: see `residentIdFor`. */
export function idViewer(user: CurrentUser): { userId: string; isAdmin: boolean } {
  return { userId: user.id, isAdmin: hasAnyScope(actorOf(user), "manage:user") };
}
