import * as z from "zod";
import { SESSION_KINDS, PRACTICAL_RESULTS } from "../../db/schema";
import { readAttendanceCell } from "../domain/attendance";
import { ROSTER_LIMITS, type RosterInput } from "../domain/roster";
import { checkboxes, chosen, isoDate, optionalText, requiredText, wholeNumber } from "./fields";

export const cohortSchema = z
  .object({
    programVersionId: chosen.regex(/^\d+$/, "error.choose").transform(Number),
    name: requiredText(60),
    startDate: isoDate,
    endDate: isoDate,
    capacity: wholeNumber(1, 500),
    instructorIds: checkboxes(z.string()),
  })
  .refine((v) => v.endDate >= v.startDate, { message: "error.dateOrder", path: ["endDate"] });

export type CohortInput = z.output<typeof cohortSchema>;

export const enrolOneSchema = z.object({
  name: requiredText(50),
  mobile: z.string().trim().min(1, "error.required").max(ROSTER_LIMITS.cellCharacters, "error.tooLong"),
  idNumber: z.string().trim().min(1, "id.empty").max(ROSTER_LIMITS.cellCharacters, "error.tooLong"),
  employer: optionalText(ROSTER_LIMITS.cellCharacters),
  /** Ticked after the form named the person the ID number belongs to. */
  linkExisting: z
    .literal("yes")
    .optional()
    .transform((v) => v === "yes"),
});

/** The roster file to preview: none chosen, or one over the limit, is refused before it is sent. */
export const rosterUploadSchema = z.object({
  roster: z
    .custom<File>((v) => typeof File !== "undefined" && v instanceof File && v.size > 0, "roster.noFile")
    .refine((file) => file.size <= ROSTER_LIMITS.fileBytes, "roster.tooLarge"),
});

const rosterCell = z.string().max(ROSTER_LIMITS.cellCharacters);

/** The rows a preview sends back to be enrolled: no more, and none longer, than a roster file may hold. */
const rosterPayloadSchema = z
  .array(
    z.object({
      row: z.number().int().positive(),
      name: rosterCell,
      mobile: rosterCell,
      idNumber: z.union([rosterCell, z.number()]),
      employer: rosterCell,
      linkExisting: z.boolean().optional(),
    }),
  )
  .min(1)
  .max(ROSTER_LIMITS.rows);

// JSON writes a character as six at most (\uXXXX): anything longer is not what a preview sent, and is not parsed.
const MAX_PAYLOAD_CHARACTERS = ROSTER_LIMITS.rows * (4 * ROSTER_LIMITS.cellCharacters * 6 + 200);

/** The rows of a preview sent back to be enrolled; null when they are not what a preview can send. */
export function parseRosterPayload(value: FormDataEntryValue | null | undefined): RosterInput[] | null {
  if (typeof value !== "string" || value.length > MAX_PAYLOAD_CHARACTERS) return null;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return null;
  }
  const parsed = rosterPayloadSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** The previewed rows, carried back in a hidden field: to enrol them, or to download them with their problems. */
export const rosterPayloadFormSchema = z.object({
  payload: z.unknown().transform((value, ctx) => {
    const rows = parseRosterPayload(value as FormDataEntryValue | undefined);
    if (rows) return rows;
    ctx.addIssue({ code: "custom", message: "roster.payloadInvalid" });
    return z.NEVER;
  }),
});

/** The preview again, with the row whose button was pressed taken as the person on record it names. */
export const rosterLinkSchema = rosterPayloadFormSchema.extend({
  row: z.string({ error: "roster.payloadInvalid" }).regex(/^\d+$/, "roster.payloadInvalid").transform(Number),
});

export const classSessionSchema = z.object({
  date: isoDate,
  title: requiredText(80),
  kind: z.enum(SESSION_KINDS, { message: "error.choose" }),
  hours: wholeNumber(1, 12),
});

/** A cell of the attendance grid is named by its session and its trainee's enrolment. */
export const attendanceCellName = (sessionId: number, enrolmentId: string) => `a:${sessionId}:${enrolmentId}`;
const CELL_NAME = /^a:(\d+):(.+)$/;

/**
 * The attendance grid as sent: every cell blank (nothing recorded) or the hours attended, to the
 * half hour, up to its session's length. Made for the cohort's sessions, so a cell is checked in the
 * browser as it is left just as the server checks it; one wrong cell also says so above the grid.
 * A cell of a session not given here is left to the service, which knows the cohort's.
 */
export function attendanceGridSchema(sessions: readonly { id: number; hours: number }[]) {
  const hoursOf = new Map(sessions.map((s) => [s.id, s.hours]));
  const cells = (form: Record<string, unknown>) =>
    Object.entries(form).flatMap(([name, hours]) => {
      const cell = CELL_NAME.exec(name);
      return cell ? [{ name, sessionId: Number(cell[1]), enrolmentId: cell[2], hours }] : [];
    });
  return z
    .record(z.string(), z.unknown())
    .superRefine((form, ctx) => {
      let wrong = false;
      for (const cell of cells(form)) {
        const length = hoursOf.get(cell.sessionId);
        const fine = typeof cell.hours === "string" && (length === undefined || readAttendanceCell(cell.hours, length).kind !== "invalid");
        if (fine) continue;
        ctx.addIssue({ code: "custom", path: [cell.name], message: "attendance.hoursRange" });
        wrong = true;
      }
      if (wrong) ctx.addIssue({ code: "custom", path: [], message: "attendance.fixCells" });
    })
    .transform((form) => ({
      cells: cells(form).map(({ sessionId, enrolmentId, hours }) => ({ sessionId, enrolmentId, hours: String(hours) })),
      /** "Everyone present" pressed for this session. */
      fillSession: typeof form.fillSession === "string" && /^\d+$/.test(form.fillSession) ? Number(form.fillSession) : null,
    }));
}

/** One skill assessed for one trainee: the checklist's items met (`met`), or a verdict for a skill without one. */
export const practicalSchema = z.object({
  enrolmentId: chosen,
  skillCode: chosen,
  examiner: requiredText(50),
  examiner2: optionalText(50),
  assessedOn: isoDate,
  met: checkboxes(z.string()),
  // Only read for a skill without a checklist; a verdict posted for a scored skill is ignored.
  result: z
    .enum(PRACTICAL_RESULTS, { message: "error.choose" })
    .optional()
    .or(z.literal("").transform(() => undefined)),
});
