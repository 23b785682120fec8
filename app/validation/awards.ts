import * as z from "zod";
import { chosen, isoDate } from "./fields";

/** A health bureau designating an organisation under one of its awards; places and the window are the service's to check. */
export const awardDesignationSchema = z.object({
  organisationId: chosen,
  designatedOn: isoDate,
  documentNumber: z.string().trim().min(1, "award.documentRequired").max(60, "award.documentRequired"),
  reason: z.string().trim().min(1, "award.reasonRequired").max(500, "award.reasonRequired"),
});
