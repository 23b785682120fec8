import { randomUUID } from "node:crypto";
import { NotFound } from "../errors";
import { and, asc, eq, inArray } from "drizzle-orm";
import { db } from "../../../db/client.server";
import { departmentMentors, departments, placements, roleAssignments, users, type DepartmentKind } from "../../../db/schema";
import { departmentChangeProblems, type Department, effectiveEnd } from "../../domain/rotation";
import { recordAudit } from "../audit.server";
import { today } from "../clock.server";
import { failure, success, type FieldErrors, type MessageParams, type ServiceResult } from "../result";

export function mentorsOf(hospitalId: string) {
  return db()
    .select({ id: users.id, name: users.name })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.organisationId, hospitalId), eq(roleAssignments.role, "mentor"), eq(users.active, true)))
    .orderBy(asc(users.name))
    .all();
}

export function hospitalDepartments(hospitalId: string): (Department & { active: boolean; mentors: { id: string; name: string }[] })[] {
  const rows = db().select().from(departments).where(eq(departments.organisationId, hospitalId)).orderBy(asc(departments.name)).all();
  const links = rows.length
    ? db()
        .select({ departmentId: departmentMentors.departmentId, id: users.id, name: users.name })
        .from(departmentMentors)
        .innerJoin(users, eq(users.id, departmentMentors.userId))
        .where(
          inArray(
            departmentMentors.departmentId,
            rows.map((r) => r.id),
          ),
        )
        .all()
    : [];
  return rows.map((d) => {
    const mentors = links.filter((l) => l.departmentId === d.id).map(({ id, name }) => ({ id, name }));
    return { id: d.id, name: d.name, kind: d.kind, capacity: d.capacity, active: d.active, mentors, mentorIds: mentors.map((m) => m.id) };
  });
}

export interface DepartmentInput {
  name: string;
  kind: DepartmentKind;
  capacity: number;
  mentorIds: string[];
  active: boolean;
}

/**
 * Creates or edits a department. An edit may not break what is booked there: fewer places than are
 * taken on some day from today on, another kind once it has placements, or closing it while
 * placements are running or to come are refused, naming the day or the placements.
 */
export function saveDepartment(
  actorUserId: string,
  hospitalId: string,
  departmentId: string | null,
  input: DepartmentInput,
): ServiceResult<string> {
  const allowed = new Set(mentorsOf(hospitalId).map((m) => m.id));
  if (input.mentorIds.some((id) => !allowed.has(id))) return failure({ mentorIds: "error.choose" });
  const existing = departmentId ? db().select().from(departments).where(eq(departments.id, departmentId)).get() : null;
  if (departmentId && (!existing || existing.organisationId !== hospitalId)) throw new NotFound();
  const clash = db()
    .select({ id: departments.id })
    .from(departments)
    .where(and(eq(departments.organisationId, hospitalId), eq(departments.name, input.name)))
    .get();
  if (clash && clash.id !== departmentId) return failure({ name: "department.nameTaken" });
  const id = departmentId ?? randomUUID();
  const refused = db().transaction((tx) => {
    if (existing) {
      // Checked inside the write transaction, against placements as they are now.
      const booked = tx
        .select()
        .from(placements)
        .where(eq(placements.departmentId, id))
        .all()
        .map((p) => ({ start: p.startDate, end: effectiveEnd(p) }));
      const problems = departmentChangeProblems(existing, input, booked, today());
      if (problems.length) {
        const errors: FieldErrors = {};
        const params: MessageParams = {};
        for (const p of problems) {
          if (p.kind === "capacityBelowBookings") {
            errors.capacity = "department.capacityBelowBookings";
            params.capacity = { date: p.date, n: p.booked };
          }
          if (p.kind === "kindInUse") errors.kind = "department.kindInUse";
          if (p.kind === "closedWithPlacements") {
            errors.active = "department.closedWithPlacements";
            params.active = { n: p.placements, date: p.lastDay };
          }
        }
        return { errors, params };
      }
    }
    const { mentorIds, ...fields } = input;
    if (existing) tx.update(departments).set(fields).where(eq(departments.id, id)).run();
    else
      tx.insert(departments)
        .values({ id, organisationId: hospitalId, ...fields })
        .run();
    tx.delete(departmentMentors).where(eq(departmentMentors.departmentId, id)).run();
    for (const userId of mentorIds) tx.insert(departmentMentors).values({ departmentId: id, userId }).run();
    recordAudit(tx, {
      actorUserId,
      action: existing ? "department.update" : "department.create",
      entityType: "department",
      entityId: id,
      organisationId: hospitalId,
      details: { ...input },
    });
    return null;
  });
  return refused ? failure(refused.errors, refused.params) : success(id);
}
