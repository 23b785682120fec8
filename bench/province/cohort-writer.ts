import { randomUUID } from "node:crypto";
import { addDays } from "../../app/domain/dates";
import type { PlannedPlacement } from "../../app/domain/rotation";
import { CertificateWriter } from "./certificates";
import { stepsTaken, writeEnrolment } from "./enrolment-records";
import type { Base, Hospital } from "./organisations";
import { assertValidResidentId, mobileNumber, personName, residentId } from "./people";
import type { CohortPlan } from "./plan";
import { HospitalRota } from "./rotations";
import type { BulkStatements } from "./schema-sql";

/** 10:00 in China on a date, as the app stores times. */
const at = (date: string) => `${date}T02:00:00.000Z`;

/**
 * Writes cohorts as they would have run: the registrar creates the cohort and its sessions a month
 * ahead, enrols a roster a fortnight ahead (new people get an account and a trainee role), the
 * coordinator places those still coming on rotations a fortnight in, and a week after the end every
 * trainee the app finds complete gets a certificate; the first of each cohort is left for the app to
 * issue itself (`throughApp`), after the transaction.
 */
export class CohortWriter {
  readonly tally = { enrolments: 0, learningRows: 0, signoffs: 0, pending: 0, completed: 0, unplaced: 0 };
  readonly throughApp: { registrarId: string; enrolmentId: string; issueDate: string }[] = [];
  readonly certificates: CertificateWriter;
  private readonly userOfPerson = new Map<number, string>();
  private readonly rotas: Map<string, HospitalRota>;

  constructor(private readonly input: { write: BulkStatements; passwordHash: string; today: string; hospitals: Hospital[] }) {
    this.certificates = new CertificateWriter(input.write);
    this.rotas = new Map(input.hospitals.map((h) => [h.id, new HospitalRota(h)]));
  }

  /** Every trainee's account id. */
  trainees(): string[] {
    return [...this.userOfPerson.values()];
  }

  writeCohort(base: Base, c: CohortPlan): void {
    const { write, today } = this.input;
    const { rules } = c.programme;
    const cohortId = randomUUID();
    const name = `${c.startDate.slice(0, 4)}年第${c.ordinal + 1}期${rules.title}班`;
    const capacity = Math.ceil((c.enrolments.length + 5) / 10) * 10;
    const createdAt = at(addDays(c.startDate, -30));
    write.cohort({
      id: cohortId,
      organisationId: base.id,
      programVersionId: c.programme.versionId,
      name,
      startDate: c.startDate,
      endDate: c.endDate,
      capacity,
      createdBy: base.registrarId,
      at: createdAt,
    });
    write.cohortInstructor(cohortId, base.instructorId);
    write.audit(createdAt, base.registrarId, "cohort.create", "cohort", cohortId, base.id, {
      name,
      programVersionId: c.programme.versionId,
      startDate: c.startDate,
      endDate: c.endDate,
      capacity,
      instructorIds: [base.instructorId],
    });
    const sessionIds = c.schedule.sessions.map((s) => {
      const id = write.session(cohortId, s.date, s.title, s.kind, s.hours);
      write.audit(createdAt, base.registrarId, "session.create", "cohort", cohortId, base.id, s);
      return id;
    });

    const enrolledAt = at(addDays(c.startDate, -14));
    const enrolments = c.enrolments.map((e) => ({
      enrolmentId: randomUUID(),
      userId: this.account(base, e.person, enrolledAt),
      plan: e,
      person: e.person,
    }));

    const placements = new Map<string, PlannedPlacement[]>();
    const placedOn = addDays(c.startDate, 14);
    if (rules.rotations.length && placedOn <= today) {
      const placed = this.rotas.get(base.hospital.id)!.place({
        trainees: enrolments
          .filter((e) => stepsTaken(e.plan, c.programme, c.schedule, today).reachedUntil >= placedOn)
          .map((e) => ({ enrolmentId: e.enrolmentId, personId: e.userId })),
        rules,
        window: { startDate: c.startDate, endDate: c.endDate },
        earliestStart: placedOn,
      });
      for (const p of placed.placements) placements.set(p.enrolmentId, [...(placements.get(p.enrolmentId) ?? []), p]);
      this.tally.unplaced += placed.unplaced;
      write.audit(at(placedOn), base.hospital.coordinatorId, "placement.auto-place", "cohort", cohortId, base.hospital.id, {
        placed: placed.placements.length,
        unplaced: placed.unplaced,
      });
    }

    const ctx = {
      cohortId,
      placedOn,
      base,
      programme: c.programme,
      schedule: c.schedule,
      sessionIds,
      today,
      write,
      attendanceCells: sessionIds.map(() => []),
    };
    const issueDate = addDays(c.endDate, 7);
    let issuedByApp = false;
    for (const e of enrolments) {
      const own = (placements.get(e.enrolmentId) ?? []).sort((a, b) => a.start.localeCompare(b.start));
      const outcome = writeEnrolment(ctx, { enrolmentId: e.enrolmentId, userId: e.userId, enrolledAt, plan: e.plan, placements: own });
      this.tally.enrolments++;
      this.tally.learningRows += outcome.learningRows;
      this.tally.signoffs += outcome.signoffs;
      this.tally.pending += outcome.pending;
      if (!outcome.completedAt) continue;
      this.tally.completed++;
      if (issueDate > today) continue;
      if (!issuedByApp) {
        this.throughApp.push({ registrarId: base.registrarId, enrolmentId: e.enrolmentId, issueDate });
        issuedByApp = true;
        continue;
      }
      this.certificates.issue({
        enrolmentId: e.enrolmentId,
        userId: e.userId,
        base,
        cohort: c,
        rules,
        holderName: personName(e.person),
        holderIdNumber: residentId(e.person, base.district.code),
        completion: outcome.completion,
        completedAt: outcome.completedAt,
        issueDate,
      });
    }
    // Each save of the attendance grid is one audit entry naming the cells it changed.
    ctx.attendanceCells.forEach((cells, i) => {
      if (cells.length)
        write.audit(
          at(c.schedule.sessions[i].date),
          i % 2 ? base.instructorId : base.registrarId,
          "attendance.record",
          "cohort",
          cohortId,
          base.id,
          { cells },
        );
    });
  }

  /** The person's account, made on their first roster (they have since chosen a password): the same person keeps it for a later programme. */
  private account(base: Base, person: number, enrolledAt: string): string {
    const known = this.userOfPerson.get(person);
    if (known) return known;
    const { write, passwordHash, today } = this.input;
    const userId = randomUUID();
    this.userOfPerson.set(person, userId);
    const p = { name: personName(person), mobile: mobileNumber(person), idNumber: residentId(person, base.district.code) };
    if (person % 1000 === 0) assertValidResidentId(p.idNumber, today);
    write.user({ id: userId, username: null, passwordHash, at: enrolledAt, ...p });
    write.audit(enrolledAt, base.registrarId, "user.create", "user", userId, base.id, { name: p.name, mobile: p.mobile, source: "roster" });
    write.role(userId, base.employer.id, "trainee", enrolledAt);
    write.audit(enrolledAt, base.registrarId, "role.assign", "user", userId, base.employer.id, { role: "trainee" });
    return userId;
  }
}
