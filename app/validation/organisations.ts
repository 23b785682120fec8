import * as z from "zod";
import { ACCREDITATION_STATUSES, HOST_KINDS, ORGANISATION_KINDS } from "../../db/schema";
import { hostAllowed } from "../domain/designation";
import { isoDate, optionalText, requiredText } from "./fields";

export const organisationSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{2,32}$/, "error.code")
    .transform((s) => s.toUpperCase()),
  name: requiredText(100),
  kind: z.enum(ORGANISATION_KINDS, { message: "error.choose" }),
  parentId: z.string().default(""),
  /** What was typed in the region field; the route resolves it against the region table. */
  region: z.string().trim().max(100, "error.tooLong").default(""),
  address: optionalText(200),
  contactPhone: optionalText(40),
});

/** Editing may also stop an organisation (its box unticked sends nothing). */
export const organisationEditSchema = organisationSchema.extend({
  active: z
    .literal("1")
    .optional()
    .transform((v) => v === "1"),
});

/** A health bureau's designation record of a base: designating, suspending or ending it. */
export const accreditationSchema = z
  .object({
    number: requiredText(64),
    status: z.enum(ACCREDITATION_STATUSES, { message: "error.choose" }),
    hostName: requiredText(100),
    hostKind: z.enum(HOST_KINDS, { message: "error.choose" }),
    validFrom: isoDate,
    validTo: isoDate,
    effectiveFrom: isoDate,
    note: optionalText(500),
  })
  .refine((v) => v.validTo >= v.validFrom, { message: "error.dateOrder", path: ["validTo"] })
  // Only designating needs an allowed host; suspending a base set up in the wrong place must stay possible.
  .refine((v) => v.status !== "accredited" || hostAllowed(v.hostKind), { message: "designation.hostNotAllowed", path: ["hostKind"] });

export type OrganisationInput = z.output<typeof organisationSchema>;
export type AccreditationInput = z.output<typeof accreditationSchema>;
