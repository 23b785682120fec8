import * as z from "zod";
import { normaliseMobile } from "../domain/mobile";
import { parseResidentId } from "../domain/resident-id";
import { ROLES } from "../../db/schema";
import { checkboxes, chosen, optionalText, requiredText } from "./fields";

export const password = z.string().min(8, "error.passwordShort").max(200, "error.tooLong");

/** Optional here; `setup-production` requires one for the first admin. */
export const username = z
  .string()
  .trim()
  .transform((s) => s.toLowerCase())
  .refine((s) => s === "" || /^[a-z0-9_.]{3,32}$/.test(s), "error.username")
  // Sign-in reads an identifier that looks like a mobile number as one, so such a username could never sign in.
  .refine((s) => normaliseMobile(s) === null, "error.usernameLooksLikeMobile");

const mobile = z
  .string()
  .trim()
  .refine((s) => s === "" || normaliseMobile(s) !== null, "error.mobile")
  .transform((s) => (s === "" ? "" : normaliseMobile(s)!));

/** Optional resident ID: checked with GB 11643 and stored upper-case. */
export const optionalResidentId = z
  .string()
  .trim()
  .transform((s, ctx) => {
    if (s === "") return "";
    const parsed = parseResidentId(s);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: `id.${parsed.error}` });
      return z.NEVER;
    }
    return parsed.value;
  });

const personFields = {
  name: requiredText(50),
  username: username.default(""),
  mobile: mobile.default(""),
  idNumber: optionalResidentId.default(""),
};

const needsIdentifier = (v: { username: string; mobile: string }) => v.username !== "" || v.mobile !== "";

export const newUserSchema = z
  .object({ ...personFields, password })
  .refine(needsIdentifier, { message: "error.identifierRequired", path: ["username"] });

export const editUserSchema = z.object(personFields).refine(needsIdentifier, { message: "error.identifierRequired", path: ["username"] });

export const assignRoleSchema = z.object({
  organisationId: chosen,
  role: z.enum(ROLES, { message: "error.choose" }),
});

/** An admin sets a temporary password, which its holder must change at the next sign-in. */
export const resetPasswordSchema = z.object({ newPassword: password });

/** The current password is asked for unless the account has none yet (signed in with an activation code). */
export const changePasswordSchema = (hasPassword: boolean) =>
  z
    .object({
      currentPassword: hasPassword ? z.string().min(1, "error.required").max(200, "error.tooLong") : z.string().default(""),
      newPassword: password,
      confirmPassword: z.string().max(200, "error.tooLong"),
    })
    .refine((v) => v.newPassword === v.confirmPassword, { message: "error.passwordMismatch", path: ["confirmPassword"] });

export const signInSchema = z.object({
  identifier: requiredText(64),
  password: z.string().min(1, "error.required"),
  next: optionalText(300),
});

/**
 * Where notifications also go by e-mail: an address (blank for none) and the kinds ticked. The
 * address's form is the service's to judge, after the save: judged as the field is left, its message
 * would push the boxes below it down under the pointer reaching for one of them.
 */
export const notificationSettingsSchema = z.object({
  email: z.string().max(300, "error.tooLong").default(""),
  emailKinds: checkboxes(z.string()),
});

export type NewUserInput = z.output<typeof newUserSchema>;
export type EditUserInput = z.output<typeof editUserSchema>;
