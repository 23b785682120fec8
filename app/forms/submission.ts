import type { Submission, SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import * as z from "zod";
import type { Refusal } from "../services/result";
import { encodeMessage } from "./messages";

/** What an action answers a form with: conform's result, which the form shows beside its fields. */
export type FormReply = SubmissionResult<string[]>;

/**
 * Reads a submitted form against its schema, the same way the browser checks it before sending.
 * Values are read as typed: an empty field is "" (its schema says whether that is allowed).
 */
export function parseSubmission<S extends z.ZodType>(formData: FormData, schema: S) {
  return parseWithZod(formData, { schema, disableAutoCoercion: true, error: unnamedMessage });
}

/**
 * What a form's schema says when it names no message of its own: a field the request did not send
 * at all is missing (a page always sends its fields; a hand-made request may not), and a value
 * outside a fixed list was not one of the choices. Messages a schema names itself come first.
 */
const unnamedMessage: z.core.$ZodErrorMap = (issue) =>
  issue.input === undefined ? "error.required" : issue.code === "invalid_value" ? "error.choose" : undefined;

/** A service's refusal as the answer to the form that asked: each message beside its field, `_form` above the form. */
export function replyRefused(submission: Submission<unknown>, refusal: Refusal, options: { hideFields?: string[] } = {}): FormReply {
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  for (const [field, key] of Object.entries(refusal.errors)) {
    if (!key) continue;
    const message = encodeMessage(key, refusal.params?.[field]);
    if (field === "_form") formErrors.push(message);
    else fieldErrors[field] = [message];
  }
  return submission.reply({ fieldErrors, formErrors, hideFields: options.hideFields });
}

/** The schema of a form that is only a button (start the exam, approve, delete): it sends no fields to check. */
export const noFields = z.object({});
