import * as z from "zod";
import { DEPARTMENT_KINDS } from "../../db/schema";

/** The shapes of the files under content/programs/<code>/, as documented in its README. */

const code = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case letters, digits and hyphens");
const text = z.string().trim().min(1, "must not be empty");
/** Printed on the certificate, which is laid out for titles up to these lengths. */
const programTitle = text.max(40, "must be at most 40 characters (it is printed on the certificate)");
const certificateTitle = text.max(30, "must be at most 30 characters (it is printed on one line of the certificate)");
const hours = z.number().int("must be a whole number").min(0, "must not be negative");

export const programFile = z.object({
  code,
  version: z.number().int("must be a whole number").min(1, "must be at least 1"),
  title: programTitle,
  title_en: text,
  audience: text,
  summary: text,
  source: text,
  level: text,
  occupation: text,
  hours: z.object({ theory: hours, practice: hours }),
  exam: z.object({
    question_count: z.number().int().min(1),
    time_limit_minutes: z.number().int().min(1),
    pass_mark: z.number().int().min(1).max(100),
    max_attempts: z.number().int().min(1),
    /** Hours a trainee waits after a failed attempt before the next. */
    retry_wait_hours: z.number().int().min(0).optional(),
    /** Questions per module in one exam, by module code; with exam-only banks it is required. */
    blueprint: z.record(code, z.number().int().min(1)).optional(),
  }),
  quiz: z.object({ question_count: z.number().int().min(1) }).optional(),
  /** Study time a lesson needs before it may be marked read: its length at this reading speed, with a floor. */
  study: z
    .object({ characters_per_minute: z.number().int().min(50).max(2000), minimum_minutes: z.number().int().min(0).max(120) })
    .optional(),
  rotations: z.array(z.object({ department_kind: z.enum(DEPARTMENT_KINDS), days: z.number().int().min(1) })),
  certificate: z.object({ title: certificateTitle, validity_months: z.number().int().min(1).nullable() }),
  modules: z.array(z.string().regex(/^\d{2}-[a-z0-9-]+$/, "must be a folder name such as 01-ethics")).min(1, "needs at least one module"),
  /** How practical assessments are examined; without it, one examiner. */
  practical: z.object({ examiners: z.union([z.literal(1), z.literal(2)], { message: "must be 1 or 2" }) }).optional(),
  /** A refresher (复训) names the programmes whose certificates its completion renews. */
  renews: z.array(code).min(1).optional(),
});

export const moduleFile = z.object({
  code,
  title: text,
  summary: text,
  theory_hours: hours,
  /** The part of theory_hours studied online, to one decimal; the rest is taught in the classroom. */
  online_hours: z
    .number({ message: "must be a number of hours, e.g. 0.5" })
    .min(0, "must not be negative")
    .refine((h) => Math.abs(h * 10 - Math.round(h * 10)) < 1e-9, "must be in tenths of an hour, e.g. 0.5")
    .optional(),
  lessons: z.array(z.string().regex(/^\d{2}-[a-z0-9-]+$/, "must be a file name such as 01-intro")).min(1, "needs at least one lesson"),
});

const questionBase = {
  id: z.string().regex(/^[a-z0-9-]+$/, "must be lower-case letters, digits and hyphens"),
  stem: text,
  explanation: text,
};

export const questionFile = z
  .array(
    z.discriminatedUnion("type", [
      z.object({
        ...questionBase,
        type: z.literal("single"),
        options: z.array(text).min(2),
        answer: z.array(z.number().int().min(0)).length(1, "a single-choice question has exactly one answer"),
      }),
      z.object({
        ...questionBase,
        type: z.literal("multiple"),
        options: z.array(text).min(3),
        answer: z.array(z.number().int().min(0)).min(2, "a multiple-choice question has two or more answers"),
      }),
      z.object({
        ...questionBase,
        type: z.literal("truefalse"),
        answer: z.boolean(),
        options: z.undefined({ message: "a true/false question has no options" }).optional(),
      }),
    ]),
  )
  .min(10, "a module needs at least 10 questions");

/** One observable item of a skill's checklist; failing a key item (关键项) fails the skill whatever the score. */
const checklistItem = z.object({
  code,
  text,
  points: z.number().int("must be a whole number").min(1, "must be at least 1"),
  key: z.boolean({ message: "must be true or false" }),
});

export const skillsFile = z
  .array(
    z.object({
      code,
      title: text,
      criteria: text,
      pass_score: z
        .number({ message: "must be the points needed to pass, e.g. 80" })
        .int("must be a whole number")
        .min(1, "must be at least 1")
        .max(100, "must be at most 100"),
      items: z
        .array(checklistItem, { message: "must list the skill's checklist items" })
        .min(1, "the skill needs at least one checklist item"),
    }),
  )
  .min(1, "the checklist needs at least one skill");
