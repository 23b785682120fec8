import { z } from "zod";
import { DEPARTMENT_KINDS } from "../../db/schema";
import { isoDate, optionalText, requiredText } from "./fields";

const count = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "error.wholeNumber")
    .transform(Number)
    .refine((n) => n >= min && n <= max, "error.outOfRange");

export const departmentSchema = z.object({
  name: requiredText(40),
  kind: z.enum(DEPARTMENT_KINDS, { message: "error.choose" }),
  capacity: count(0, 50),
  mentorIds: z.array(z.string()).default([]),
});

export const placementSchema = z
  .object({
    enrolmentId: z.string().min(1, "error.choose"),
    departmentId: z.string().min(1, "error.choose"),
    mentorUserId: z.string().min(1, "error.choose"),
    startDate: isoDate,
    endDate: isoDate,
    requiredDays: count(1, 120),
  })
  .refine((v) => v.endDate >= v.startDate, { message: "error.dateOrder", path: ["endDate"] });

export const endEarlySchema = z.object({ date: isoDate, reason: requiredText(200) });

const score = count(1, 5);

export const signDaySchema = z.object({ date: isoDate, lateReason: optionalText(200) });
export const signSkillSchema = z.object({ date: isoDate, skillCode: z.string().min(1, "error.choose"), lateReason: optionalText(200) });
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
