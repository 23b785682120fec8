import { z } from "zod";
import { ACCREDITATION_STATUSES, ORGANISATION_KINDS } from "../../db/schema";
import { isoDate, optionalText, requiredText } from "./form";

export const organisationSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{2,32}$/, "error.code")
    .transform((s) => s.toUpperCase()),
  name: requiredText(100),
  kind: z.enum(ORGANISATION_KINDS, { message: "error.choose" }),
  parentId: z.string().default(""),
  address: optionalText(200),
  contactPhone: optionalText(40),
});

export const accreditationSchema = z
  .object({
    number: requiredText(64),
    status: z.enum(ACCREDITATION_STATUSES, { message: "error.choose" }),
    validFrom: isoDate,
    validTo: isoDate,
    effectiveFrom: isoDate,
    note: optionalText(500),
  })
  .refine((v) => v.validTo >= v.validFrom, { message: "error.dateOrder", path: ["validTo"] });

export type OrganisationInput = z.output<typeof organisationSchema>;
export type AccreditationInput = z.output<typeof accreditationSchema>;
