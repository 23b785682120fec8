import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

export const ORGANISATION_KINDS = [
  "alliance",
  "lead_hospital",
  "training_base",
  "member_institution",
  "health_bureau",
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const organisations = sqliteTable(
  "organisations",
  {
    id: text("id").primaryKey(),
    code: text("code").notNull(),
    kind: text("kind", { enum: ORGANISATION_KINDS }).notNull(),
    name: text("name").notNull(),
    /** The alliance (or other parent) this organisation belongs to. */
    parentId: text("parent_id"),
    address: text("address").notNull().default(""),
    contactPhone: text("contact_phone").notNull().default(""),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [uniqueIndex("organisations_code_unique").on(t.code), index("organisations_kind_idx").on(t.kind)],
);

export const ACCREDITATION_STATUSES = ["pending", "accredited", "suspended", "expired"] as const;
export type AccreditationStatus = (typeof ACCREDITATION_STATUSES)[number];

/**
 * Append-only history of a training base's accreditation. Each row states the record as it stands
 * from `effectiveFrom` on, so "was this base accredited on date D?" is answered from history.
 */
export const accreditations = sqliteTable(
  "accreditations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    number: text("number").notNull(),
    status: text("status", { enum: ACCREDITATION_STATUSES }).notNull(),
    validFrom: text("valid_from").notNull(),
    validTo: text("valid_to").notNull(),
    effectiveFrom: text("effective_from").notNull(),
    note: text("note").notNull().default(""),
    recordedBy: text("recorded_by").references(() => users.id),
    recordedAt: text("recorded_at").notNull().default(now),
  },
  (t) => [index("accreditations_org_idx").on(t.organisationId, t.effectiveFrom)],
);

export const DEPARTMENT_KINDS = ["geriatrics", "rehabilitation", "hospice", "neurology", "other"] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

export const departments = sqliteTable(
  "departments",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    name: text("name").notNull(),
    kind: text("kind", { enum: DEPARTMENT_KINDS }).notNull(),
    capacity: integer("capacity").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [uniqueIndex("departments_org_name_unique").on(t.organisationId, t.name)],
);

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    username: text("username"),
    mobile: text("mobile"),
    idNumber: text("id_number"),
    passwordHash: text("password_hash").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("users_username_unique").on(t.username),
    uniqueIndex("users_mobile_unique").on(t.mobile),
    uniqueIndex("users_id_number_unique").on(t.idNumber),
  ],
);

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const ROLES = [
  "trainee",
  "instructor",
  "registrar",
  "mentor",
  "rotation_coordinator",
  "base_finance",
  "reviewer",
  "admin",
] as const;
export type Role = (typeof ROLES)[number];

export const roleAssignments = sqliteTable(
  "role_assignments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    role: text("role", { enum: ROLES }).notNull(),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("role_assignments_unique").on(t.userId, t.organisationId, t.role),
    index("role_assignments_org_idx").on(t.organisationId),
  ],
);

/** Failed sign-ins, kept briefly to throttle guessing per account and per client address. */
export const loginFailures = sqliteTable(
  "login_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("login_failures_key_idx").on(t.key, t.at)],
);

/** Append-only: triggers in the migrations refuse UPDATE and DELETE. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: text("at").notNull().default(now),
    actorUserId: text("actor_user_id"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    organisationId: text("organisation_id"),
    details: text("details").notNull().default("{}"),
  },
  (t) => [index("audit_log_entity_idx").on(t.entityType, t.entityId), index("audit_log_at_idx").on(t.at)],
);
