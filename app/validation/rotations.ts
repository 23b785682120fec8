import * as z from "zod";
import { DEPARTMENT_KINDS } from "../../db/schema";
import { checkboxes, chosen, isoDate, optionalText, requiredText, wholeNumber } from "./fields";

export const departmentSchema = z.object({
  name: requiredText(40),
  kind: z.enum(DEPARTMENT_KINDS, { message: "error.choose" }),
  capacity: wholeNumber(0, 50),
  mentorIds: checkboxes(z.string()),
  // Only an existing department has the box, ticked to close it (value "0"); a new one opens.
  active: z
    .literal("0")
    .optional()
    .transform((v) => v !== "0"),
});

export const placementSchema = z
  .object({
    enrolmentId: chosen,
    departmentId: chosen,
    mentorUserId: chosen,
    startDate: isoDate,
    endDate: isoDate,
    requiredDays: wholeNumber(1, 120),
  })
  .refine((v) => v.endDate >= v.startDate, { message: "error.dateOrder", path: ["endDate"] });

export const endEarlySchema = z.object({ date: isoDate, reason: requiredText(200) });

/** A score chosen from 5 (best) to 1. */
const score = chosen.pipe(wholeNumber(1, 5));

export const signDaySchema = z.object({ date: isoDate, lateReason: optionalText(200) });
export const signSkillSchema = z.object({ date: isoDate, skillCode: chosen, lateReason: optionalText(200) });
export const evaluationSchema = z.object({
  date: isoDate,
  attitude: score,
  skills: score,
  communication: score,
  safety: score,
  passed: z.enum(["yes", "no"], { message: "error.choose" }),
  comments: requiredText(500),
  lateReason: optionalText(200),
});
