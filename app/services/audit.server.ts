import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { auditSearch, RECENT_ENTRIES_FOR_SHORT_SEARCH } from "../domain/audit-search";
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

const entryColumns = {
  id: auditLog.id,
  at: auditLog.at,
  action: auditLog.action,
  entityType: auditLog.entityType,
  entityId: auditLog.entityId,
  organisationId: auditLog.organisationId,
  details: auditLog.details,
  actorName: users.name,
};

/**
 * Entries newest first, a page at a time. Text is found through the full-text index (three or more
 * characters, anywhere in the action, entity or details), or by the beginning of the actor's name;
 * shorter text only among the most recent entries (`auditSearch`). No search reads the whole log.
 */
export function listAudit(q: AuditQuery = {}) {
  return auditQuery(q).all();
}

/** The query `listAudit` runs, not yet run: its plan is checked by the tests. */
export function auditQuery(q: AuditQuery = {}) {
  const filters: SQL[] = [];
  if (q.entityType) filters.push(eq(auditLog.entityType, q.entityType));
  if (q.entityId) filters.push(eq(auditLog.entityId, q.entityId));
  const search = auditSearch(q.text);
  if (search.kind !== "all") {
    const actors = db()
      .select({ id: users.id })
      .from(users)
      .where(sql`${users.name} >= ${search.text} and ${users.name} < ${search.text} || char(1114111)`)
      .limit(50)
      .all()
      .map((u) => u.id);
    const byText =
      search.kind === "phrase"
        ? sql`select rowid from audit_log_fts where audit_log_fts match ${search.match}`
        : sql`select id from audit_log where id > (select coalesce(max(id), 0) - ${RECENT_ENTRIES_FOR_SHORT_SEARCH} from audit_log) and (instr(action, ${search.text}) or instr(details, ${search.text}))`;
    const byActor = sql`select id from audit_log where actor_user_id in (select value from json_each(${JSON.stringify(actors)}))`;
    // The two ways an entry matches, each read by its own index and joined as a list of ids: as one
    // OR over the table, SQLite walked the whole log newest first whenever few entries matched.
    filters.push(sql`${auditLog.id} in (${byText} union all ${byActor})`);
  }
  return db()
    .select(entryColumns)
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(q.limit ?? 100)
    .offset(q.offset ?? 0);
}

/**
 * A download holding personal data left the system: who took what, how many people it named and
 * whether ID numbers were whole. Every export calls this.
 */
export function recordExport(
  actorUserId: string,
  kind: string,
  about: { entityType: string; entityId: string; organisationId?: string | null; people: number; wholeIds?: boolean },
): void {
  const { entityType, entityId, organisationId, ...details } = about;
  recordAudit(db(), { actorUserId, action: `export.${kind}`, entityType, entityId, organisationId: organisationId ?? null, details });
}
