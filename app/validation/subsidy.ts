import * as z from "zod";
import { checkboxes, isoDate, optionalText, requiredText } from "./fields";

/** Which claim line a step on one line is about. */
const lineId = z.string().regex(/^\d+$/, "error.choose").transform(Number);

/** A step that must say why: removing or rejecting a line, withdrawing or returning a claim. */
export const claimReasonSchema = z.object({ reason: requiredText(200) });
export const lineReasonSchema = z.object({ lineId, reason: requiredText(200) });
/** Approving a line needs no reason; rejecting it does (the action checks which button was pressed). */
export const lineDecisionSchema = z.object({ lineId, reason: optionalText(200) });

/** Recording a payment: the day it was paid (today when left empty) and the bank's or treasury's reference. */
export const paymentSchema = z.object({ paidOn: isoDate.or(z.literal("")), reference: requiredText(100) });

/** Drafting a claim: the policy, the organisation and the period previewed, and the subjects ticked. */
export const newClaimSchema = z.object({
  policy: z.string().min(1),
  org: z.string().min(1),
  from: isoDate,
  to: isoDate,
  subject: checkboxes(z.string().max(200)),
});
