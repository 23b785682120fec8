import * as z from "zod";
import { qualificationProblems } from "../domain/qualification";
import { optionalText } from "./fields";

const typed = (max: number) => z.string().max(max, "error.tooLong").default("");

/**
 * A qualification as its holder types it, checked by the one rule the service also applies. `today`
 * is the server's day, so the browser and the server agree on what is still to come.
 */
export const qualificationSchema = (today: string) =>
  z
    .object({ kind: typed(40), number: typed(200), issuer: typed(200), issuedOn: typed(20), validUntil: typed(20) })
    .superRefine((q, ctx) => {
      for (const [field, message] of Object.entries(qualificationProblems(q, today)))
        ctx.addIssue({ code: "custom", path: [field], message });
    });

/**
 * A registrar's verdict, from the button pressed: refusing needs a reason. Only the refuse button
 * asks for it, so leaving the reason empty on the way to "verify" is not flagged.
 */
export const qualificationDecisionSchema = z
  .object({ verdict: z.string().default(""), reason: optionalText(200) })
  .refine((d) => d.verdict !== "reject" || d.reason !== "", { message: "qualification.reasonRequired", path: ["reason"] });
