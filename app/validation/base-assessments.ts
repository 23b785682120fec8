import * as z from "zod";
import { isHalfYear, readItemScores, type AssessmentTemplate } from "../domain/base-assessment";
import { isoDate } from "./fields";

/** The form field of an inspection item's score. */
export const scoreField = (code: string): `score:${string}` => `score:${code}`;

/** The item scores as typed, by item code. */
export function typedScores(template: Pick<AssessmentTemplate, "items">, values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(template.items.map((item) => [item.code, String(values[scoreField(item.code)] ?? "")]));
}

/**
 * A bureau's assessment of a base, for the items of its template: each score from 0 to the item's
 * points, by the template's own rule. Whether the half year has begun and the day falls in it are
 * the service's to say.
 */
export function assessmentSchema(template: AssessmentTemplate) {
  const scores: Record<`score:${string}`, z.ZodString> = Object.fromEntries(
    template.items.map((item) => [scoreField(item.code), z.string({ error: "assessment.scoreRange" })]),
  );
  return z
    .object({
      period: z.string({ error: "assessment.periodInvalid" }).refine(isHalfYear, "assessment.periodInvalid"),
      assessedOn: isoDate,
      inspectors: z.string().trim().min(1, "assessment.inspectorsRequired").max(100, "assessment.inspectorsRequired"),
      notes: z.string().trim().max(1000, "assessment.notesTooLong").default(""),
      ...scores,
    })
    .superRefine((values, ctx) => {
      const { errors } = readItemScores(template, typedScores(template, values));
      for (const [code, message] of Object.entries(errors)) ctx.addIssue({ code: "custom", path: [scoreField(code)], message });
    });
}
