import * as z from "zod";
import { isCalendarDate } from "../domain/dates";

/**
 * The building blocks of every form schema. Messages are message keys, so the same schema gives the
 * same Chinese (or English) message in the browser and on the server.
 */
export const requiredText = (max = 100) => z.string().trim().min(1, "error.required").max(max, "error.tooLong");

export const optionalText = (max = 200) => z.string().trim().max(max, "error.tooLong").default("");

/** A day as the date input sends it (2026-10-01), and a day the calendar has. The one date check of every form. */
export const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "error.date")
  .refine(isCalendarDate, "error.date");

/** A choice from a select whose empty option means "not chosen yet". */
export const chosen = z.string({ error: "error.choose" }).min(1, "error.choose");

/** A whole number typed into a text or number field, within bounds. */
export const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "error.wholeNumber")
    .transform(Number)
    .refine((n) => n >= min && n <= max, "error.outOfRange");

/**
 * A group of checkboxes with one name: none ticked sends nothing, one ticked sends one value.
 * Typed as what the form sends, so a form's default can tick boxes with a list.
 */
export const checkboxes = <T extends z.ZodType<string>>(item: T) =>
  z.preprocess((v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(item));
