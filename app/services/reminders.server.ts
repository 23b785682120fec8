import { sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import type { Role } from "../../db/schema";
import { addDays, toDay } from "../domain/dates";
import { expiryReminderDue, expiryWindow, signoffWaitingSince } from "../domain/notifications";
import { notify, staffOf, type NewNotification } from "./notifications.server";

/** Notifications are written this many source rows to a transaction, so the write lock is never held long. */
const BATCH = 200;

export interface ReminderCounts {
  certificateExpiring: number;
  placementTomorrow: number;
  signoffWaiting: number;
}

/**
 * The day's reminders: certificates reaching 90, 30 or 7 days before expiry (holder and the base's
 * registrars), placements starting tomorrow (trainee and mentor), late sign-offs waiting more than
 * three days (mentor and the hospital's coordinators). Every notification has a key naming what it
 * is about, so running a day twice, or two processes running it, tells nobody twice.
 */
export async function sendDailyReminders(day: string): Promise<ReminderCounts> {
  // Each organisation's staff read once in this run, not once per certificate or sign-off.
  const registrars = staffReadOnce("registrar");
  const coordinators = staffReadOnce("rotation_coordinator");
  return {
    certificateExpiring: await inBatches(expiringCertificates(day), (c) => {
      const days = toDay(c.expiryDate) - toDay(day);
      const threshold = expiryReminderDue(c.expiryDate, day)!;
      const params = { name: c.holderName, title: c.certificateTitle, serial: c.serial, expiry: c.expiryDate, days };
      const key = `certificate_expiring:${c.id}:${threshold}`;
      return [
        { userId: c.userId, kind: "certificate_expiring", params, link: "/learn", dedupeKey: key },
        ...registrars(c.organisationId).map((userId) => ({
          userId,
          kind: "certificate_expiring" as const,
          params,
          link: `/certificates/${c.id}`,
          dedupeKey: key,
        })),
      ];
    }),
    placementTomorrow: await inBatches(placementsStarting(addDays(day, 1)), (p) => {
      const params = {
        name: p.traineeName,
        department: p.department,
        hospital: p.hospital,
        start: p.startDate,
        end: p.endDate,
        mentor: p.mentorName,
      };
      const key = `placement_tomorrow:${p.id}`;
      return [
        { userId: p.traineeId, kind: "placement_tomorrow", params, link: "/learn", dedupeKey: key },
        { userId: p.mentorId, kind: "placement_tomorrow", params, link: `/hospital/${p.hospitalId}/mentor`, dedupeKey: key },
      ];
    }),
    signoffWaiting: await inBatches(signoffsWaiting(day), (s) => {
      const entered = s.enteredOn;
      const params = { name: s.traineeName, department: s.department, date: s.date, entered, days: toDay(day) - toDay(entered) };
      const key = `signoff_waiting:${s.id}`;
      return [
        { userId: s.mentorId, kind: "signoff_waiting", params, link: `/hospital/${s.hospitalId}/mentor`, dedupeKey: key },
        ...coordinators(s.hospitalId).map((userId) => ({
          userId,
          kind: "signoff_waiting" as const,
          params,
          link: `/hospital/${s.hospitalId}/approvals`,
          dedupeKey: key,
        })),
      ];
    }),
  };
}

function staffReadOnce(role: Role): (organisationId: string) => string[] {
  const read = new Map<string, string[]>();
  return (organisationId) => {
    if (!read.has(organisationId)) read.set(organisationId, staffOf(db(), organisationId, role));
    return read.get(organisationId)!;
  };
}

async function inBatches<T>(rows: T[], toNotifications: (row: T) => NewNotification[]): Promise<number> {
  let written = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const items = rows.slice(i, i + BATCH).flatMap(toNotifications);
    written += db().transaction((tx) => notify(tx, items), { behavior: "immediate" });
    // Requests waiting on this process are answered between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return written;
}

interface ExpiringCertificate {
  id: string;
  userId: string;
  organisationId: string;
  serial: string;
  holderName: string;
  certificateTitle: string;
  expiryDate: string;
}

/** Certificates in force expiring from today to the furthest reminder, read by their partial index. */
function expiringCertificates(day: string): ExpiringCertificate[] {
  const { from, to } = expiryWindow(day);
  return db().all<ExpiringCertificate>(sql`
    select id, user_id as userId, organisation_id as organisationId, serial, holder_name as holderName,
      certificate_title as certificateTitle, expiry_date as expiryDate
    from certificates indexed by certificates_expiry_idx
    where revoked_at is null and superseded_by_id is null and expiry_date is not null and renewed_by_id is null
      and expiry_date between ${from} and ${to}`);
}

interface StartingPlacement {
  id: string;
  traineeId: string;
  traineeName: string;
  mentorId: string;
  mentorName: string;
  department: string;
  hospital: string;
  hospitalId: string;
  startDate: string;
  endDate: string;
}

function placementsStarting(day: string): StartingPlacement[] {
  return db().all<StartingPlacement>(sql`
    select p.id, t.id as traineeId, t.name as traineeName, m.id as mentorId, m.name as mentorName,
      d.name as department, h.name as hospital, h.id as hospitalId, p.start_date as startDate, p.end_date as endDate
    from placements p
    join enrolments e on e.id = p.enrolment_id
    join users t on t.id = e.user_id
    join users m on m.id = p.mentor_user_id
    join departments d on d.id = p.department_id
    join organisations h on h.id = d.organisation_id
    where p.start_date = ${day} and (p.ended_early_on is null or p.ended_early_on >= p.start_date)`);
}

interface WaitingSignoff {
  id: number;
  mentorId: string;
  hospitalId: string;
  traineeName: string;
  department: string;
  date: string;
  enteredOn: string;
}

/** Pending sign-offs entered (China time) on or before the day that makes the wait more than three days. */
function signoffsWaiting(day: string): WaitingSignoff[] {
  const lastDay = signoffWaitingSince(day);
  // The end of that day in China is 16:00 UTC; created_at is kept in UTC.
  const before = `${lastDay}T16:00:00.000Z`;
  return db().all<WaitingSignoff>(sql`
    select s.id, s.mentor_user_id as mentorId, s.hospital_id as hospitalId, t.name as traineeName, d.name as department,
      s.date, date(s.created_at, '+8 hours') as enteredOn
    from rotation_signoffs s indexed by rotation_signoffs_pending_idx
    join placements p on p.id = s.placement_id
    join enrolments e on e.id = p.enrolment_id
    join users t on t.id = e.user_id
    join departments d on d.id = p.department_id
    where s.status = 'pending' and s.hospital_id is not null and s.created_at < ${before}`);
}
