import { randomUUID } from "node:crypto";
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { db } from "../../db/client.server";
import { seedDemo } from "../../db/seed/demo";
import {
  assessmentAttempts,
  attendance,
  auditLog,
  certificates,
  claims,
  classSessions,
  cohorts,
  departments,
  enrolments,
  lessonCompletions,
  lessonViews,
  organisations,
  placements,
  practicalAssessments,
  programVersions,
  qualifications,
  roleAssignments,
  rotationSignoffs,
  users,
} from "../../db/schema";
import { addDays, endAfterWorkingDays, workingDaysIn } from "../domain/dates";
import { checkCharacter } from "../domain/resident-id";
import { classroomTheoryHours, splitsTheoryHours, type ProgramRules } from "../domain/program";
import { recordAudit } from "../services/audit.server";
import { assessmentsOf, currentTemplate, recordAssessment } from "../services/base-assessments.server";
import { addQualification, decideQualification } from "../services/qualifications.server";
import { designateAward, designationsUnder } from "../services/awards.server";
import { awardPolicies } from "../content/policies.server";
import { halfYearOf, halfYearRange, previousHalfYear } from "../domain/base-assessment";
import { issueCertificate } from "../services/certificates.server";
import { refreshCompletion } from "../services/completion.server";
import { today } from "../services/clock.server";
import { createClaim, decideClaim, markPaid, submitClaim } from "../services/subsidy/claim-steps.server";
import { claimableSubjects } from "../services/subsidy/claim-subjects.server";
import { payingPolicyByCode } from "../content/policies.server";

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
const GIVEN = ["秀兰", "海燕", "建平", "丽萍", "志刚", "晓红", "春梅", "国强", "文静", "玉珍", "永红", "桂英"];

/**
 * The demo alliance and its past activity. Called on every start with demo data: the alliance is
 * created once, in one transaction; the activity is created step by step (it issues certificates,
 * which cannot share that transaction), so a start that stopped half-way is finished by the next
 * one, and nothing is added twice. Returns whether the alliance was created now.
 */
export async function seedDemoData(passwordHash: string): Promise<boolean> {
  const seeded = seedDemo(db(), passwordHash);
  await seedDemoActivity();
  return seeded;
}

const DEMO_SEEDED = "system.seed-demo";
const ACTIVITY_DONE = "system.seed-demo-activity";

/**
 * Past cohorts. 富阳's instructor cohorts count toward 富阳's ¥5,000 policy (the first one claimed
 * and paid, the second waiting); its nursing-assistant cohort is what the 人社 subsidy would pay
 * once the bureau confirms its amounts; 拱墅's instructor cohort has no subsidy policy at all.
 */
const COHORTS_TO_RUN = [
  {
    base: "BASE-FY",
    program: "caregiver-instructor",
    name: "2025年富阳第1期养老护理员师资培训班",
    start: "2025-09-01",
    end: "2025-11-28",
    people: 12,
    employers: ["NH-FY"],
  },
  {
    base: "BASE-FY",
    program: "caregiver-instructor",
    name: "2026年富阳第2期养老护理员师资培训班",
    start: "2026-03-02",
    end: "2026-05-29",
    people: 10,
    employers: ["NH-FY"],
  },
  {
    base: "BASE-FY",
    program: "medical-nursing-assistant",
    name: "2026年富阳第1期医疗护理员培训班",
    start: "2026-06-01",
    end: "2026-08-28",
    people: 6,
    employers: ["NH-FY"],
  },
  {
    base: "BASE-GERI",
    program: "caregiver-instructor",
    name: "2026年第1期养老护理员师资培训班",
    start: "2026-04-06",
    end: "2026-07-03",
    people: 8,
    employers: ["NH-WELFARE", "NH-HEMU", "CHC-MISHI"],
  },
] as const;

/**
 * Past cohorts that completed, with certificates and a paid claim, so the finance dashboards
 * show live numbers in the demo. Every record goes through the same rules as real ones: events
 * are recorded, completion is evaluated, certificates are issued and claimed. Each step first
 * looks for what an earlier, interrupted start already did. Only a database created as the demo
 * gets any of it.
 */
export async function seedDemoActivity(): Promise<void> {
  const d = db();
  const logged = (action: string) => d.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.action, action)).get() !== undefined;
  if (!logged(DEMO_SEEDED) || logged(ACTIVITY_DONE)) return;
  const versions = d.select().from(programVersions).all();
  const byCode = new Map(
    d
      .select()
      .from(organisations)
      .all()
      .map((o) => [o.code, o]),
  );
  const userByName = new Map(
    d
      .select()
      .from(users)
      .all()
      .filter((u) => u.username)
      .map((u) => [u.username!, u.id]),
  );
  const geriatrics = d.select().from(departments).all();
  let next = 0;
  const cohortIds: { id: string; base: string; end: string }[] = [];
  for (const c of COHORTS_TO_RUN) {
    const version = versions.find((v) => v.programCode === c.program);
    if (!version) continue;
    const rules = JSON.parse(version.rules) as ProgramRules;
    const base = byCode.get(c.base)!;
    const first = next;
    next += c.people;
    // A cohort is written with all its people in one transaction: if it exists, it is whole.
    const existing = d
      .select({ id: cohorts.id })
      .from(cohorts)
      .where(and(eq(cohorts.organisationId, base.id), eq(cohorts.name, c.name)))
      .get();
    if (existing) {
      cohortIds.push({ id: existing.id, base: c.base, end: c.end });
      continue;
    }
    const cohortId = randomUUID();
    d.transaction((tx) => {
      tx.insert(cohorts)
        .values({
          id: cohortId,
          organisationId: base.id,
          programVersionId: version.id,
          name: c.name,
          startDate: c.start,
          endDate: c.end,
          capacity: 30,
        })
        .run();
      const session = tx
        .insert(classSessions)
        .values({ cohortId, date: c.start, title: "师资实训（汇总）", kind: "practice", hours: rules.hours.practice })
        .returning({ id: classSessions.id })
        .get();
      const classroomHours = splitsTheoryHours(rules) ? Math.ceil(classroomTheoryHours(rules)) : 0;
      const classroom =
        classroomHours > 0
          ? tx
              .insert(classSessions)
              .values({ cohortId, date: c.start, title: "课堂理论（汇总）", kind: "theory", hours: classroomHours })
              .returning({ id: classSessions.id })
              .get()
          : null;
      for (let n = first; n < first + c.people; n++) {
        const userId = randomUUID();
        // Area 33010x, a birth date in the 1970s–90s, a sequence number: 17 digits before the check character.
        const first17 = `33010${(n % 9) + 1}${1970 + (n % 25)}${String((n % 12) + 1).padStart(2, "0")}${String((n % 27) + 1).padStart(2, "0")}${String(n).padStart(3, "0")}`;
        tx.insert(users)
          .values({
            id: userId,
            name: SURNAMES[n % SURNAMES.length] + GIVEN[n % GIVEN.length],
            mobile: `139${String(10000000 + n)}`,
            idNumber: first17 + checkCharacter(first17),
            passwordHash: "!",
          })
          .run();
        tx.insert(roleAssignments)
          .values({ userId, organisationId: byCode.get(c.employers[n % c.employers.length])!.id, role: "trainee" })
          .run();
        const enrolmentId = randomUUID();
        tx.insert(enrolments)
          .values({ id: enrolmentId, cohortId, userId, programVersionId: version.id, enrolledAt: `${c.start}T01:00:00.000Z` })
          .run();
        for (const m of rules.modules) {
          for (const l of m.lessons) tx.insert(lessonCompletions).values({ enrolmentId, moduleCode: m.code, lessonCode: l.code }).run();
          // The module's online share, studied lesson by lesson in the first weeks, one sitting each.
          if (m.onlineHours !== undefined) {
            const seconds = Math.ceil((m.onlineHours * 3600) / m.lessons.length);
            m.lessons.forEach((l, k) => {
              const opened = Date.parse(`${addDays(c.start, 2 + k)}T01:00:00.000Z`);
              tx.insert(lessonViews)
                .values({
                  id: randomUUID(),
                  enrolmentId,
                  moduleCode: m.code,
                  lessonCode: l.code,
                  seconds,
                  openedAt: new Date(opened).toISOString(),
                  lastBeatAt: new Date(opened + seconds * 1000).toISOString(),
                })
                .run();
            });
          }
          tx.insert(assessmentAttempts)
            .values({
              id: randomUUID(),
              enrolmentId,
              kind: "quiz",
              moduleCode: m.code,
              questions: "[]",
              startedAt: `${c.start}T02:00:00.000Z`,
              submittedAt: `${c.start}T02:10:00.000Z`,
              scorePercent: 100,
              passed: true,
            })
            .run();
        }
        tx.insert(assessmentAttempts)
          .values({
            id: randomUUID(),
            enrolmentId,
            kind: "exam",
            questions: "[]",
            startedAt: `${c.end}T02:00:00.000Z`,
            deadlineAt: `${c.end}T03:00:00.000Z`,
            submittedAt: `${c.end}T02:40:00.000Z`,
            scorePercent: 90,
            passed: true,
          })
          .run();
        tx.insert(attendance).values({ sessionId: session.id, enrolmentId, hours: rules.hours.practice }).run();
        if (classroom) tx.insert(attendance).values({ sessionId: classroom.id, enrolmentId, hours: classroomHours }).run();
        for (const s of rules.skills)
          tx.insert(practicalAssessments)
            .values({ enrolmentId, skillCode: s.code, result: "pass", examiner: "王丽华", assessedOn: c.end })
            .run();
        let start = addDays(c.start, 14);
        for (const r of rules.rotations) {
          const dept = geriatrics.find((x) => x.kind === r.departmentKind)!;
          const end = endAfterWorkingDays(start, r.days);
          const placementId = randomUUID();
          const mentor = userByName.get(r.departmentKind === "geriatrics" ? "mentor" : "mentor.rehab")!;
          tx.insert(placements)
            .values({
              id: placementId,
              enrolmentId,
              departmentId: dept.id,
              mentorUserId: mentor,
              startDate: start,
              endDate: end,
              requiredDays: r.days,
            })
            .run();
          for (const day of workingDaysIn(start, end))
            tx.insert(rotationSignoffs).values({ placementId, kind: "day", date: day, mentorUserId: mentor, status: "approved" }).run();
          tx.insert(rotationSignoffs)
            .values({
              placementId,
              kind: "evaluation",
              date: end,
              scores: JSON.stringify({ attitude: 4, skills: 4, communication: 4, safety: 5 }),
              passed: true,
              comments: "合格",
              mentorUserId: mentor,
              status: "approved",
            })
            .run();
          start = addDays(end, 3);
        }
        refreshCompletion(tx, enrolmentId, null);
        // Completed on the cohort's last day, as it would have been recorded then.
        tx.update(enrolments)
          .set({ completedAt: `${c.end}T08:00:00.000Z` })
          .where(eq(enrolments.id, enrolmentId))
          .run();
      }
    });
    cohortIds.push({ id: cohortId, base: c.base, end: c.end });
  }

  // Certificates not yet issued (all of them, unless an earlier start issued some).
  const registrar = { "BASE-GERI": userByName.get("registrar")!, "BASE-FY": userByName.get("registrar.fy")! } as Record<string, string>;
  for (const c of cohortIds) {
    const missing = d
      .select({ id: enrolments.id })
      .from(enrolments)
      .leftJoin(certificates, and(eq(certificates.enrolmentId, enrolments.id), isNull(certificates.supersededById)))
      .where(and(eq(enrolments.cohortId, c.id), isNotNull(enrolments.completedAt), isNull(certificates.id)))
      .all();
    for (const e of missing) await issueCertificate(registrar[c.base], e.id, addDays(c.end, 5));
  }

  seedDemoAssessments(byCode, userByName, "last");
  // 富阳's first instructor cohort was claimed and paid; the second's heads are waiting to be claimed.
  const base = byCode.get("BASE-FY")!.id;
  const people = { finance: userByName.get("finance.fy")!, reviewer: userByName.get("reviewer.fy")! };
  claimAndPay("instructor-training-subsidy", base, { from: "2025-09-01", to: "2025-12-31" }, people, "富财拨〔2026〕12号");
  seedDemoAssessments(byCode, userByName, "current");
  seedDemoNurses(cohortIds, userByName.get("registrar.fy")!);
  seedDemoAward(byCode, people.reviewer);
  // The 示范基地 award was claimed by the base and paid by the bureau.
  claimAndPay("demonstration-base-award", base, { from: "2026-01-01", to: today() }, people, "富财拨〔2026〕31号");
  recordAudit(d, {
    actorUserId: null,
    action: ACTIVITY_DONE,
    entityType: "system",
    entityId: "demo",
    details: { cohorts: COHORTS_TO_RUN.length },
  });
}

/**
 * Claims everything the base may claim under a policy for the period, then submits it, approves it
 * and records its payment, each step through the same rules as in the app (a refusal here is a bug
 * in the demo). A claim already made for the period is taken up where it stands.
 */
function claimAndPay(
  policyCode: string,
  base: string,
  period: { from: string; to: string },
  people: { finance: string; reviewer: string },
  paymentReference: string,
) {
  const policy = payingPolicyByCode(policyCode);
  if (!policy) return;
  const find = () =>
    db()
      .select()
      .from(claims)
      .where(
        and(
          eq(claims.policyCode, policy.code),
          eq(claims.organisationId, base),
          eq(claims.periodFrom, period.from),
          eq(claims.periodTo, period.to),
        ),
      )
      .get();
  if (!find())
    createClaim(
      people.finance,
      policy.code,
      base,
      period,
      claimableSubjects(policy, base, period).eligible.map((s) => s.key),
    );
  const claim = find();
  const steps = [
    { from: "draft", run: (id: string) => submitClaim(people.finance, id) },
    { from: "submitted", run: (id: string) => decideClaim(people.reviewer, id, true, "") },
    { from: "approved", run: (id: string) => markPaid(people.reviewer, id, { paidOn: today(), reference: paymentReference }) },
  ];
  for (const step of claim ? steps : []) {
    if (find()?.status !== step.from) continue;
    const result = step.run(claim!.id);
    if (!result.ok) throw new Error(`Demo claim refused: ${JSON.stringify(result.errors)}`);
  }
}

/** 富阳's base was chosen as one of the district's two 示范基地 in June 2026; one place is left. */
function seedDemoAward(byCode: Map<string, { id: string }>, reviewerId: string) {
  const award = awardPolicies().get("demonstration-base-award");
  const base = byCode.get("BASE-FY")!.id;
  if (!award || designationsUnder(award.code).some((d) => d.organisationId === base)) return;
  const result = designateAward(reviewerId, byCode.get("BUREAU-FY")!.id, award, {
    organisationId: base,
    designatedOn: "2026-06-18",
    documentNumber: "富卫老〔2026〕18号",
    reason: "师资培训和医疗护理员培训规范，结业率和证书质量居全区前列，带教经验可推广。",
  });
  if (!result.ok) throw new Error(`Demo award refused: ${JSON.stringify(result.errors)}`);
}

/**
 * Two of 富阳's 医疗护理员 graduates are nurses: their practising certificates are recorded and
 * checked by 富阳's registrar, so the base's 双证 list shows them qualifying.
 */
function seedDemoNurses(cohortIds: { id: string; base: string }[], registrarId: string) {
  const d = db();
  const nursing = cohortIds
    .filter((c) => c.base === "BASE-FY")
    .find((c) => d.select().from(cohorts).where(eq(cohorts.id, c.id)).get()?.name.includes("医疗护理员"));
  if (!nursing) return;
  const people = d.select({ userId: enrolments.userId }).from(enrolments).where(eq(enrolments.cohortId, nursing.id)).all().slice(0, 2);
  const base = d.select({ organisationId: cohorts.organisationId }).from(cohorts).where(eq(cohorts.id, nursing.id)).get()!.organisationId;
  people.forEach((p, i) => {
    const number = `20${18 + i}3301100${i + 1}`;
    if (d.select().from(qualifications).where(eq(qualifications.number, number)).get()) return;
    const added = addQualification(p.userId, {
      kind: "nurse_practising",
      number,
      issuer: "杭州市卫生健康委员会",
      issuedOn: `20${18 + i}-07-15`,
      validUntil: `20${28 + i}-07-14`,
    });
    if (!added.ok) throw new Error(`Demo qualification refused: ${JSON.stringify(added.errors)}`);
    const decided = decideQualification(registrarId, base, added.value, true, "");
    if (!decided.ok) throw new Error("Demo qualification not verified");
  });
}

/**
 * Half-yearly assessments, dated from today: 拱墅's bureau passed 老年病医院's base both times; 富阳's
 * bureau passed its base for the last half year (when its first instructor cohort was claimed and
 * paid) and failed it in this half year's inspection, so the heads of its second cohort are shown
 * blocked with that reason until it is assessed again.
 */
function seedDemoAssessments(byCode: Map<string, { id: string }>, userByName: Map<string, string>, which: "last" | "current") {
  const now = today();
  const current = halfYearOf(now);
  const last = previousHalfYear(current);
  const marks = (share: number) => Object.fromEntries(currentTemplate().items.map((i) => [i.code, String(Math.floor(i.points * share))]));
  const plan = [
    { base: "BASE-GERI", bureau: "BUREAU-GS", reviewer: "reviewer", period: last, on: halfYearRange(last).to, share: 0.9, notes: "" },
    { base: "BASE-GERI", bureau: "BUREAU-GS", reviewer: "reviewer", period: current, on: now, share: 0.85, notes: "" },
    { base: "BASE-FY", bureau: "BUREAU-FY", reviewer: "reviewer.fy", period: last, on: halfYearRange(last).to, share: 0.9, notes: "" },
    {
      base: "BASE-FY",
      bureau: "BUREAU-FY",
      reviewer: "reviewer.fy",
      period: current,
      on: now,
      share: 0.2,
      notes: "实训室设备不足，考勤与学时证明缺失较多，限期整改后复查。",
    },
  ];
  for (const a of plan.filter((p) => p.period === (which === "last" ? last : current))) {
    const org = byCode.get(a.base)!.id;
    if (assessmentsOf(org).some((x) => x.period === a.period)) continue;
    const result = recordAssessment(userByName.get(a.reviewer)!, byCode.get(a.bureau)!.id, org, {
      period: a.period,
      assessedOn: a.on,
      inspectors: "周卫东、钱晓梅",
      notes: a.notes,
      scores: marks(a.share),
    });
    if (!result.ok) throw new Error(`Demo assessment refused: ${JSON.stringify(result.errors)}`);
  }
}
