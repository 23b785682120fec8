import type Database from "better-sqlite3";

/**
 * Every statement the province bench writes or reads by hand, in one place: when a migration adds a
 * column or a table, this is the module to adjust. Anything the app keeps by itself (claim_holds by
 * triggers, whatever later migrations derive) is left to the app: the database is made by the app's
 * own migrations and nothing here writes a derived column.
 */

// ---------------------------------------------------------------- bulk rows of the generator

/** Prepared once per connection, run hundreds of thousands of times inside large transactions. */
export function bulkStatements(sqlite: Database.Database) {
  const s = (text: string) => sqlite.prepare(text);
  const user = s("insert into users (id, name, username, mobile, id_number, password_hash, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)");
  const role = s("insert into role_assignments (user_id, organisation_id, role, created_at) values (?, ?, ?, ?)");
  const cohort = s("insert into cohorts (id, organisation_id, program_version_id, name, start_date, end_date, capacity, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const cohortInstructor = s("insert into cohort_instructors (cohort_id, user_id) values (?, ?)");
  const enrolment = s("insert into enrolments (id, cohort_id, user_id, program_version_id, employer_name, status, completed_at, enrolled_at) values (?, ?, ?, ?, ?, ?, ?, ?)");
  const session = s("insert into class_sessions (cohort_id, date, title, kind, hours) values (?, ?, ?, ?, ?)");
  const attendance = s("insert into attendance (session_id, enrolment_id, hours, recorded_by, recorded_at) values (?, ?, ?, ?, ?)");
  const lesson = s("insert into lesson_completions (enrolment_id, module_code, lesson_code, completed_at) values (?, ?, ?, ?)");
  const attempt = s(
    "insert into assessment_attempts (id, enrolment_id, kind, module_code, questions, started_at, deadline_at, submitted_at, answers, score_percent, passed) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const practical = s("insert into practical_assessments (enrolment_id, skill_code, result, examiner, assessed_on, recorded_by, recorded_at) values (?, ?, ?, ?, ?, ?, ?)");
  const placement = s("insert into placements (id, enrolment_id, department_id, mentor_user_id, start_date, end_date, required_days, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const signoff = s(
    `insert into rotation_signoffs (placement_id, kind, date, skill_code, scores, passed, comments, mentor_user_id, entered_by, on_behalf, status, late_reason, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
  );
  const certificate = s(
    `insert into certificates (id, serial, enrolment_id, user_id, organisation_id, organisation_code, organisation_name, program_code, program_version, program_title,
       certificate_title, holder_name, holder_id_number, cohort_start, cohort_end, theory_hours, practice_hours, completion_date, issue_date, expiry_date, verify_base,
       payload, signature, pdf_sha256, issued_by, issued_at)
     values (@id, @serial, @enrolmentId, @userId, @organisationId, @organisationCode, @organisationName, @programCode, @programVersion, @programTitle,
       @certificateTitle, @holderName, @holderIdNumber, @cohortStart, @cohortEnd, @theoryHours, @practiceHours, @completionDate, @issueDate, @expiryDate, @verifyBase,
       @payload, @signature, @pdfSha256, @issuedBy, @issuedAt)`,
  );
  const audit = s("insert into audit_log (at, actor_user_id, action, entity_type, entity_id, organisation_id, details) values (?, ?, ?, ?, ?, ?, ?)");

  return {
    user: (u: { id: string; name: string; username: string | null; mobile: string | null; idNumber: string | null; passwordHash: string; at: string }) =>
      user.run(u.id, u.name, u.username, u.mobile, u.idNumber, u.passwordHash, u.at, u.at),
    role: (userId: string, organisationId: string, roleName: string, at: string) => role.run(userId, organisationId, roleName, at),
    cohort: (c: { id: string; organisationId: string; programVersionId: number; name: string; startDate: string; endDate: string; capacity: number; createdBy: string; at: string }) =>
      cohort.run(c.id, c.organisationId, c.programVersionId, c.name, c.startDate, c.endDate, c.capacity, c.createdBy, c.at),
    cohortInstructor: (cohortId: string, userId: string) => cohortInstructor.run(cohortId, userId),
    /**
     * An enrolment as the app leaves it after its last event: `completedAt` is set exactly when the
     * app's completion rule says completed. Should enrolments come to store their completion, write
     * it here from the same verdict.
     */
    enrolment: (e: { id: string; cohortId: string; userId: string; programVersionId: number; employerName: string; completedAt: string | null; enrolledAt: string }) =>
      enrolment.run(e.id, e.cohortId, e.userId, e.programVersionId, e.employerName, e.completedAt ? "completed" : "in_progress", e.completedAt, e.enrolledAt),
    /** Returns the new session's id. */
    session: (cohortId: string, date: string, title: string, kind: "theory" | "practice", hours: number) => Number(session.run(cohortId, date, title, kind, hours).lastInsertRowid),
    attendance: (sessionId: number, enrolmentId: string, hours: number, recordedBy: string, at: string) => attendance.run(sessionId, enrolmentId, hours, recordedBy, at),
    lesson: (enrolmentId: string, moduleCode: string, lessonCode: string, at: string) => lesson.run(enrolmentId, moduleCode, lessonCode, at),
    attempt: (a: {
      id: string;
      enrolmentId: string;
      kind: "quiz" | "exam";
      moduleCode: string | null;
      questions: string;
      startedAt: string;
      deadlineAt: string | null;
      submittedAt: string;
      answers: string;
      scorePercent: number;
      passed: boolean;
    }) => attempt.run(a.id, a.enrolmentId, a.kind, a.moduleCode, a.questions, a.startedAt, a.deadlineAt, a.submittedAt, a.answers, a.scorePercent, a.passed ? 1 : 0),
    practical: (enrolmentId: string, skillCode: string, result: "pass" | "fail", examiner: string, assessedOn: string, recordedBy: string, at: string) =>
      practical.run(enrolmentId, skillCode, result, examiner, assessedOn, recordedBy, at),
    placement: (p: { id: string; enrolmentId: string; departmentId: string; mentorUserId: string; startDate: string; endDate: string; requiredDays: number; createdBy: string; at: string }) =>
      placement.run(p.id, p.enrolmentId, p.departmentId, p.mentorUserId, p.startDate, p.endDate, p.requiredDays, p.createdBy, p.at),
    signoff: (r: {
      placementId: string;
      kind: "day" | "skill" | "evaluation";
      date: string;
      skillCode: string | null;
      scores: string | null;
      passed: boolean | null;
      comments: string;
      mentorUserId: string;
      status: "approved" | "pending";
      lateReason: string | null;
      at: string;
    }) =>
      signoff.run(r.placementId, r.kind, r.date, r.skillCode, r.scores, r.passed === null ? null : r.passed ? 1 : 0, r.comments, r.mentorUserId, r.mentorUserId, r.status, r.lateReason, r.at),
    certificate: (c: CertificateRow) => certificate.run(c),
    audit: (at: string, actorUserId: string | null, action: string, entityType: string, entityId: string, organisationId: string | null, details: unknown) =>
      audit.run(at, actorUserId, action, entityType, entityId, organisationId, JSON.stringify(details)),
  };
}

export type BulkStatements = ReturnType<typeof bulkStatements>;

export interface CertificateRow {
  id: string;
  serial: string;
  enrolmentId: string;
  userId: string;
  organisationId: string;
  organisationCode: string;
  organisationName: string;
  programCode: string;
  programVersion: number;
  programTitle: string;
  certificateTitle: string;
  holderName: string;
  holderIdNumber: string | null;
  cohortStart: string;
  cohortEnd: string;
  theoryHours: number;
  practiceHours: number;
  completionDate: string;
  issueDate: string;
  expiryDate: string | null;
  verifyBase: string;
  payload: string;
  signature: string;
  pdfSha256: string;
  issuedBy: string;
  issuedAt: string;
}

/** How many rows each part of the dataset holds, to print beside the shape asked for. */
export function datasetCounts(sqlite: Database.Database) {
  const n = (text: string) => sqlite.prepare(text).pluck().get() as number;
  return {
    bases: n("select count(*) from organisations where kind = 'training_base'"),
    cohorts: n("select count(*) from cohorts"),
    trainees: n("select count(*) from role_assignments where role = 'trainee'"),
    learningEvents:
      n("select count(*) from lesson_completions") + n("select count(*) from assessment_attempts") + n("select count(*) from attendance") + n("select count(*) from practical_assessments"),
    certificates: n("select count(*) from certificates"),
    claims: n("select count(*) from claims"),
    claimLines: n("select count(*) from claim_lines"),
    placements: n("select count(*) from placements"),
    signoffs: n("select count(*) from rotation_signoffs"),
    auditRows: n("select count(*) from audit_log"),
  };
}
