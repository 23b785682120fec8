import * as z from "zod";
import { holderCheckErrors } from "../domain/holder-match";

/**
 * What an employer types to check a certificate's holder: the full name and, when the certificate
 * has an ID number, its last four characters. Checked by the same rule the service applies before
 * it counts an attempt. Overlong input is cut, as the fields themselves cut it.
 */
export const holderCheckSchema = (hasIdNumber: boolean) =>
  z
    .object({
      name: z
        .string()
        .default("")
        .transform((s) => s.slice(0, 100)),
      idTail: z
        .string()
        .default("")
        .transform((s) => s.slice(0, 20)),
    })
    .superRefine((input, ctx) => {
      for (const [field, message] of Object.entries(holderCheckErrors(input, hasIdNumber)))
        ctx.addIssue({ code: "custom", path: [field], message });
    });
