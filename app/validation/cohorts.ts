import { z } from "zod";
import { SESSION_KINDS, PRACTICAL_RESULTS } from "../../db/schema";
import { ROSTER_LIMITS, type RosterInput } from "../domain/roster";
import { checkboxes, chosen, isoDate, optionalText, requiredText } from "./fields";

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "error.wholeNumber")
    .transform(Number)
    .refine((n) => n >= min && n <= max, "error.outOfRange");

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
export function parseRosterPayload(value: FormDataEntryValue | null): RosterInput[] | null {
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

export const classSessionSchema = z.object({
  date: isoDate,
  title: requiredText(80),
  kind: z.enum(SESSION_KINDS, { message: "error.choose" }),
  hours: wholeNumber(1, 12),
});

export const practicalSchema = z.object({
  enrolmentId: z.string().min(1, "error.choose"),
  skillCode: z.string().min(1, "error.choose"),
  result: z.enum(PRACTICAL_RESULTS, { message: "error.choose" }),
  examiner: requiredText(50),
  assessedOn: isoDate,
});
