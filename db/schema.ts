import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/**
 * Authorities issue rules and money for one region: the health bureau (卫健), the human-resources
 * and social-security bureau (人社), the civil-affairs bureau (民政) and the finance bureau (财政).
 */
export const AUTHORITY_KINDS = ["health_bureau", "hr_bureau", "civil_affairs_bureau", "finance_bureau"] as const;
export type AuthorityKind = (typeof AUTHORITY_KINDS)[number];

export const ORGANISATION_KINDS = ["alliance", "lead_hospital", "training_base", "member_institution", ...AUTHORITY_KINDS] as const;
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
    /** GB/T 2260 code of the county-level region (or city, province) the organisation sits in. */
    regionCode: text("region_code"),
    address: text("address").notNull().default(""),
    contactPhone: text("contact_phone").notNull().default(""),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("organisations_code_unique").on(t.code),
    index("organisations_kind_idx").on(t.kind, t.regionCode),
    // One authority of each kind per region: a policy names its issuer by region and kind.
    uniqueIndex("organisations_one_authority_per_region")
      .on(t.kind, t.regionCode)
      .where(sql`kind in ('health_bureau', 'hr_bureau', 'civil_affairs_bureau', 'finance_bureau') and region_code is not null`),
  ],
);

export const ACCREDITATION_STATUSES = ["pending", "accredited", "suspended", "expired"] as const;
export type AccreditationStatus = (typeof ACCREDITATION_STATUSES)[number];

/** What kind of institution hosts a training base; 001 二(七)1 allows only some (app/domain/designation.ts). */
export const HOST_KINDS = [
  "integrated_care_institution",
  "primary_care_institution",
  "hospital_with_geriatrics_or_rehabilitation",
  "hospital_other",
  "elderly_care_institution",
  "school_or_training_provider",
  "other",
] as const;
export type HostKind = (typeof HOST_KINDS)[number];

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
    /** The institution the base is set up in, and its kind; null only on records made before designation recorded them. */
    hostName: text("host_name"),
    hostKind: text("host_kind", { enum: HOST_KINDS }),
    /** The health bureau that designated (or suspended) the base; null on records made before designation was the bureau's. */
    authorityId: text("authority_id").references(() => organisations.id),
    recordedBy: text("recorded_by").references(() => users.id),
    recordedAt: text("recorded_at").notNull().default(now),
  },
  (t) => [index("accreditations_org_idx").on(t.organisationId, t.effectiveFrom)],
);

/**
 * The health bureau's assessment (考核) of a base for a half year: the facts its records gave when
 * it was recorded, the inspectors' item scores, the total (in tenths of a point, exact) and the
 * verdict, under the template version used. Appended, never edited: a reassessment is a new row,
 * and the latest one of the latest half year counts.
 */
export const baseAssessments = sqliteTable(
  "base_assessments",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    /** "2026H1" or "2026H2". */
    period: text("period").notNull(),
    templateCode: text("template_code").notNull(),
    templateVersion: integer("template_version").notNull(),
    /** JSON AssessmentFacts as computed from the records when the assessment was recorded. */
    facts: text("facts").notNull(),
    /** JSON: item code → points the inspectors gave. */
    itemScores: text("item_scores").notNull(),
    scoreTenths: integer("score_tenths").notNull(),
    passed: integer("passed", { mode: "boolean" }).notNull(),
    inspectors: text("inspectors").notNull(),
    assessedOn: text("assessed_on").notNull(),
    notes: text("notes").notNull().default(""),
    /** The health bureau that assessed. */
    authorityId: text("authority_id")
      .notNull()
      .references(() => organisations.id),
    recordedBy: text("recorded_by").references(() => users.id),
    recordedAt: text("recorded_at").notNull().default(now),
  },
  (t) => [index("base_assessments_org_idx").on(t.organisationId, t.period, t.recordedAt)],
);

/**
 * An organisation designated under an award policy (示范基地, 示范点): by which bureau, on which date,
 * under which document and why. Once per organisation and policy; the policy's places bound how many.
 */
export const awardDesignations = sqliteTable(
  "award_designations",
  {
    id: text("id").primaryKey(),
    policyCode: text("policy_code").notNull(),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    designatedOn: text("designated_on").notNull(),
    documentNumber: text("document_number").notNull(),
    reason: text("reason").notNull(),
    authorityId: text("authority_id")
      .notNull()
      .references(() => organisations.id),
    recordedBy: text("recorded_by").references(() => users.id),
    recordedAt: text("recorded_at").notNull().default(now),
  },
  (t) => [uniqueIndex("award_designations_once").on(t.policyCode, t.organisationId)],
);

export const QUALIFICATION_KINDS = ["nurse_practising", "caregiver_vocational"] as const;
export type QualificationKind = (typeof QUALIFICATION_KINDS)[number];
export const QUALIFICATION_STATUSES = ["pending", "verified", "rejected"] as const;

/**
 * A qualification a person holds from elsewhere (the nurse's practising certificate, a caregiver
 * vocational certificate), as they recorded it and as their base's registrar verified it against
 * the original. Certificates this system issued are not recorded here: they are already known.
 */
export const qualifications = sqliteTable(
  "qualifications",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: QUALIFICATION_KINDS }).notNull(),
    number: text("number").notNull(),
    issuer: text("issuer").notNull(),
    issuedOn: text("issued_on").notNull(),
    /** The last day it is valid; null when it does not expire. */
    validUntil: text("valid_until"),
    status: text("status", { enum: QUALIFICATION_STATUSES }).notNull().default("pending"),
    verifiedBy: text("verified_by").references(() => users.id),
    verifiedAt: text("verified_at"),
    rejectionReason: text("rejection_reason"),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [
    index("qualifications_user_idx").on(t.userId, t.kind),
    uniqueIndex("qualifications_number").on(t.kind, t.number).where(sql`status != 'rejected'`),
  ],
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
    /** Where notifications are e-mailed, if the person gave an address. */
    email: text("email"),
    passwordHash: text("password_hash").notNull(),
    /** Set for accounts created with a provisional password (e.g. from a roster import). */
    mustChangePassword: integer("must_change_password", { mode: "boolean" }).notNull().default(false),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("users_username_unique").on(t.username),
    uniqueIndex("users_mobile_unique").on(t.mobile),
    uniqueIndex("users_id_number_unique").on(t.idNumber),
    // The admin's search by the beginning of a name.
    index("users_name_idx").on(t.name),
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
    /** When the person signed in (ms): a session ends a fixed time after it, however busy it stays. */
    createdAt: integer("created_at").notNull().default(0),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const ROLES = ["trainee", "instructor", "registrar", "mentor", "rotation_coordinator", "base_finance", "reviewer", "admin"] as const;
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

/**
 * A one-time activation code for an account whose person has not yet chosen a password. Only a
 * keyed hash (to check it) and a sealed copy (to print the enrolment slip again) are kept; both are
 * useless without the deployment's secret. Gone once the person has set a password.
 */
export const activationCodes = sqliteTable("activation_codes", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id),
  codeHmac: text("code_hmac").notNull(),
  sealed: text("sealed").notNull(),
  expiresAt: integer("expires_at").notNull(),
  issuedBy: text("issued_by").references(() => users.id),
  issuedAt: integer("issued_at").notNull(),
});

/**
 * Browsers a person has signed in on before (a random id in a long-lived cookie). Failed guesses
 * from elsewhere cannot lock the owner out of a browser they have used.
 */
export const knownDevices = sqliteTable(
  "known_devices",
  {
    deviceId: text("device_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    lastSeenAt: integer("last_seen_at").notNull(),
  },
  (t) => [uniqueIndex("known_devices_unique").on(t.deviceId, t.userId), index("known_devices_seen_idx").on(t.lastSeenAt)],
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
  (t) => [
    index("audit_log_entity_idx").on(t.entityType, t.entityId),
    index("audit_log_at_idx").on(t.at),
    index("audit_log_actor_idx").on(t.actorUserId, t.id),
  ],
);

/**
 * The rules of one published version of a programme, frozen when first seen at start. Enrolments
 * point here, so a later version never changes what an earlier enrolment had to do.
 */
export const programVersions = sqliteTable(
  "program_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    programCode: text("program_code").notNull(),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    rules: text("rules").notNull(),
    /**
     * JSON ProgramContent: lessons, question banks with keys, practical checklist as published.
     * Null only for a version published before content was stored and no longer on disk.
     */
    content: text("content"),
    publishedAt: text("published_at").notNull().default(now),
  },
  (t) => [uniqueIndex("program_versions_unique").on(t.programCode, t.version)],
);

export const cohorts = sqliteTable(
  "cohorts",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    programVersionId: integer("program_version_id")
      .notNull()
      .references(() => programVersions.id),
    name: text("name").notNull(),
    startDate: text("start_date").notNull(),
    endDate: text("end_date").notNull(),
    capacity: integer("capacity").notNull(),
    createdBy: text("created_by").references(() => users.id),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [index("cohorts_org_idx").on(t.organisationId), index("cohorts_end_idx").on(t.endDate)],
);

export const cohortInstructors = sqliteTable(
  "cohort_instructors",
  {
    cohortId: text("cohort_id")
      .notNull()
      .references(() => cohorts.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
  },
  (t) => [uniqueIndex("cohort_instructors_unique").on(t.cohortId, t.userId)],
);

export const ENROLMENT_STATUSES = ["in_progress", "completed", "withdrawn"] as const;

export const enrolments = sqliteTable(
  "enrolments",
  {
    id: text("id").primaryKey(),
    cohortId: text("cohort_id")
      .notNull()
      .references(() => cohorts.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    programVersionId: integer("program_version_id")
      .notNull()
      .references(() => programVersions.id),
    employerName: text("employer_name").notNull().default(""),
    status: text("status", { enum: ENROLMENT_STATUSES }).notNull().default("in_progress"),
    completedAt: text("completed_at"),
    enrolledAt: text("enrolled_at").notNull().default(now),
    /**
     * The enrolment's completion as last evaluated (JSON `Completion`): stored whenever an event
     * changes it, so a table of a cohort reads it instead of evaluating every trainee's events.
     */
    progress: text("progress"),
  },
  (t) => [uniqueIndex("enrolments_unique").on(t.cohortId, t.userId), index("enrolments_user_idx").on(t.userId)],
);

/**
 * One opening of a lesson and the study time it earned: the page beats while it is visible and the
 * trainee active, and each beat adds what it credits (app/domain/study-time.ts). The record an
 * inspector asks for: when each lesson was opened and for how long it was studied.
 */
export const lessonViews = sqliteTable(
  "lesson_views",
  {
    id: text("id").primaryKey(),
    enrolmentId: text("enrolment_id")
      .notNull()
      .references(() => enrolments.id),
    moduleCode: text("module_code").notNull(),
    lessonCode: text("lesson_code").notNull(),
    openedAt: text("opened_at").notNull(),
    lastBeatAt: text("last_beat_at").notNull(),
    seconds: integer("seconds").notNull().default(0),
  },
  // Covering: a trainee's study time per module is read from the index alone.
  (t) => [index("lesson_views_enrolment_idx").on(t.enrolmentId, t.moduleCode, t.lessonCode, t.seconds)],
);

export const lessonCompletions = sqliteTable(
  "lesson_completions",
  {
    enrolmentId: text("enrolment_id")
      .notNull()
      .references(() => enrolments.id),
    moduleCode: text("module_code").notNull(),
    lessonCode: text("lesson_code").notNull(),
    completedAt: text("completed_at").notNull().default(now),
  },
  (t) => [uniqueIndex("lesson_completions_unique").on(t.enrolmentId, t.moduleCode, t.lessonCode)],
);

export const SESSION_KINDS = ["theory", "practice"] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export const classSessions = sqliteTable(
  "class_sessions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    cohortId: text("cohort_id")
      .notNull()
      .references(() => cohorts.id),
    date: text("date").notNull(),
    title: text("title").notNull(),
    kind: text("kind", { enum: SESSION_KINDS }).notNull(),
    hours: integer("hours").notNull(),
  },
  (t) => [index("class_sessions_cohort_idx").on(t.cohortId, t.date)],
);

export const attendance = sqliteTable(
  "attendance",
  {
    sessionId: integer("session_id")
      .notNull()
      .references(() => classSessions.id),
    enrolmentId: text("enrolment_id")
      .notNull()
      .references(() => enrolments.id),
    hours: integer("hours").notNull(),
    recordedBy: text("recorded_by").references(() => users.id),
    recordedAt: text("recorded_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("attendance_unique").on(t.sessionId, t.enrolmentId),
    index("attendance_enrolment_idx").on(t.enrolmentId, t.sessionId, t.hours),
  ],
);

/** Both module quizzes and the final exam; `questions` holds the drawn items with their keys, server-side only. */
export const ASSESSMENT_KINDS = ["quiz", "exam"] as const;

export const assessmentAttempts = sqliteTable(
  "assessment_attempts",
  {
    id: text("id").primaryKey(),
    enrolmentId: text("enrolment_id")
      .notNull()
      .references(() => enrolments.id),
    kind: text("kind", { enum: ASSESSMENT_KINDS }).notNull(),
    moduleCode: text("module_code"),
    questions: text("questions").notNull(),
    startedAt: text("started_at").notNull(),
    deadlineAt: text("deadline_at"),
    submittedAt: text("submitted_at"),
    answers: text("answers"),
    scorePercent: integer("score_percent"),
    passed: integer("passed", { mode: "boolean" }),
  },
  // Covering for completion (attempts counted, passes found) without reading the papers themselves.
  (t) => [index("assessment_attempts_enrolment_idx").on(t.enrolmentId, t.kind, t.moduleCode, t.passed)],
);

export const PRACTICAL_RESULTS = ["pass", "fail"] as const;

export const practicalAssessments = sqliteTable(
  "practical_assessments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    enrolmentId: text("enrolment_id")
      .notNull()
      .references(() => enrolments.id),
    skillCode: text("skill_code").notNull(),
    result: text("result", { enum: PRACTICAL_RESULTS }).notNull(),
    examiner: text("examiner").notNull(),
    /** The second examiner, for programmes whose practicals need two; null otherwise and in older rows. */
    examiner2: text("examiner2"),
    /** JSON { itemCode: met } for a skill scored by its checklist; null in rows recorded pass/fail only. */
    itemMarks: text("item_marks"),
    /** Points earned, worked out on the server from the marks; null when there are no marks. */
    score: integer("score"),
    assessedOn: text("assessed_on").notNull(),
    recordedBy: text("recorded_by").references(() => users.id),
    recordedAt: text("recorded_at").notNull().default(now),
  },
  (t) => [index("practical_assessments_enrolment_idx").on(t.enrolmentId, t.skillCode, t.result, t.assessedOn)],
);

export const departmentMentors = sqliteTable(
  "department_mentors",
  {
    departmentId: text("department_id")
      .notNull()
      .references(() => departments.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
  },
  (t) => [uniqueIndex("department_mentors_unique").on(t.departmentId, t.userId)],
);

/** A trainee's rotation through one department of the lead hospital, under one mentor. */
export const placements = sqliteTable(
  "placements",
  {
    id: text("id").primaryKey(),
    enrolmentId: text("enrolment_id")
      .notNull()
      .references(() => enrolments.id),
    departmentId: text("department_id")
      .notNull()
      .references(() => departments.id),
    mentorUserId: text("mentor_user_id")
      .notNull()
      .references(() => users.id),
    startDate: text("start_date").notNull(),
    endDate: text("end_date").notNull(),
    requiredDays: integer("required_days").notNull(),
    /** Set when the placement was ended before its planned end; the days after it no longer count. */
    endedEarlyOn: text("ended_early_on"),
    endReason: text("end_reason"),
    createdBy: text("created_by").references(() => users.id),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [
    index("placements_department_idx").on(t.departmentId, t.startDate),
    // The board and the lists ask for placements still running or to come: by their end, not their start.
    index("placements_department_end_idx").on(t.departmentId, t.endDate),
    index("placements_enrolment_idx").on(t.enrolmentId),
    // The daily reminder of placements starting tomorrow, across every hospital.
    index("placements_start_idx").on(t.startDate),
  ],
);

export const SIGNOFF_KINDS = ["day", "skill", "evaluation"] as const;
export const SIGNOFF_STATUSES = ["approved", "pending", "rejected"] as const;

/**
 * What a mentor signed for a placement: an attended day, a skill (dated) or the end-of-placement
 * evaluation. Entries made too late wait as `pending` for the coordinator.
 */
export const rotationSignoffs = sqliteTable(
  "rotation_signoffs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    placementId: text("placement_id")
      .notNull()
      .references(() => placements.id),
    kind: text("kind", { enum: SIGNOFF_KINDS }).notNull(),
    date: text("date").notNull(),
    skillCode: text("skill_code"),
    scores: text("scores"),
    passed: integer("passed", { mode: "boolean" }),
    comments: text("comments").notNull().default(""),
    mentorUserId: text("mentor_user_id")
      .notNull()
      .references(() => users.id),
    /** The coordinator who typed in a paper form on the mentor's behalf, if so. */
    enteredBy: text("entered_by").references(() => users.id),
    onBehalf: integer("on_behalf", { mode: "boolean" }).notNull().default(false),
    status: text("status", { enum: SIGNOFF_STATUSES }).notNull(),
    lateReason: text("late_reason"),
    decidedBy: text("decided_by").references(() => users.id),
    decidedAt: text("decided_at"),
    createdAt: text("created_at").notNull().default(now),
    /**
     * The hospital of the placement's department, filled in by the database on insert (a trigger),
     * so a hospital's queue is read by its own index rather than through every hospital's entries.
     */
    hospitalId: text("hospital_id").references(() => organisations.id),
  },
  (t) => [
    index("rotation_signoffs_placement_idx").on(t.placementId, t.kind),
    // The coordinator's queue: only entries still waiting, however many were decided before, and only the hospital's own.
    index("rotation_signoffs_pending_idx").on(t.hospitalId, t.id).where(sql`status = 'pending'`),
    uniqueIndex("rotation_signoffs_one_day").on(t.placementId, t.date).where(sql`kind = 'day' and status <> 'rejected'`),
  ],
);

/**
 * A certificate as issued: everything printed on it is copied here at issue, so the PDF can be
 * regenerated byte for byte and later edits elsewhere never change it. Never deleted.
 */
/**
 * Every key the deployment has signed certificates with, current and retired. Only public halves are
 * here (the private ones stay in the key folder): a retired or lost key's certificates keep
 * verifying through its row, and the rows are published at /.well-known/certificate-keys.json.
 */
export const signingKeys = sqliteTable("signing_keys", {
  kid: text("kid").primaryKey(),
  /** Ed25519 public key (SPKI PEM): QR codes, the signed data in the PDF, credentials, the status list. */
  publicKey: text("public_key").notNull(),
  /** X.509 certificate (PEM) of the RSA key that signs the PDF files themselves. */
  pdfCertificate: text("pdf_certificate"),
  createdAt: text("created_at").notNull().default(now),
  retiredAt: text("retired_at"),
  retiredNote: text("retired_note"),
});

export const certificates = sqliteTable(
  "certificates",
  {
    id: text("id").primaryKey(),
    serial: text("serial").notNull(),
    enrolmentId: text("enrolment_id")
      .notNull()
      .references(() => enrolments.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    organisationCode: text("organisation_code").notNull(),
    organisationName: text("organisation_name").notNull(),
    programCode: text("program_code").notNull(),
    programVersion: integer("program_version").notNull(),
    programTitle: text("program_title").notNull(),
    certificateTitle: text("certificate_title").notNull(),
    holderName: text("holder_name").notNull(),
    holderIdNumber: text("holder_id_number"),
    cohortStart: text("cohort_start").notNull(),
    cohortEnd: text("cohort_end").notNull(),
    theoryHours: integer("theory_hours").notNull(),
    practiceHours: integer("practice_hours").notNull(),
    completionDate: text("completion_date").notNull(),
    issueDate: text("issue_date").notNull(),
    expiryDate: text("expiry_date"),
    verifyBase: text("verify_base").notNull(),
    payload: text("payload").notNull(),
    signature: text("signature").notNull(),
    /** The signing key (signing_keys.kid) the payload, QR code and PDF were signed with. */
    keyId: text("key_id"),
    pdfSha256: text("pdf_sha256").notNull(),
    issuedBy: text("issued_by").references(() => users.id),
    issuedAt: text("issued_at").notNull().default(now),
    revokedAt: text("revoked_at"),
    revokedReason: text("revoked_reason"),
    revokedNote: text("revoked_note"),
    revokedBy: text("revoked_by").references(() => users.id),
    supersededById: text("superseded_by_id"),
    reissueReason: text("reissue_reason"),
    /** A refresher's certificate: the one it renews, and that one's serial as printed on this one. */
    renewsId: text("renews_id"),
    renewsSerial: text("renews_serial"),
    /** Set on a certificate once a refresher's certificate renews it; it stays valid to its own expiry. */
    renewedById: text("renewed_by_id"),
    /** How many claim lines hold this certificate now; kept by triggers on claim_lines, read by the subsidy tally. */
    claimHolds: integer("claim_holds").notNull().default(0),
  },
  (t) => [
    uniqueIndex("certificates_serial_unique").on(t.serial),
    // One certificate in force per enrolment; a reissue supersedes the old one first.
    uniqueIndex("certificates_one_per_enrolment").on(t.enrolmentId).where(sql`superseded_by_id is null`),
    index("certificates_org_idx").on(t.organisationId, t.issueDate),
    // The register across bases, newest first, a page at a time.
    index("certificates_issue_idx").on(t.issueDate, t.issuedAt, t.id),
    // Searches by a name's beginning, by a whole ID number, and the check of an uploaded PDF.
    index("certificates_holder_name_idx").on(t.holderName),
    index("certificates_holder_id_idx").on(t.holderIdNumber),
    index("certificates_pdf_idx").on(t.pdfSha256),
    // The published status list: only certificates no longer in force, however many are.
    index("certificates_withdrawn_idx").on(t.serial).where(sql`${t.revokedAt} is not null or ${t.supersededById} is not null`),
    // Covers "who holds more than one certificate in force", which the subsidy tally asks of the whole register.
    index("certificates_user_idx").on(t.userId, t.revokedAt, t.supersededById, t.holderIdNumber),
    // Covers the subsidy dashboard's grouped count, so it never touches the table itself.
    // Expiry reminders and the register's "expiring soon" filter: certificates in force, by expiry.
    index("certificates_expiry_idx")
      .on(t.expiryDate)
      .where(sql`${t.revokedAt} is null and ${t.supersededById} is null and ${t.expiryDate} is not null`),
    // The same for one base: its page's count of certificates expiring soon, and the register filtered to it.
    index("certificates_org_expiry_idx")
      .on(t.organisationId, t.expiryDate)
      .where(sql`${t.revokedAt} is null and ${t.supersededById} is null and ${t.expiryDate} is not null`),
    // One renewal per certificate, however many refreshers its holder completes.
    uniqueIndex("certificates_renews_unique").on(t.renewsId).where(sql`${t.renewsId} is not null and ${t.supersededById} is null`),
    index("certificates_tally_idx").on(
      t.organisationId,
      t.programCode,
      t.programVersion,
      t.completionDate,
      t.revokedAt,
      t.supersededById,
      t.holderIdNumber,
      t.claimHolds,
      t.userId,
    ),
  ],
);

export const CLAIM_STATUSES = ["draft", "submitted", "approved", "paid", "withdrawn"] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** A base's request for payment under one policy, for heads completed in a period. */
export const claims = sqliteTable(
  "claims",
  {
    id: text("id").primaryKey(),
    policyCode: text("policy_code").notNull(),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    periodFrom: text("period_from").notNull(),
    periodTo: text("period_to").notNull(),
    status: text("status", { enum: CLAIM_STATUSES }).notNull().default("draft"),
    createdBy: text("created_by").references(() => users.id),
    createdAt: text("created_at").notNull().default(now),
    submittedAt: text("submitted_at"),
    decidedBy: text("decided_by").references(() => users.id),
    decidedAt: text("decided_at"),
    rejectionReason: text("rejection_reason"),
    paidOn: text("paid_on"),
    paymentReference: text("payment_reference"),
  },
  (t) => [index("claims_org_idx").on(t.organisationId, t.policyCode), index("claims_policy_idx").on(t.policyCode, t.status, t.createdAt)],
);

export const CLAIM_LINE_STATUSES = ["included", "removed", "approved", "rejected"] as const;

/**
 * What a line pays for. Per head: the training subsidy, or the skill-appraisal subsidy paid beside
 * it. Per organisation: an award for a designation (示范基地, 示范点). Per person: the 双证
 * incentive. Per cohort: the 人社 training grant to the base.
 */
export const HEAD_ITEMS = ["training", "appraisal"] as const;
export const CLAIM_ITEMS = [...HEAD_ITEMS, "award", "dual_certificate", "cohort_grant"] as const;
export type ClaimItem = (typeof CLAIM_ITEMS)[number];
export type HeadItem = (typeof HEAD_ITEMS)[number];

/**
 * One thing a claim asks money for, with what it is for (its subject): a certificate for a head, a
 * designation for an award, a verified nurse's certificate for the 双证 incentive, a cohort for a
 * grant. Every kind of claim has its lines here, so one lifecycle decides and pays them all.
 */
export const claimLines = sqliteTable(
  "claim_lines",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    claimId: text("claim_id")
      .notNull()
      .references(() => claims.id),
    policyCode: text("policy_code").notNull(),
    certificateId: text("certificate_id").references(() => certificates.id),
    /** The person paid for: the head's holder, or the 双证 nurse. */
    userId: text("user_id").references(() => users.id),
    occupationLevel: text("occupation_level"),
    awardDesignationId: text("award_designation_id").references(() => awardDesignations.id),
    qualificationId: text("qualification_id").references(() => qualifications.id),
    cohortId: text("cohort_id").references(() => cohorts.id),
    item: text("item", { enum: CLAIM_ITEMS }).notNull().default("training"),
    amountFen: integer("amount_fen").notNull(),
    beyondTarget: integer("beyond_target", { mode: "boolean" }).notNull().default(false),
    status: text("status", { enum: CLAIM_LINE_STATUSES }).notNull().default("included"),
    reason: text("reason"),
  },
  (t) => [
    // Each item names the subject it pays for; no line pays for nothing.
    check(
      "claim_lines_subject",
      sql`(item in ('training', 'appraisal') and certificate_id is not null and user_id is not null and occupation_level is not null)
        or (item = 'award' and award_designation_id is not null)
        or (item = 'dual_certificate' and user_id is not null and qualification_id is not null)
        or (item = 'cohort_grant' and cohort_id is not null)`,
    ),
    // No head is claimed twice for one item under one policy, whatever the code does: the database refuses it.
    uniqueIndex("claim_lines_one_per_head").on(t.policyCode, t.certificateId, t.item).where(sql`status in ('included', 'approved')`),
    // …nor one person twice for the same item, occupation and level, under any policy (a second
    // certificate, from another cohort or base, does not make a second head).
    uniqueIndex("claim_lines_one_per_person").on(t.userId, t.occupationLevel, t.item).where(sql`status in ('included', 'approved')`),
    // A designation is paid once; a person gets the 双证 incentive once; a cohort's grant is paid once under a policy.
    uniqueIndex("claim_lines_one_per_designation").on(t.awardDesignationId).where(sql`status in ('included', 'approved')`),
    uniqueIndex("claim_lines_one_incentive_per_person")
      .on(t.userId, t.item)
      .where(sql`item = 'dual_certificate' and status in ('included', 'approved')`),
    uniqueIndex("claim_lines_one_per_cohort").on(t.policyCode, t.cohortId).where(sql`status in ('included', 'approved')`),
    // Covers the dashboard's sums of lines per claim, state and policy.
    index("claim_lines_claim_idx").on(t.claimId, t.status, t.policyCode, t.certificateId, t.amountFen),
  ],
);

/**
 * How many times each family of records has changed, kept by triggers (see the migrations): a
 * figure computed from the whole register (the subsidy tally) is kept while its counter stands
 * still, in every server process, and computed again once anything under it changed.
 */
export const changeCounters = sqliteTable("change_counters", {
  name: text("name").primaryKey(),
  n: integer("n").notNull().default(0),
});

export const NOTIFICATION_KINDS = [
  "certificate_issued",
  "certificate_expiring",
  "placement_tomorrow",
  "signoff_waiting",
  "claim_returned",
  "claim_approved",
  "claim_paid",
  "assessment_result",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const EMAIL_STATES = ["none", "pending", "sent", "failed"] as const;

/**
 * One message to one person, written in the same transaction as the event it tells of (or by the
 * daily reminder job), so none is lost and none is told of an event that did not happen. Its text
 * is made from `kind` and `params` in the reader's language. `dedupeKey` makes every writer
 * idempotent: a reminder run twice, or by two processes, tells each person once. The e-mail copy,
 * if any, is an outbox row: claimed by one process, sent, then marked.
 */
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    params: text("params").notNull().default("{}"),
    /** A path inside the app where the person acts on it. */
    link: text("link").notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    createdAt: text("created_at").notNull().default(now),
    readAt: text("read_at"),
    emailState: text("email_state", { enum: EMAIL_STATES }).notNull().default("none"),
    emailAttempts: integer("email_attempts").notNull().default(0),
    /** While one process is sending it (ms since the epoch); another may try again after it. */
    emailClaimedUntil: integer("email_claimed_until"),
    emailedAt: text("emailed_at"),
    emailError: text("email_error"),
  },
  (t) => [
    uniqueIndex("notifications_dedupe").on(t.userId, t.dedupeKey),
    index("notifications_inbox_idx").on(t.userId, t.id),
    index("notifications_unread_idx").on(t.userId).where(sql`read_at is null`),
    index("notifications_outbox_idx").on(t.id).where(sql`email_state = 'pending'`),
  ],
);

/** A person's choice of which kinds of notification also come by e-mail; a kind with no row does. */
export const notificationEmailChoices = sqliteTable(
  "notification_email_choices",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    email: integer("email", { mode: "boolean" }).notNull(),
  },
  (t) => [uniqueIndex("notification_email_choices_pk").on(t.userId, t.kind)],
);

/**
 * Scheduled work, one row a run (`name` and `runKey`, e.g. the day's reminders): inserted by
 * whichever process gets there first, claimed by one with a lease, marked done when it finished.
 * A process that dies mid-run leaves the lease to run out, and another runs the job again; jobs
 * are idempotent, so the second run completes what the first began.
 */
export const jobs = sqliteTable(
  "jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    runKey: text("run_key").notNull(),
    /** Not before this moment (ms since the epoch). */
    runAt: integer("run_at").notNull(),
    claimedBy: text("claimed_by"),
    claimedUntil: integer("claimed_until"),
    attempts: integer("attempts").notNull().default(0),
    doneAt: text("done_at"),
    lastError: text("last_error"),
    result: text("result"),
  },
  (t) => [uniqueIndex("jobs_run_unique").on(t.name, t.runKey), index("jobs_due_idx").on(t.runAt).where(sql`done_at is null`)],
);
