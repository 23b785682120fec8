import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { Completion } from "../../app/domain/completion";
import { ATTENDANCE_PAGE_SIZE, PAGE_SIZE } from "../../app/domain/paging";

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
  const user = s(
    "insert into users (id, name, username, mobile, id_number, password_hash, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const role = s("insert into role_assignments (user_id, organisation_id, role, created_at) values (?, ?, ?, ?)");
  const cohort = s(
    "insert into cohorts (id, organisation_id, program_version_id, name, start_date, end_date, capacity, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const cohortInstructor = s("insert into cohort_instructors (cohort_id, user_id) values (?, ?)");
  const enrolment = s(
    "insert into enrolments (id, cohort_id, user_id, program_version_id, employer_name, status, completed_at, enrolled_at, progress) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const session = s("insert into class_sessions (cohort_id, date, title, kind, hours) values (?, ?, ?, ?, ?)");
  const attendance = s("insert into attendance (session_id, enrolment_id, hours, recorded_by, recorded_at) values (?, ?, ?, ?, ?)");
  const lesson = s("insert into lesson_completions (enrolment_id, module_code, lesson_code, completed_at) values (?, ?, ?, ?)");
  const lessonView = s(
    "insert into lesson_views (id, enrolment_id, module_code, lesson_code, opened_at, last_beat_at, seconds) values (?, ?, ?, ?, ?, ?, ?)",
  );
  const attempt = s(
    "insert into assessment_attempts (id, enrolment_id, kind, module_code, questions, started_at, deadline_at, submitted_at, answers, score_percent, passed) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const practical = s(
    "insert into practical_assessments (enrolment_id, skill_code, result, examiner, assessed_on, recorded_by, recorded_at) values (?, ?, ?, ?, ?, ?, ?)",
  );
  const placement = s(
    "insert into placements (id, enrolment_id, department_id, mentor_user_id, start_date, end_date, required_days, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const signoff = s(
    `insert into rotation_signoffs (placement_id, kind, date, skill_code, scores, passed, comments, mentor_user_id, entered_by, on_behalf, status, late_reason, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
  );
  const certificate = s(
    `insert into certificates (id, serial, enrolment_id, user_id, organisation_id, organisation_code, organisation_name, program_code, program_version, program_title,
       certificate_title, holder_name, holder_id_number, cohort_start, cohort_end, theory_hours, practice_hours, completion_date, issue_date, expiry_date, verify_base,
       payload, signature, key_id, pdf_sha256, issued_by, issued_at)
     values (@id, @serial, @enrolmentId, @userId, @organisationId, @organisationCode, @organisationName, @programCode, @programVersion, @programTitle,
       @certificateTitle, @holderName, @holderIdNumber, @cohortStart, @cohortEnd, @theoryHours, @practiceHours, @completionDate, @issueDate, @expiryDate, @verifyBase,
       @payload, @signature, @keyId, @pdfSha256, @issuedBy, @issuedAt)`,
  );
  const audit = s(
    "insert into audit_log (at, actor_user_id, action, entity_type, entity_id, organisation_id, details) values (?, ?, ?, ?, ?, ?, ?)",
  );

  return {
    user: (u: {
      id: string;
      name: string;
      username: string | null;
      mobile: string | null;
      idNumber: string | null;
      passwordHash: string;
      at: string;
    }) => user.run(u.id, u.name, u.username, u.mobile, u.idNumber, u.passwordHash, u.at, u.at),
    role: (userId: string, organisationId: string, roleName: string, at: string) => role.run(userId, organisationId, roleName, at),
    cohort: (c: {
      id: string;
      organisationId: string;
      programVersionId: number;
      name: string;
      startDate: string;
      endDate: string;
      capacity: number;
      createdBy: string;
      at: string;
    }) => cohort.run(c.id, c.organisationId, c.programVersionId, c.name, c.startDate, c.endDate, c.capacity, c.createdBy, c.at),
    cohortInstructor: (cohortId: string, userId: string) => cohortInstructor.run(cohortId, userId),
    /**
     * An enrolment as the app leaves it after its last event: `completion` is the app's own rule run
     * on the events written, stored as the app stores it, and `completedAt` is set exactly when it
     * says completed.
     */
    enrolment: (e: {
      id: string;
      cohortId: string;
      userId: string;
      programVersionId: number;
      employerName: string;
      completion: Completion;
      completedAt: string | null;
      enrolledAt: string;
    }) =>
      enrolment.run(
        e.id,
        e.cohortId,
        e.userId,
        e.programVersionId,
        e.employerName,
        e.completedAt ? "completed" : "in_progress",
        e.completedAt,
        e.enrolledAt,
        JSON.stringify(e.completion),
      ),
    /** Returns the new session's id. */
    session: (cohortId: string, date: string, title: string, kind: "theory" | "practice", hours: number) =>
      Number(session.run(cohortId, date, title, kind, hours).lastInsertRowid),
    attendance: (sessionId: number, enrolmentId: string, hours: number, recordedBy: string, at: string) =>
      attendance.run(sessionId, enrolmentId, hours, recordedBy, at),
    /** A lesson read at `at`, after one sitting of `seconds` (none recorded when 0: versions before study time). */
    lesson: (enrolmentId: string, moduleCode: string, lessonCode: string, at: string, seconds: number) => {
      if (seconds > 0) {
        const opened = new Date(Date.parse(at) - seconds * 1000).toISOString();
        lessonView.run(randomUUID(), enrolmentId, moduleCode, lessonCode, opened, at, seconds);
      }
      lesson.run(enrolmentId, moduleCode, lessonCode, at);
    },
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
    }) =>
      attempt.run(
        a.id,
        a.enrolmentId,
        a.kind,
        a.moduleCode,
        a.questions,
        a.startedAt,
        a.deadlineAt,
        a.submittedAt,
        a.answers,
        a.scorePercent,
        a.passed ? 1 : 0,
      ),
    practical: (
      enrolmentId: string,
      skillCode: string,
      result: "pass" | "fail",
      examiner: string,
      assessedOn: string,
      recordedBy: string,
      at: string,
    ) => practical.run(enrolmentId, skillCode, result, examiner, assessedOn, recordedBy, at),
    placement: (p: {
      id: string;
      enrolmentId: string;
      departmentId: string;
      mentorUserId: string;
      startDate: string;
      endDate: string;
      requiredDays: number;
      createdBy: string;
      at: string;
    }) => placement.run(p.id, p.enrolmentId, p.departmentId, p.mentorUserId, p.startDate, p.endDate, p.requiredDays, p.createdBy, p.at),
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
      signoff.run(
        r.placementId,
        r.kind,
        r.date,
        r.skillCode,
        r.scores,
        r.passed === null ? null : r.passed ? 1 : 0,
        r.comments,
        r.mentorUserId,
        r.mentorUserId,
        r.status,
        r.lateReason,
        r.at,
      ),
    certificate: (c: CertificateRow) => certificate.run(c),
    audit: (
      at: string,
      actorUserId: string | null,
      action: string,
      entityType: string,
      entityId: string,
      organisationId: string | null,
      details: unknown,
    ) => audit.run(at, actorUserId, action, entityType, entityId, organisationId, JSON.stringify(details)),
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
  keyId: string;
  pdfSha256: string;
  issuedBy: string;
  issuedAt: string;
}

export function countAuditRows(sqlite: Database.Database): number {
  return sqlite.prepare("select count(*) from audit_log").pluck().get() as number;
}

/** Enrolments and certificates picked at random, to read back through the app. */
export function sampleEnrolments(sqlite: Database.Database, n: number) {
  return sqlite.prepare("select id, status from enrolments order by random() limit ?").all(n) as { id: string; status: string }[];
}

export function sampleCertificates(sqlite: Database.Database, n: number) {
  return sqlite
    .prepare("select serial, verify_base as verifyBase, payload, signature from certificates order by random() limit ?")
    .all(n) as { serial: string; verifyBase: string; payload: string; signature: string }[];
}

/** How many rows each part of the dataset holds, to print beside the shape asked for. */
export function datasetCounts(sqlite: Database.Database) {
  const n = (text: string) => sqlite.prepare(text).pluck().get() as number;
  return {
    bases: n("select count(*) from organisations where kind = 'training_base'"),
    cohorts: n("select count(*) from cohorts"),
    trainees: n("select count(*) from role_assignments where role = 'trainee'"),
    learningEvents:
      n("select count(*) from lesson_completions") +
      n("select count(*) from assessment_attempts") +
      n("select count(*) from attendance") +
      n("select count(*) from practical_assessments"),
    certificates: n("select count(*) from certificates"),
    claims: n("select count(*) from claims"),
    claimLines: n("select count(*) from claim_lines"),
    placements: n("select count(*) from placements"),
    signoffs: n("select count(*) from rotation_signoffs"),
    auditRows: n("select count(*) from audit_log"),
  };
}

// ---------------------------------------------------------------- what the measurement looks at

/** The records the key pages are measured on, and the people who open them. */
export interface Fixtures {
  today: string;
  base: { id: string; code: string; regionCode: string; registrar: string; finance: string };
  /** The cohort under way with the most attendance recorded (of all cohorts when none is under way). */
  cohort: { id: string; enrolmentIds: string[]; traineeName: string };
  /** Its latest session held, whose attendance is saved again and again. */
  session: { id: number; hours: number };
  /** Someone on a second programme, with rotations: the fullest trainee pages there are. */
  trainee: { userId: string; mobile: string; enrolmentId: string };
  certificate: { serial: string; payload: string; signature: string; holderName: string };
  reviewer: { username: string; bureauId: string; districtBaseIds: string[] };
  /** The lead hospital with the most placements. */
  hospital: { id: string; coordinator: string };
  admin: string;
}

export function findFixtures(sqlite: Database.Database, today: string): Fixtures {
  const get = <T>(text: string, ...args: unknown[]) => sqlite.prepare(text).get(...args) as T;
  const pluck = <T>(text: string, ...args: unknown[]) =>
    sqlite
      .prepare(text)
      .pluck()
      .get(...args) as T;
  const holder = (organisationId: string, role: string) =>
    pluck<string>(
      "select u.username from role_assignments r join users u on u.id = r.user_id where r.organisation_id = ? and r.role = ? order by u.username limit 1",
      organisationId,
      role,
    );

  // The cohort under way with the most attendance recorded: a large class well into its course.
  const cohort = get<{ id: string; organisation_id: string }>(
    `select k.id, k.organisation_id from cohorts k
     order by (k.start_date <= @today and k.end_date >= @today) desc,
       (select count(*) from class_sessions s join attendance t on t.session_id = s.id where s.cohort_id = k.id) desc, k.id
     limit 1`,
    { today },
  );
  const base = get<{ id: string; code: string; region_code: string }>(
    "select id, code, region_code from organisations where id = ?",
    cohort.organisation_id,
  );
  const session = get<{ id: number; hours: number }>(
    "select id, hours from class_sessions where cohort_id = ? and date <= ? order by date desc, id desc limit 1",
    cohort.id,
    today,
  );
  const trainee =
    get<{ user_id: string; mobile: string; id: string } | undefined>(
      `select e.user_id, u.mobile, e.id from enrolments e join users u on u.id = e.user_id
       where e.user_id in (select user_id from enrolments group by user_id having count(*) > 1)
         and exists (select 1 from placements p where p.enrolment_id = e.id)
       order by e.enrolled_at desc, e.id limit 1`,
    ) ??
    get<{ user_id: string; mobile: string; id: string }>(
      "select e.user_id, u.mobile, e.id from enrolments e join users u on u.id = e.user_id where e.cohort_id = ? limit 1",
      cohort.id,
    );
  const certificate = get<{ serial: string; payload: string; signature: string; holder_name: string }>(
    "select serial, payload, signature, holder_name from certificates where organisation_id = ? order by issue_date desc, id limit 1 offset 10",
    base.id,
  );
  const bureau = get<{ id: string }>("select id from organisations where kind = 'health_bureau' and region_code = ?", base.region_code);
  const hospital = pluck<string>(
    "select d.organisation_id from placements p join departments d on d.id = p.department_id group by 1 order by count(*) desc, 1 limit 1",
  );
  return {
    today,
    base: {
      id: base.id,
      code: base.code,
      regionCode: base.region_code,
      registrar: holder(base.id, "registrar"),
      finance: holder(base.id, "base_finance"),
    },
    cohort: {
      id: cohort.id,
      enrolmentIds: sqlite
        .prepare("select id from enrolments where cohort_id = ? order by enrolled_at, id")
        .pluck()
        .all(cohort.id) as string[],
      traineeName: pluck<string>(
        "select u.name from enrolments e join users u on u.id = e.user_id where e.cohort_id = ? order by e.id limit 1",
        cohort.id,
      ),
    },
    session,
    trainee: { userId: trainee.user_id, mobile: trainee.mobile, enrolmentId: trainee.id },
    certificate: {
      serial: certificate.serial,
      payload: certificate.payload,
      signature: certificate.signature,
      holderName: certificate.holder_name,
    },
    reviewer: {
      username: holder(bureau.id, "reviewer"),
      bureauId: bureau.id,
      districtBaseIds: sqlite
        .prepare("select id from organisations where kind = 'training_base' and region_code = ?")
        .pluck()
        .all(base.region_code) as string[],
    },
    hospital: { id: hospital, coordinator: holder(hospital, "rotation_coordinator") },
    admin: pluck<string>(
      "select u.username from role_assignments r join users u on u.id = r.user_id where r.role = 'admin' order by u.username limit 1",
    ),
  };
}

// ---------------------------------------------------------------- hand-written equivalents of pages

/**
 * For a page, the least the database must do to produce its numbers, written by hand: the floor
 * the page's cost is compared with. Each returns its rows so they are really read.
 */
export type ReferenceQuery = (
  sqlite: Database.Database,
  f: Fixtures,
  extra: { policyCode: string; window: { from: string; to: string }; board: { from: string; to: string } },
) => unknown[];

const HOLDING = "('included', 'approved')";

const all = (sqlite: Database.Database, text: string, ...args: unknown[]) =>
  sqlite
    .prepare(text)
    .raw()
    .all(...args);
const json = (values: string[]) => JSON.stringify(values);

/** Each trainee's lessons, quizzes passed, hours by kind, exam attempts and pass, skills passed and rotation days: one GROUP BY over the cohort's events. */
export const cohortProgressQuery: ReferenceQuery = (sqlite, f) =>
  all(
    sqlite,
    `with e as materialized (select id, user_id from enrolments where cohort_id = @cohort order by enrolled_at, id limit ${PAGE_SIZE}),
     ev(enrolment_id, k, code, hours, ok) as (
       select l.enrolment_id, 'lesson', l.module_code, 0, 1 from e cross join lesson_completions l on l.enrolment_id = e.id
       union all select a.enrolment_id, a.kind, a.module_code, 0, a.passed from e cross join assessment_attempts a on a.enrolment_id = e.id
       union all select t.enrolment_id, s.kind, null, t.hours, 1 from class_sessions s join attendance t on t.session_id = s.id where s.cohort_id = @cohort
       union all select p.enrolment_id, 'skill', p.skill_code, 0, p.result = 'pass' from e cross join practical_assessments p on p.enrolment_id = e.id
       union all select pl.enrolment_id, 'rotation', d.kind, r.kind = 'day', r.kind = 'evaluation' and r.passed
         from e cross join placements pl on pl.enrolment_id = e.id join departments d on d.id = pl.department_id
         join rotation_signoffs r on r.placement_id = pl.id and r.status = 'approved'
     )
     select e.id, u.name, u.id_number,
       sum(ev.k = 'lesson'), count(distinct case when ev.k = 'quiz' and ev.ok then ev.code end),
       sum(case when ev.k = 'theory' then ev.hours else 0 end), sum(case when ev.k = 'practice' then ev.hours else 0 end),
       sum(ev.k = 'exam'), max(ev.k = 'exam' and ev.ok),
       count(distinct case when ev.k = 'skill' and ev.ok then ev.code end),
       sum(case when ev.k = 'rotation' then ev.hours else 0 end), sum(case when ev.k = 'rotation' then ev.ok else 0 end)
     from e join users u on u.id = e.user_id left join ev on ev.enrolment_id = e.id
     group by e.id`,
    { cohort: f.cohort.id },
  );

export const attendanceGridQuery: ReferenceQuery = (sqlite, f) => {
  const page = all(
    sqlite,
    `select e.id, u.name from enrolments e join users u on u.id = e.user_id where e.cohort_id = ? order by e.enrolled_at, u.name limit ${ATTENDANCE_PAGE_SIZE}`,
    f.cohort.id,
  );
  return [
    ...all(sqlite, "select id, date, title, kind, hours from class_sessions where cohort_id = ? order by date, id", f.cohort.id),
    ...all(
      sqlite,
      "select t.session_id, t.enrolment_id, t.hours from attendance t join class_sessions s on s.id = t.session_id where s.cohort_id = ? and t.enrolment_id in (select value from json_each(?))",
      f.cohort.id,
      json(page.map((r) => (r as [string])[0])),
    ),
    ...page,
  ];
};

export const certificateSearchQuery: ReferenceQuery = (sqlite, f) =>
  all(
    sqlite,
    `select id, serial, holder_name, holder_id_number, program_title, organisation_name, issue_date, revoked_at, superseded_by_id, expiry_date
     from certificates where organisation_id = ? and holder_name like ? order by issue_date desc, issued_at desc, id desc limit 500`,
    f.base.id,
    `%${f.certificate.holderName}%`,
  );

/** Eligible heads by base and programme, what claims hold by base and state, heads by month, and the claims. */
function subsidyFigures(sqlite: Database.Database, baseIds: string[], policyCode: string, window: { from: string; to: string }) {
  return [
    ...all(
      sqlite,
      `select organisation_id, program_code, count(*) from certificates
       where organisation_id in (select value from json_each(?)) and program_code in ('caregiver-instructor', 'medical-nursing-assistant')
         and revoked_at is null and superseded_by_id is null and claim_holds = 0 and holder_id_number is not null and completion_date between ? and ?
       group by 1, 2`,
      json(baseIds),
      window.from,
      window.to,
    ),
    ...all(
      sqlite,
      `select k.organisation_id, k.status, count(distinct l.certificate_id), sum(l.amount_fen) from claim_lines l join claims k on k.id = l.claim_id
       where l.policy_code = ? and l.status in ${HOLDING} group by 1, 2`,
      policyCode,
    ),
    ...all(
      sqlite,
      `select substr(completion_date, 1, 7), count(*) from certificates where organisation_id in (select value from json_each(?))
         and program_code in ('caregiver-instructor', 'medical-nursing-assistant') and revoked_at is null and superseded_by_id is null group by 1`,
      json(baseIds),
    ),
    ...all(
      sqlite,
      "select id, organisation_id, period_from, period_to, status, created_at from claims where policy_code = ? and organisation_id in (select value from json_each(?)) order by created_at desc",
      policyCode,
      json(baseIds),
    ),
  ];
}

export const districtFinanceQuery: ReferenceQuery = (sqlite, f, x) =>
  subsidyFigures(sqlite, f.reviewer.districtBaseIds, x.policyCode, x.window);
export const baseFinanceQuery: ReferenceQuery = (sqlite, f, x) => [
  ...subsidyFigures(sqlite, [f.base.id], x.policyCode, x.window),
  ...subsidyFigures(sqlite, f.reviewer.districtBaseIds, x.policyCode, x.window).slice(0, 2),
];

export const reviewQueueQuery: ReferenceQuery = (sqlite, f, x) => [
  ...all(
    sqlite,
    `select k.id, o.name, k.status, k.period_from, k.period_to, count(distinct l.certificate_id), sum(l.amount_fen) from claims k
     join organisations o on o.id = k.organisation_id left join claim_lines l on l.claim_id = k.id and l.status in ${HOLDING}
     where k.policy_code = ? and k.status in ('submitted', 'approved') group by k.id order by k.created_at desc`,
    x.policyCode,
  ),
  ...all(
    sqlite,
    `select o.id, o.name, a.status, a.number, a.valid_to from organisations o
     left join accreditations a on a.id = (select id from accreditations where organisation_id = o.id and effective_from <= ? order by effective_from desc, id desc limit 1)
     where o.kind = 'training_base' and o.region_code = ?`,
    f.today,
    f.base.regionCode,
  ),
];

export const rotationBoardQuery: ReferenceQuery = (sqlite, f, x) => [
  ...all(sqlite, "select id, name, kind, capacity from departments where organisation_id = ? and active = 1 order by name", f.hospital.id),
  ...all(
    sqlite,
    `select p.department_id, p.start_date, coalesce(p.ended_early_on, p.end_date), u.name from placements p
     join departments d on d.id = p.department_id join enrolments e on e.id = p.enrolment_id join users u on u.id = e.user_id
     where d.organisation_id = ? and p.start_date <= ? and coalesce(p.ended_early_on, p.end_date) >= ?`,
    f.hospital.id,
    x.board.to,
    x.board.from,
  ),
];

const pendingOfHospital = `from rotation_signoffs r join placements p on p.id = r.placement_id join departments d on d.id = p.department_id
  where d.organisation_id = ? and r.status = 'pending'`;

export const hospitalHomeQuery: ReferenceQuery = (sqlite, f) => [
  ...all(
    sqlite,
    `select d.id, d.name, d.kind, d.capacity, d.active, u.id, u.name from departments d
     left join department_mentors m on m.department_id = d.id left join users u on u.id = m.user_id where d.organisation_id = ? order by d.name`,
    f.hospital.id,
  ),
  ...all(sqlite, `select count(*) ${pendingOfHospital}`, f.hospital.id),
];

export const approvalsQuery: ReferenceQuery = (sqlite, f) =>
  all(
    sqlite,
    `select r.id, r.kind, r.date, r.late_reason, r.entered_by, mentor.name, trainee.name, d.name
     from rotation_signoffs r join placements p on p.id = r.placement_id join departments d on d.id = p.department_id
     join users mentor on mentor.id = r.mentor_user_id join enrolments e on e.id = p.enrolment_id join users trainee on trainee.id = e.user_id
     where d.organisation_id = ? and r.status = 'pending' order by r.date, r.id`,
    f.hospital.id,
  );

export const auditSearchQuery: ReferenceQuery = (sqlite, f) =>
  all(
    sqlite,
    `select a.id, a.at, a.action, a.entity_type, a.entity_id, a.organisation_id, a.details, u.name from audit_log a left join users u on u.id = a.actor_user_id
     where a.action like @text or a.details like @text or u.name like @text order by a.id desc limit 100`,
    { text: `%${f.cohort.traineeName}%` },
  );

/** A trainee's numbers for one enrolment: lessons, quizzes passed, hours, exam, skills, rotation days. */
function enrolmentFigures(sqlite: Database.Database, enrolmentId: string) {
  return [
    ...all(sqlite, "select module_code, lesson_code from lesson_completions where enrolment_id = ?", enrolmentId),
    ...all(sqlite, "select kind, module_code, passed, score_percent from assessment_attempts where enrolment_id = ?", enrolmentId),
    ...all(
      sqlite,
      "select s.kind, sum(t.hours) from attendance t join class_sessions s on s.id = t.session_id where t.enrolment_id = ? group by 1",
      enrolmentId,
    ),
    ...all(sqlite, "select skill_code, result, assessed_on from practical_assessments where enrolment_id = ?", enrolmentId),
    ...all(
      sqlite,
      `select p.id, d.kind, p.required_days, sum(r.kind = 'day'), max(r.kind = 'evaluation' and r.passed) from placements p join departments d on d.id = p.department_id
       left join rotation_signoffs r on r.placement_id = p.id and r.status = 'approved' where p.enrolment_id = ? group by p.id`,
      enrolmentId,
    ),
  ];
}

export const learnHomeQuery: ReferenceQuery = (sqlite, f) => {
  const enrolments = all(
    sqlite,
    `select e.id, e.status, e.completed_at, v.title, k.name, k.start_date, k.end_date, o.name from enrolments e join cohorts k on k.id = e.cohort_id
     join organisations o on o.id = k.organisation_id join program_versions v on v.id = e.program_version_id where e.user_id = ? order by k.start_date desc`,
    f.trainee.userId,
  ) as unknown[][];
  return [
    ...enrolments.flatMap((e) => enrolmentFigures(sqlite, e[0] as string)),
    ...all(
      sqlite,
      "select id, certificate_title, serial, issue_date, expiry_date, revoked_at, superseded_by_id from certificates where user_id = ? order by issue_date desc",
      f.trainee.userId,
    ),
  ];
};

export const learnProgrammeQuery: ReferenceQuery = (sqlite, f) => [
  ...enrolmentFigures(sqlite, f.trainee.enrolmentId),
  ...all(
    sqlite,
    `select r.placement_id, r.kind, r.date, r.skill_code, r.passed, r.comments from rotation_signoffs r join placements p on p.id = r.placement_id
     where p.enrolment_id = ? and r.status = 'approved' order by r.date, r.id`,
    f.trainee.enrolmentId,
  ),
];
