import { randomUUID } from "node:crypto";
import { addDays } from "../../app/domain/dates";
import { evaluateCompletion, type Completion, type CompletionEvents } from "../../app/domain/completion";
import type { ProgramRules } from "../../app/domain/program";
import { placementRecord, type PlannedPlacement } from "../../app/domain/rotation";
import { learningSteps, type CohortSchedule, type LearningStep, type Programme } from "./curriculum";
import type { Base } from "./organisations";
import type { EnrolmentPlan } from "./plan";
import { signoffSteps, type SignoffStep } from "./rotations";
import type { BulkStatements } from "./schema-sql";
import { Draw } from "./seeded-random";

/**
 * One enrolment's records, written as the app would have written them event by event: the rows,
 * the audit entries its services write beside them, and the completion the app's own rule finds in
 * them. Whether an enrolment is complete is never assumed: the rule is run on what was written.
 */

export interface CohortContext {
  cohortId: string;
  /** When the coordinator placed the cohort's trainees on rotations. */
  placedOn: string;
  base: Base;
  programme: Programme;
  schedule: CohortSchedule;
  sessionIds: number[];
  today: string;
  write: BulkStatements;
  /** Cells recorded per session, for the one audit entry each save of the attendance grid writes. */
  attendanceCells: { sessionId: number; enrolmentId: string; hours: number }[][];
}

export interface EnrolmentOutcome {
  completion: Completion;
  completedAt: string | null;
  learningRows: number;
  signoffs: number;
  pending: number;
}

/**
 * The learning steps an enrolment takes and the last day it was still coming. The same plan always
 * gives the same answer (its draws are seeded), so the coordinator's placing, made before the
 * enrolment's records are written, sees the same trainee as the records do.
 */
export function stepsTaken(plan: EnrolmentPlan, programme: Programme, schedule: CohortSchedule, today: string) {
  const draw = new Draw(plan.seed);
  const all = learningSteps(programme.rules, schedule, draw);
  const taken = plan.complete ? all : all.slice(0, plan.steps);
  return { draw, taken, reachedUntil: plan.complete ? today : (taken.at(-1)?.date ?? "") };
}

/** A time of day on a date, in UTC: 10:00 in China for `hour` 2. */
const at = (date: string, hour = 2, minute = 0) => `${date}T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00.000Z`;

export function writeEnrolment(
  ctx: CohortContext,
  e: { enrolmentId: string; userId: string; enrolledAt: string; plan: EnrolmentPlan; placements: PlannedPlacement[] },
): EnrolmentOutcome {
  const { rules } = ctx.programme;
  const { write, base, today } = ctx;
  const { draw, taken, reachedUntil } = stepsTaken(e.plan, ctx.programme, ctx.schedule, today);

  // Rotations: placed for everyone; the days signed are the ones the trainee was still coming to.
  const kindOf = new Map(base.hospital.departments.map((d) => [d.id, d.kind]));
  const rotationSignoffs = e.placements.map((p) => {
    const steps = signoffSteps(p, rules, draw).filter((s) => s.date <= reachedUntil && s.date <= today);
    // A trainee who stopped may have had a last day typed in late from a paper form: it waits for the coordinator.
    const lateFrom = !e.plan.complete && steps.length && addDays(p.end, 7) < today && draw.chance(0.25) ? steps.length - 1 : steps.length;
    return { placement: p, steps: steps.map((s, i) => ({ step: s, pending: i >= lateFrom })) };
  });

  const events: CompletionEvents = {
    lessonsDone: [],
    quizzesPassed: [],
    attendance: [],
    studySeconds: {},
    exam: { attempts: 0, passed: false },
    practicals: [],
    rotations: [],
  };
  let order = 0;
  for (const s of taken) {
    if (s.kind === "lesson") {
      const m = rules.modules[s.module];
      events.lessonsDone.push(`${m.code}/${m.lessons[s.lesson].code}`);
      events.studySeconds![m.code] = (events.studySeconds![m.code] ?? 0) + lessonSeconds(m);
    }
    if (s.kind === "quiz") events.quizzesPassed.push(rules.modules[s.module].code);
    if (s.kind === "session")
      events.attendance.push({ kind: ctx.schedule.sessions[s.session].kind, hours: ctx.schedule.sessions[s.session].hours });
    if (s.kind === "exam") events.exam = { attempts: s.failedFirst ? 2 : 1, passed: true };
    if (s.kind === "practical") {
      const skillCode = rules.skills[s.skill].code;
      if (s.failedFirst)
        events.practicals.push({ skillCode, result: "fail", assessedOn: addDays(s.date, -ctx.schedule.retakeGap), order: order++ });
      events.practicals.push({ skillCode, result: "pass", assessedOn: s.date, order: order++ });
    }
  }
  let signoffId = 0;
  for (const r of rotationSignoffs) {
    const record = placementRecord(
      r.placement.requiredDays,
      r.steps.map(({ step, pending }) => ({
        id: ++signoffId,
        kind: step.kind,
        status: pending ? "pending" : "approved",
        passed: step.kind === "evaluation" ? step.passed : null,
      })),
    );
    if (record.complete) events.rotations.push({ departmentKind: kindOf.get(r.placement.departmentId)!, days: record.attendedDays });
  }
  const completion = evaluateCompletion(rules, events);
  const lastDay = [...taken.map((s) => s.date), ...rotationSignoffs.flatMap((r) => r.steps.map((s) => s.step.date))].sort().at(-1);
  const completedAt = completion.status === "completed" ? at(lastDay!, 8) : null;

  write.enrolment({
    id: e.enrolmentId,
    cohortId: ctx.cohortId,
    userId: e.userId,
    programVersionId: ctx.programme.versionId,
    employerName: base.employer.name,
    completion,
    completedAt,
    enrolledAt: e.enrolledAt,
  });
  write.audit(e.enrolledAt, base.registrarId, "enrolment.create", "enrolment", e.enrolmentId, base.id, {
    cohortId: ctx.cohortId,
    userId: e.userId,
    source: "roster",
  });

  const learningRows = writeLearning(ctx, e.enrolmentId, taken, draw);
  let signoffs = 0;
  let pending = 0;
  const hospital = base.hospital;
  for (const r of rotationSignoffs) {
    const p = r.placement;
    const placementId = randomUUID();
    write.placement({
      id: placementId,
      enrolmentId: e.enrolmentId,
      departmentId: p.departmentId,
      mentorUserId: p.mentorId,
      startDate: p.start,
      endDate: p.end,
      requiredDays: p.requiredDays,
      createdBy: hospital.coordinatorId,
      at: at(ctx.placedOn),
    });
    write.audit(at(ctx.placedOn), hospital.coordinatorId, "placement.create", "placement", placementId, hospital.id, {
      enrolmentId: e.enrolmentId,
      departmentId: p.departmentId,
      mentorUserId: p.mentorId,
      startDate: p.start,
      endDate: p.end,
      requiredDays: p.requiredDays,
      cohortId: ctx.cohortId,
      auto: true,
    });
    for (const { step, pending: late } of r.steps) {
      const signedAt = late ? at(addDays(p.end, 9), 3) : at(step.date, 9);
      writeSignoff(write, placementId, p.mentorId, step, late, signedAt);
      write.audit(signedAt, p.mentorId, `rotation.sign-${step.kind}`, "placement", placementId, hospital.id, {
        ...step,
        onBehalf: false,
        status: late ? "pending" : "approved",
      });
      signoffs++;
      if (late) pending++;
    }
  }
  if (completedAt)
    write.audit(completedAt, base.registrarId, "enrolment.complete", "enrolment", e.enrolmentId, null, {
      completedAt,
      cohortId: ctx.cohortId,
    });
  return { completion, completedAt, learningRows, signoffs, pending };
}

function writeSignoff(
  write: BulkStatements,
  placementId: string,
  mentorUserId: string,
  step: SignoffStep,
  late: boolean,
  signedAt: string,
) {
  write.signoff({
    placementId,
    kind: step.kind,
    date: step.date,
    skillCode: step.kind === "skill" ? step.skillCode : null,
    scores: step.kind === "evaluation" ? JSON.stringify(step.scores) : null,
    passed: step.kind === "evaluation" ? step.passed : null,
    comments: step.kind === "evaluation" ? "合格" : "",
    mentorUserId,
    status: late ? "pending" : "approved",
    lateReason: late ? "纸质记录补录" : null,
    at: signedAt,
  });
}

/** The rows of the learning steps taken; returns how many. */
/** Each lesson of a module is studied for an equal part of its online share (none in versions without one). */
function lessonSeconds(m: ProgramRules["modules"][number]): number {
  return m.onlineHours === undefined ? 0 : Math.ceil((m.onlineHours * 3600) / m.lessons.length);
}

function writeLearning(ctx: CohortContext, enrolmentId: string, taken: LearningStep[], draw: Draw): number {
  const { write, base, programme, schedule } = ctx;
  const { rules } = programme;
  let rows = 0;
  const attempt = (kind: "quiz" | "exam", moduleCode: string | null, date: string, passed: boolean, hour: number) => {
    const sheets = draw.pick(kind === "quiz" ? programme.quizSheets.get(moduleCode!)! : programme.examSheets);
    const sheet = passed ? sheets.pass : sheets.fail;
    const startedAt = at(date, hour);
    const minutes = kind === "exam" ? rules.exam.timeLimitMinutes : 0;
    write.attempt({
      id: randomUUID(),
      enrolmentId,
      kind,
      moduleCode,
      questions: sheets.questions,
      startedAt,
      deadlineAt: kind === "exam" ? new Date(Date.parse(startedAt) + minutes * 60_000).toISOString() : null,
      submittedAt: at(date, hour, kind === "exam" ? 35 : 12),
      answers: sheet.answers,
      scorePercent: sheet.percent,
      passed,
    });
    rows++;
  };
  const practicalsByDay = new Map<string, { skillCode: string; result: "pass" | "fail" }[]>();
  for (const s of taken) {
    if (s.kind === "lesson") {
      const m = rules.modules[s.module];
      write.lesson(enrolmentId, m.code, m.lessons[s.lesson].code, at(s.date, 12, s.lesson * 7), lessonSeconds(m));
      rows++;
    } else if (s.kind === "quiz") {
      const code = rules.modules[s.module].code;
      if (s.failedFirst) attempt("quiz", code, s.date, false, 12);
      attempt("quiz", code, s.date, true, 13);
    } else if (s.kind === "exam") {
      if (s.failedFirst) attempt("exam", null, addDays(s.date, -schedule.retakeGap), false, 1);
      attempt("exam", null, s.date, true, 1);
    } else if (s.kind === "session") {
      const session = schedule.sessions[s.session];
      const sessionId = ctx.sessionIds[s.session];
      const recorder = s.session % 2 ? base.instructorId : base.registrarId;
      write.attendance(sessionId, enrolmentId, session.hours, recorder, at(s.date, 9));
      ctx.attendanceCells[s.session].push({ sessionId, enrolmentId, hours: session.hours });
      rows++;
    } else {
      const skillCode = rules.skills[s.skill].code;
      const days: [string, "pass" | "fail"][] = s.failedFirst
        ? [
            [addDays(s.date, -schedule.retakeGap), "fail"],
            [s.date, "pass"],
          ]
        : [[s.date, "pass"]];
      for (const [day, result] of days) {
        write.practical(enrolmentId, skillCode, result, base.instructorName, day, base.instructorId, at(day, 8));
        practicalsByDay.set(day, [...(practicalsByDay.get(day) ?? []), { skillCode, result }]);
        rows++;
      }
    }
  }
  // One entry per examiner's sheet: a trainee's verdicts of one day.
  for (const [day, results] of practicalsByDay) {
    write.audit(at(day, 8), base.instructorId, "practical.record", "enrolment", enrolmentId, base.id, {
      enrolmentId,
      examiner: base.instructorName,
      assessedOn: day,
      results,
    });
  }
  return rows;
}
