import { z } from "zod";
import { SESSION_KINDS, PRACTICAL_RESULTS } from "../../db/schema";
import { isoDate, optionalText, requiredText } from "./form";

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "error.wholeNumber")
    .transform(Number)
    .refine((n) => n >= min && n <= max, "error.outOfRange");

export const cohortSchema = z
  .object({
    programVersionId: z.string().regex(/^\d+$/, "error.choose").transform(Number),
    name: requiredText(60),
    startDate: isoDate,
    endDate: isoDate,
    capacity: wholeNumber(1, 500),
    instructorIds: z.array(z.string()).default([]),
  })
  .refine((v) => v.endDate >= v.startDate, { message: "error.dateOrder", path: ["endDate"] });

export type CohortInput = z.output<typeof cohortSchema>;

export const enrolOneSchema = z.object({
  name: requiredText(50),
  mobile: z.string().trim().min(1, "error.required"),
  idNumber: z.string().trim().min(1, "id.empty"),
  employer: optionalText(100),
});

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
