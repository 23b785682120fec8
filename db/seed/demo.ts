import { randomUUID } from "node:crypto";
import { count } from "drizzle-orm";
import type { AppDatabase } from "../client.server";
import {
  accreditations,
  attendance,
  auditLog,
  classSessions,
  cohortInstructors,
  cohorts,
  departmentMentors,
  departments,
  enrolments,
  organisations,
  placements,
  programVersions,
  roleAssignments,
  rotationSignoffs,
  users,
  type HostKind,
  type Role,
} from "../schema";
import { addDays, endAfterWorkingDays, shanghaiDate, weekStart, workingDaysIn } from "../../app/domain/dates";
import { checkCharacter } from "../../app/domain/resident-id";

export const DEMO_PASSWORD = "Demo2026!";

const withCheck = (first17: string) => first17 + checkCharacter(first17);

const GONGSHU = "330105";
const FUYANG = "330111";

/**
 * Organisations modelled on the documents: 拱墅区 hosts the alliance of document 000 and its lead
 * hospital (documents 000, 003) with their rotations; 富阳区 hosts training bases that train
 * instructors under document 001's policy, paid by 富阳区's own bureaus.
 */
const ORGS = [
  { code: "GS-ALLIANCE", kind: "alliance", name: "拱墅区医养结合联盟", parent: null, region: GONGSHU, address: "杭州市拱墅区" },
  { code: "HZ-GERI", kind: "lead_hospital", name: "杭州市老年病医院", parent: "GS-ALLIANCE", region: GONGSHU, address: "杭州市拱墅区" },
  {
    code: "BASE-GERI",
    kind: "training_base",
    name: "杭州市老年病医院医养结合培训基地",
    parent: "GS-ALLIANCE",
    region: GONGSHU,
    address: "杭州市拱墅区",
  },
  {
    code: "BASE-FY",
    kind: "training_base",
    name: "富阳区医养结合培训基地",
    parent: "GS-ALLIANCE",
    region: FUYANG,
    address: "杭州市富阳区",
  },
  {
    code: "BASE-FY-XD",
    kind: "training_base",
    name: "富阳区新登镇中心卫生院医养结合培训基地",
    parent: "GS-ALLIANCE",
    region: FUYANG,
    address: "杭州市富阳区新登镇",
  },
  {
    code: "BASE-REHAB",
    kind: "training_base",
    name: "拱墅区康复护理培训基地",
    parent: "GS-ALLIANCE",
    region: GONGSHU,
    address: "杭州市拱墅区",
  },
  {
    code: "NH-WELFARE",
    kind: "member_institution",
    name: "拱墅区社会福利中心",
    parent: "GS-ALLIANCE",
    region: GONGSHU,
    address: "杭州市拱墅区",
  },
  { code: "NH-HEMU", kind: "member_institution", name: "和睦颐养院", parent: "GS-ALLIANCE", region: GONGSHU, address: "杭州市拱墅区" },
  {
    code: "CHC-MISHI",
    kind: "member_institution",
    name: "米市巷街道社区卫生服务中心",
    parent: "GS-ALLIANCE",
    region: GONGSHU,
    address: "杭州市拱墅区",
  },
  { code: "NH-FY", kind: "member_institution", name: "富阳区社会福利中心", parent: "GS-ALLIANCE", region: FUYANG, address: "杭州市富阳区" },
  { code: "BUREAU-GS", kind: "health_bureau", name: "拱墅区卫生健康局", parent: null, region: GONGSHU, address: "杭州市拱墅区" },
  { code: "BUREAU-FY", kind: "health_bureau", name: "富阳区卫生健康局", parent: null, region: FUYANG, address: "杭州市富阳区" },
  { code: "HRSS-FY", kind: "hr_bureau", name: "富阳区人力资源和社会保障局", parent: null, region: FUYANG, address: "杭州市富阳区" },
] as const;

type OrgCode = (typeof ORGS)[number]["code"];

const DEPARTMENTS = [
  { name: "老年医学科", kind: "geriatrics", capacity: 4, mentors: ["mentor"] },
  { name: "康复医学科", kind: "rehabilitation", capacity: 3, mentors: ["mentor.rehab"] },
  { name: "安宁疗护病区", kind: "hospice", capacity: 2, mentors: ["mentor.rehab"] },
  { name: "神经内科", kind: "neurology", capacity: 2, mentors: ["mentor"] },
] as const;

/** Each base designated by the health bureau of its own district, in a host that 001 二(七)1 allows; BASE-FY-XD awaits designation. */
const ACCREDITATION: {
  org: OrgCode;
  by: OrgCode;
  number: string;
  status: "accredited" | "suspended";
  host: [string, HostKind];
  validFrom: string;
  validTo: string;
  effectiveFrom: string;
  note: string;
}[] = [
  {
    org: "BASE-GERI",
    by: "BUREAU-GS",
    number: "拱卫医养培〔2025〕1号",
    status: "accredited",
    host: ["杭州市老年病医院", "hospital_with_geriatrics_or_rehabilitation"],
    validFrom: "2025-01-01",
    validTo: "2027-12-31",
    effectiveFrom: "2025-01-01",
    note: "",
  },
  {
    org: "BASE-FY",
    by: "BUREAU-FY",
    number: "富卫医养培〔2025〕1号",
    status: "accredited",
    host: ["富阳区第一人民医院", "hospital_with_geriatrics_or_rehabilitation"],
    validFrom: "2025-01-01",
    validTo: "2027-12-31",
    effectiveFrom: "2025-01-01",
    note: "",
  },
  {
    org: "BASE-REHAB",
    by: "BUREAU-GS",
    number: "拱卫医养培〔2024〕3号",
    status: "accredited",
    host: ["拱墅区康复医院", "hospital_with_geriatrics_or_rehabilitation"],
    validFrom: "2024-01-01",
    validTo: "2026-12-31",
    effectiveFrom: "2024-01-01",
    note: "",
  },
  {
    org: "BASE-REHAB",
    by: "BUREAU-GS",
    number: "拱卫医养培〔2024〕3号",
    status: "suspended",
    host: ["拱墅区康复医院", "hospital_with_geriatrics_or_rehabilitation"],
    validFrom: "2024-01-01",
    validTo: "2026-12-31",
    effectiveFrom: "2026-09-01",
    note: "年度评估整改期间暂停",
  },
];

export const DEMO_ACCOUNTS: { username: string; name: string; mobile: string | null; idNumber: string | null; roles: [Role, OrgCode][] }[] =
  [
    { username: "admin", name: "林晓燕", mobile: null, idNumber: null, roles: [["admin", "GS-ALLIANCE"]] },
    { username: "registrar", name: "陈思远", mobile: null, idNumber: null, roles: [["registrar", "BASE-GERI"]] },
    { username: "registrar.fy", name: "何文静", mobile: null, idNumber: null, roles: [["registrar", "BASE-FY"]] },
    { username: "finance.fy", name: "俞建华", mobile: null, idNumber: null, roles: [["base_finance", "BASE-FY"]] },
    {
      username: "instructor",
      name: "王丽华",
      mobile: null,
      idNumber: withCheck("33010519800512302"),
      roles: [["instructor", "BASE-GERI"]],
    },
    { username: "finance", name: "赵国平", mobile: null, idNumber: null, roles: [["base_finance", "BASE-GERI"]] },
    { username: "mentor", name: "孙建明", mobile: null, idNumber: null, roles: [["mentor", "HZ-GERI"]] },
    { username: "mentor.rehab", name: "郑雅琴", mobile: null, idNumber: null, roles: [["mentor", "HZ-GERI"]] },
    { username: "coordinator", name: "周敏", mobile: null, idNumber: null, roles: [["rotation_coordinator", "HZ-GERI"]] },
    { username: "reviewer", name: "吴海涛", mobile: null, idNumber: null, roles: [["reviewer", "BUREAU-GS"]] },
    { username: "reviewer.fy", name: "蒋雪梅", mobile: null, idNumber: null, roles: [["reviewer", "BUREAU-FY"]] },
    { username: "reviewer.hr", name: "方志明", mobile: null, idNumber: null, roles: [["reviewer", "HRSS-FY"]] },
    {
      username: "trainee",
      name: "张小明",
      mobile: "13800000001",
      idNumber: withCheck("33010519900307123"),
      roles: [["trainee", "NH-WELFARE"]],
    },
  ];

/** Further trainees of the demo cohort, besides the demo trainee account. */
const DEMO_COHORT_TRAINEES = [
  { name: "李秀英", mobile: "13900000011", id17: "33010519680214202", employer: "NH-WELFARE" },
  { name: "王建国", mobile: "13900000012", id17: "33010519720603101", employer: "NH-HEMU" },
  { name: "刘桂兰", mobile: "13900000013", id17: "33010519751120202", employer: "CHC-MISHI" },
  { name: "陈志强", mobile: "13900000014", id17: "33010519800930301", employer: "NH-HEMU" },
] as const;

type Tx = Parameters<Parameters<AppDatabase["transaction"]>[0]>[0];

/** A family-caregiver cohort under way at the lead hospital's base, with some attendance recorded. */
function seedDemoCohort(tx: Tx, ids: Map<string, string>, userIds: Map<string, string>, passwordHash: string) {
  const version = tx
    .select()
    .from(programVersions)
    .all()
    .find((v) => v.programCode === "family-caregiver");
  if (!version) return;
  const cohortId = randomUUID();
  tx.insert(cohorts)
    .values({
      id: cohortId,
      organisationId: ids.get("BASE-GERI")!,
      programVersionId: version.id,
      name: "2026年第4期失能老人家庭照护者培训班",
      startDate: "2026-11-01",
      endDate: "2026-12-20",
      capacity: 30,
      createdBy: userIds.get("registrar")!,
    })
    .run();
  tx.insert(cohortInstructors)
    .values({ cohortId, userId: userIds.get("instructor")! })
    .run();
  const enrolled: string[] = [];
  const enrol = (userId: string, employer: string) => {
    const id = randomUUID();
    tx.insert(enrolments).values({ id, cohortId, userId, programVersionId: version.id, employerName: employer }).run();
    enrolled.push(id);
  };
  enrol(userIds.get("trainee")!, "拱墅区社会福利中心");
  for (const p of DEMO_COHORT_TRAINEES) {
    const userId = randomUUID();
    const employer = ORGS.find((o) => o.code === p.employer)!;
    tx.insert(users)
      .values({ id: userId, name: p.name, mobile: p.mobile, idNumber: withCheck(p.id17), passwordHash })
      .run();
    tx.insert(roleAssignments)
      .values({ userId, organisationId: ids.get(p.employer)!, role: "trainee" })
      .run();
    enrol(userId, employer.name);
  }
  const sessions = [
    { date: "2026-11-07", title: "居家安全与防跌倒", kind: "theory" as const, hours: 2 },
    { date: "2026-11-07", title: "居家环境检查实操", kind: "practice" as const, hours: 2 },
    { date: "2026-11-14", title: "协助进食与翻身实操", kind: "practice" as const, hours: 3 },
  ];
  sessions.forEach((s, i) => {
    const sessionId = tx
      .insert(classSessions)
      .values({ cohortId, ...s })
      .returning({ id: classSessions.id })
      .get().id;
    enrolled.forEach((enrolmentId, j) => {
      // One trainee missed the last session: the progress table shows why they are behind.
      if (i === 2 && j === 3) return;
      tx.insert(attendance)
        .values({ sessionId, enrolmentId, hours: s.hours, recordedBy: userIds.get("registrar")! })
        .run();
    });
  });
}

const INSTRUCTOR_TRAINEES = [
  { name: "黄丽萍", mobile: "13900000021", id17: "33010519820417402", employer: "NH-WELFARE" },
  { name: "许文涛", mobile: "13900000022", id17: "33010519790822301", employer: "CHC-MISHI" },
  { name: "马晓燕", mobile: "13900000023", id17: "33010519850309202", employer: "NH-HEMU" },
] as const;

/**
 * A caregiver-instructor cohort (the programme behind the per-instructor subsidy) whose first
 * trainee is rotating through geriatrics this week, so the mentor and coordinator screens have
 * something to show whenever the demo is started.
 */
function seedInstructorCohort(
  tx: Tx,
  ids: Map<string, string>,
  userIds: Map<string, string>,
  departmentIds: Map<string, string>,
  passwordHash: string,
  today: string,
) {
  const version = tx
    .select()
    .from(programVersions)
    .all()
    .find((v) => v.programCode === "caregiver-instructor");
  if (!version) return;
  const monday = weekStart(today);
  const cohortId = randomUUID();
  tx.insert(cohorts)
    .values({
      id: cohortId,
      organisationId: ids.get("BASE-GERI")!,
      programVersionId: version.id,
      name: "2026年养老护理员师资培训班",
      startDate: addDays(monday, -14),
      endDate: addDays(monday, 84),
      capacity: 20,
      createdBy: userIds.get("registrar")!,
    })
    .run();
  tx.insert(cohortInstructors)
    .values({ cohortId, userId: userIds.get("instructor")! })
    .run();
  INSTRUCTOR_TRAINEES.forEach((p, i) => {
    const userId = randomUUID();
    tx.insert(users)
      .values({ id: userId, name: p.name, mobile: p.mobile, idNumber: withCheck(p.id17), passwordHash })
      .run();
    tx.insert(roleAssignments)
      .values({ userId, organisationId: ids.get(p.employer)!, role: "trainee" })
      .run();
    const enrolmentId = randomUUID();
    tx.insert(enrolments)
      .values({
        id: enrolmentId,
        cohortId,
        userId,
        programVersionId: version.id,
        employerName: ORGS.find((o) => o.code === p.employer)!.name,
      })
      .run();
    if (i !== 0) return;
    const start = addDays(monday, -7);
    const placementId = randomUUID();
    tx.insert(placements)
      .values({
        id: placementId,
        enrolmentId,
        departmentId: departmentIds.get("geriatrics")!,
        mentorUserId: userIds.get("mentor")!,
        startDate: start,
        endDate: endAfterWorkingDays(start, 10),
        requiredDays: 10,
        createdBy: userIds.get("coordinator")!,
      })
      .run();
    for (const date of workingDaysIn(start, addDays(start, 4))) {
      tx.insert(rotationSignoffs)
        .values({
          placementId,
          kind: "day",
          date,
          mentorUserId: userIds.get("mentor")!,
          enteredBy: userIds.get("mentor")!,
          status: "approved",
        })
        .run();
    }
  });
}

/** Fills an empty database with the demo alliance. Does nothing when any organisation exists. */
export function seedDemo(db: AppDatabase, passwordHash: string, today = shanghaiDate(new Date().toISOString())): boolean {
  return db.transaction((tx) => {
    if (tx.select({ n: count() }).from(organisations).get()!.n > 0) return false;
    const ids = new Map<string, string>();
    for (const o of ORGS) ids.set(o.code, randomUUID());
    for (const o of ORGS) {
      tx.insert(organisations)
        .values({
          id: ids.get(o.code)!,
          code: o.code,
          kind: o.kind,
          name: o.name,
          parentId: o.parent ? ids.get(o.parent)! : null,
          regionCode: o.region,
          address: o.address,
        })
        .run();
    }
    for (const a of ACCREDITATION) {
      const { org, by, host, ...rest } = a;
      tx.insert(accreditations)
        .values({ organisationId: ids.get(org)!, authorityId: ids.get(by)!, hostName: host[0], hostKind: host[1], ...rest })
        .run();
    }
    const userIds = new Map<string, string>();
    for (const acc of DEMO_ACCOUNTS) {
      const userId = randomUUID();
      userIds.set(acc.username, userId);
      tx.insert(users)
        .values({ id: userId, name: acc.name, username: acc.username, mobile: acc.mobile, idNumber: acc.idNumber, passwordHash })
        .run();
      for (const [role, org] of acc.roles)
        tx.insert(roleAssignments)
          .values({ userId, organisationId: ids.get(org)!, role })
          .run();
    }
    const departmentIds = new Map<string, string>();
    for (const { mentors, ...d } of DEPARTMENTS) {
      const id = randomUUID();
      departmentIds.set(d.kind, id);
      tx.insert(departments)
        .values({ id, organisationId: ids.get("HZ-GERI")!, ...d })
        .run();
      for (const m of mentors)
        tx.insert(departmentMentors)
          .values({ departmentId: id, userId: userIds.get(m)! })
          .run();
    }
    seedDemoCohort(tx, ids, userIds, passwordHash);
    seedInstructorCohort(tx, ids, userIds, departmentIds, passwordHash, today);
    tx.insert(auditLog)
      .values({
        actorUserId: null,
        action: "system.seed-demo",
        entityType: "system",
        entityId: "demo",
        details: JSON.stringify({ organisations: ORGS.length, accounts: DEMO_ACCOUNTS.length }),
      })
      .run();
    return true;
  });
}
