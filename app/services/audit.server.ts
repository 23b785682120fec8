import { and, desc, eq, like, or, type SQL } from "drizzle-orm";
import { db, prepared, type Executor } from "../../db/client.server";
import { auditLog, users } from "../../db/schema";

export interface AuditEntry {
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  organisationId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * The same entry through a statement prepared once: for loops writing thousands of rows inside one
 * transaction on the app's connection (a roster), where building each insert again is what costs.
 */
export function recordAuditInLoop(entry: AuditEntry): void {
  prepared("insert into audit_log (actor_user_id, action, entity_type, entity_id, organisation_id, details) values (?, ?, ?, ?, ?, ?)").run(
    entry.actorUserId,
    entry.action,
    entry.entityType,
    entry.entityId,
    entry.organisationId ?? null,
    JSON.stringify(entry.details ?? {}),
  );
}

/** Call inside the same transaction as the change it records, so both land or neither does. */
export function recordAudit(tx: Executor, entry: AuditEntry): void {
  tx.insert(auditLog)
    .values({
      actorUserId: entry.actorUserId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      organisationId: entry.organisationId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .run();
}

export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  text?: string;
  limit?: number;
  offset?: number;
}

export function listAudit(q: AuditQuery = {}) {
  const filters: SQL[] = [];
  if (q.entityType) filters.push(eq(auditLog.entityType, q.entityType));
  if (q.entityId) filters.push(eq(auditLog.entityId, q.entityId));
  if (q.text) {
    const pattern = `%${q.text}%`;
    filters.push(or(like(auditLog.action, pattern), like(auditLog.details, pattern), like(users.name, pattern))!);
  }
  return db()
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      organisationId: auditLog.organisationId,
      details: auditLog.details,
      actorName: users.name,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(q.limit ?? 100)
    .offset(q.offset ?? 0)
    .all();
}

/**
 * A download holding personal data left the system: who took what, how many people it named and
 * whether ID numbers were whole. Every export calls this.
 */
export function recordExport(actorUserId: string, kind: string, about: { entityType: string; entityId: string; organisationId?: string | null; people: number; wholeIds?: boolean }): void {
  const { entityType, entityId, organisationId, ...details } = about;
  recordAudit(db(), { actorUserId, action: `export.${kind}`, entityType, entityId, organisationId: organisationId ?? null, details });
}
