import { readdirSync } from "node:fs";
import { answeringDomainErrors } from "../../app/http/domain-errors.server";
import { isMessageKey } from "../../app/i18n/messages";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../../db/client.server";
import { certificates, claims, cohorts, enrolments, placements, users } from "../../db/schema";
import { GRANTS } from "../../app/domain/permissions";
import { checkCharacter } from "../../app/domain/resident-id";
import { issueCertificate } from "../../app/services/certificates.server";
import { enrolPeople } from "../../app/services/cohorts.server";
import { seedDemoActivity } from "../../app/demo/demo-activity.server";
import { learningEnrolment, startAssessment, submitAttempt } from "../../app/services/learning.server";
import { claimableHeads, policyByCode } from "../../app/services/subsidy/eligibility.server";
import { createClaim } from "../../app/services/subsidy/claim-steps.server";
import { cohortWithTrainees, completeEnrolment, contextFor, finishModules, openCohort, orgId, userId, withDemoData } from "./fixtures";

/**
 * Who may reach which page, written out by hand for every route and every demo account, so that a
 * grant widened in the permission table (or a check dropped from a route) shows up here as a row
 * that no longer matches. Nothing below is derived from GRANTS: each list is what the product's
 * rules say, checked against the README's roles and organisations.
 */

const ACCOUNTS = [
  "admin",
  "registrar",
  "registrar.fy",
  "instructor",
  "finance",
  "finance.fy",
  "mentor",
  "mentor.rehab",
  "coordinator",
  "reviewer",
  "reviewer.fy",
  "reviewer.hr",
  "trainee",
] as const;
type Account = (typeof ACCOUNTS)[number];
type Visitor = Account | "anonymous";
const VISITORS: readonly Visitor[] = [...ACCOUNTS, "anonymous"];

/** Public pages: every account and the signed-out visitor. */
const EVERYONE = "everyone";
/** Every signed-in account; the signed-out visitor is sent to sign in. */
const SIGNED_IN = "signed in";
type Allowed = typeof EVERYONE | typeof SIGNED_IN | readonly Visitor[];

interface Access {
  allow: Allowed;
  /** Accounts that get 404 rather than 403: the route hides whether the record exists for them. */
  hidden?: readonly Account[];
}

interface Row {
  /** The file in app/routes, without .tsx. */
  route: string;
  /** The URL, with `{name}` standing for the id of a demo record named in `RECORDS`. */
  url: string;
  get?: Access;
  /** Sent as a form; chosen so that an allowed account is answered with a refusal or validation errors and nothing changes. */
  post?: Access & { body?: Record<string, string> };
  /** What a refused account gets when it is not 403. */
  refused?: number;
  /** What an allowed account gets when it is not simply let through. */
  success?: "login";
}

// The bases' staff and the reviewers of their region see a base; mentors and the coordinator are the hospital's, not the base's.
const TABLE: Row[] = [
  // ---------------------------------------------------------------- public
  { route: "[.well-known].certificate-signing-key[.pem]", url: "/.well-known/certificate-signing-key.pem", get: { allow: EVERYONE } },
  { route: "[.well-known].certificate-keys[.json]", url: "/.well-known/certificate-keys.json", get: { allow: EVERYONE } },
  { route: "[.well-known].certificate-status[.jwt]", url: "/.well-known/certificate-status.jwt", get: { allow: EVERYONE } },
  { route: "login", url: "/login", get: { allow: EVERYONE }, post: { allow: EVERYONE } },
  { route: "verify", url: "/verify", get: { allow: EVERYONE }, post: { allow: EVERYONE } },
  // The holder check on the public page: anyone may ask; a name alone is refused as incomplete, so no attempt is counted.
  { route: "v.$serial", url: "/v/{serial.fy}", get: { allow: EVERYONE }, post: { allow: EVERYONE, body: { name: "某人" } } },
  { route: "v.$serial.credential", url: "/v/{serial.fy}/credential", get: { allow: EVERYONE } },
  { route: "regions", url: "/regions?q=富阳", get: { allow: EVERYONE } },
  { route: "lang", url: "/lang", get: { allow: EVERYONE }, post: { allow: EVERYONE, body: { lang: "en", redirectTo: "/home" } } },
  { route: "logout", url: "/logout", get: { allow: EVERYONE } },
  // Signing out ends with the sign-in page for everyone: there is nothing to authorise.
  { route: "logout", url: "/logout", post: { allow: EVERYONE }, success: "login" },

  // ---------------------------------------------------------------- any signed-in account
  { route: "_index", url: "/", get: { allow: SIGNED_IN } },
  { route: "home", url: "/home", get: { allow: SIGNED_IN } },
  { route: "account", url: "/account", get: { allow: SIGNED_IN }, post: { allow: SIGNED_IN } },
  // Opening a notification that is not one's own (none has id 0) goes back to the inbox.
  { route: "inbox", url: "/inbox", get: { allow: SIGNED_IN }, post: { allow: SIGNED_IN, body: { id: "0" } } },
  // Anyone signed in records their own qualifications; an empty form is refused field by field.
  { route: "learn.qualifications", url: "/learn/qualifications", get: { allow: SIGNED_IN }, post: { allow: SIGNED_IN } },
  { route: "roster-template[.xlsx]", url: "/roster-template.xlsx", get: { allow: SIGNED_IN } },
  // The selection is filtered, not refused: a certificate the account may not see is left out, and nothing left is a 400.
  {
    route: "certificates.zip",
    url: "/certificates/zip",
    post: { allow: ["admin", "registrar.fy", "finance.fy", "reviewer.fy", "reviewer.hr"], body: { id: "{cert.fy}" } },
    refused: 400,
  },
  {
    route: "certificates.zip",
    url: "/certificates/zip",
    post: { allow: ["admin", "registrar", "instructor", "finance", "reviewer"], body: { id: "{cert.geri}" } },
    refused: 400,
  },

  // ---------------------------------------------------------------- the alliance admin
  { route: "admin.audit", url: "/admin/audit", get: { allow: ["admin"] } },
  { route: "admin.organisations._index", url: "/admin/organisations", get: { allow: ["admin"] } },
  { route: "admin.organisations.new", url: "/admin/organisations/new", get: { allow: ["admin"] }, post: { allow: ["admin"] } },
  { route: "admin.organisations.$orgId", url: "/admin/organisations/{BASE-FY}", get: { allow: ["admin"] }, post: { allow: ["admin"] } },
  { route: "admin.users._index", url: "/admin/users", get: { allow: ["admin"] } },
  { route: "admin.users.new", url: "/admin/users/new", get: { allow: ["admin"] }, post: { allow: ["admin"] } },
  {
    route: "admin.users.$userId",
    url: "/admin/users/{user.trainee}",
    get: { allow: ["admin"] },
    post: { allow: ["admin"], body: { intent: "profile" } },
  },

  // ---------------------------------------------------------------- a base and its cohorts
  { route: "bases.$orgId._index", url: "/bases/{BASE-GERI}", get: { allow: ["admin", "registrar", "instructor", "finance", "reviewer"] } },
  {
    route: "bases.$orgId._index",
    url: "/bases/{BASE-FY}",
    get: { allow: ["admin", "registrar.fy", "finance.fy", "reviewer.fy", "reviewer.hr"] },
  },
  { route: "bases.$orgId._index", url: "/bases/{BASE-FY-XD}", get: { allow: ["admin", "reviewer.fy", "reviewer.hr"] } },
  // Checking a trainee's qualification is the registrar's; the base's staff and reviewers see the list.
  {
    route: "bases.$orgId.qualifications",
    url: "/bases/{BASE-GERI}/qualifications",
    get: { allow: ["admin", "registrar", "instructor", "finance", "reviewer"] },
    post: { allow: ["registrar"] },
  },
  {
    route: "bases.$orgId.qualifications",
    url: "/bases/{BASE-FY}/qualifications",
    get: { allow: ["admin", "registrar.fy", "finance.fy", "reviewer.fy", "reviewer.hr"] },
    post: { allow: ["registrar.fy"] },
  },
  {
    route: "bases.$orgId.cohorts.new",
    url: "/bases/{BASE-GERI}/cohorts/new",
    get: { allow: ["registrar"] },
    post: { allow: ["registrar"] },
  },
  {
    route: "bases.$orgId.cohorts.new",
    url: "/bases/{BASE-FY}/cohorts/new",
    get: { allow: ["registrar.fy"] },
    post: { allow: ["registrar.fy"] },
  },

  {
    route: "bases.$orgId.cohorts.$cohortId",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri}",
    get: { allow: ["admin", "registrar", "instructor", "finance", "reviewer"] },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId",
    url: "/bases/{BASE-FY}/cohorts/{cohort.fy}",
    get: { allow: ["admin", "registrar.fy", "finance.fy", "reviewer.fy", "reviewer.hr"] },
  },
  // 富阳's cohort under 拱墅's base in the URL: those who see 拱墅's base are told it is not there.
  {
    route: "bases.$orgId.cohorts.$cohortId",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.fy}",
    get: { allow: [], hidden: ["admin", "registrar", "instructor", "finance", "reviewer"] },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId._index",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri}",
    get: { allow: ["admin", "registrar", "instructor", "finance", "reviewer"] },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId._index",
    url: "/bases/{BASE-FY}/cohorts/{cohort.fy}",
    get: { allow: ["admin", "registrar.fy", "finance.fy", "reviewer.fy", "reviewer.hr"] },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.progress[.xlsx]",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri}/progress.xlsx",
    get: { allow: ["admin", "registrar", "instructor", "finance", "reviewer"] },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.progress[.xlsx]",
    url: "/bases/{BASE-FY}/cohorts/{cohort.fy}/progress.xlsx",
    get: { allow: ["admin", "registrar.fy", "finance.fy", "reviewer.fy", "reviewer.hr"] },
  },
  // The study record, for inspectors: whoever sees the cohort's progress; a trainee of another cohort under this one is not there.
  {
    route: "bases.$orgId.cohorts.$cohortId.study-record[.xlsx]",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri}/study-record.xlsx",
    get: { allow: ["admin", "registrar", "instructor", "finance", "reviewer"] },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.study-record[.xlsx]",
    url: "/bases/{BASE-FY}/cohorts/{cohort.fy}/study-record.xlsx",
    get: { allow: ["admin", "registrar.fy", "finance.fy", "reviewer.fy", "reviewer.hr"] },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.study-record.$enrolmentId[.pdf]",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri}/study-record/{enrolment.trainee}.pdf",
    get: { allow: ["admin", "registrar", "instructor", "finance", "reviewer"] },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.study-record.$enrolmentId[.pdf]",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri-untaught}/study-record/{enrolment.trainee}.pdf",
    get: { allow: [], hidden: ["admin", "registrar", "instructor", "finance", "reviewer"] },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.study-record.$enrolmentId[.pdf]",
    url: "/bases/{BASE-FY}/cohorts/{cohort.fy}/study-record/{enrolment.fy}.pdf",
    get: { allow: ["admin", "registrar.fy", "finance.fy", "reviewer.fy", "reviewer.hr"] },
  },

  // Attendance and practicals: the base's registrars, and an instructor only for a cohort they teach.
  {
    route: "bases.$orgId.cohorts.$cohortId.attendance",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri}/attendance",
    get: { allow: ["registrar", "instructor"] },
    post: { allow: ["registrar", "instructor"], body: { intent: "add-session" } },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.attendance",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri-untaught}/attendance",
    get: { allow: ["registrar"] },
    post: { allow: ["registrar"], body: { intent: "add-session" } },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.attendance",
    url: "/bases/{BASE-FY}/cohorts/{cohort.fy}/attendance",
    get: { allow: ["registrar.fy"] },
    post: { allow: ["registrar.fy"], body: { intent: "add-session" } },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.practicals",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri}/practicals",
    get: { allow: ["registrar", "instructor"] },
    post: { allow: ["registrar", "instructor"] },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.practicals",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri-untaught}/practicals",
    get: { allow: ["registrar"] },
    post: { allow: ["registrar"] },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.practicals",
    url: "/bases/{BASE-FY}/cohorts/{cohort.fy}/practicals",
    get: { allow: ["registrar.fy"] },
    post: { allow: ["registrar.fy"] },
  },

  // Issuing: the base's registrars only. The enrolment named has its certificate already.
  {
    route: "bases.$orgId.cohorts.$cohortId.certificates",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri}/certificates",
    get: { allow: ["registrar"] },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.certificates",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri-untaught}/certificates",
    post: { allow: ["registrar"], body: { enrolmentId: "{enrolment.geri}" } },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.certificates",
    url: "/bases/{BASE-FY}/cohorts/{cohort.fy}/certificates",
    get: { allow: ["registrar.fy"] },
    post: { allow: ["registrar.fy"], body: { enrolmentId: "{enrolment.fy}" } },
  },

  // Enrolment, slips and activation codes: the base's registrars only.
  {
    route: "bases.$orgId.cohorts.$cohortId.enrol",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri}/enrol",
    get: { allow: ["registrar"] },
    post: { allow: ["registrar"] },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.enrol",
    url: "/bases/{BASE-FY}/cohorts/{cohort.fy}/enrol",
    get: { allow: ["registrar.fy"] },
    post: { allow: ["registrar.fy"] },
  },
  // Resetting the password of a person trained at 富阳, from a 拱墅 cohort: nobody.
  {
    route: "bases.$orgId.cohorts.$cohortId.enrol",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri}/enrol",
    post: { allow: [], body: { intent: "reset-password", userId: "{user.fy}" } },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.slips[.pdf]",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri-roster}/slips.pdf",
    get: { allow: ["registrar"] },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.slips[.xlsx]",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri}/slips.xlsx",
    get: { allow: ["registrar"] },
  },
  // A roster read back with its problems: an empty roster is answered 400, and only the base's registrar gets that far.
  {
    route: "bases.$orgId.cohorts.$cohortId.roster-problems[.xlsx]",
    url: "/bases/{BASE-GERI}/cohorts/{cohort.geri}/roster-problems.xlsx",
    post: { allow: ["registrar"], body: { payload: "[]" } },
  },
  {
    route: "bases.$orgId.cohorts.$cohortId.slips[.xlsx]",
    url: "/bases/{BASE-FY}/cohorts/{cohort.fy}/slips.xlsx",
    get: { allow: ["registrar.fy"] },
  },

  // ---------------------------------------------------------------- certificates
  // The register of every base is the admin's; a base's register is for those who see the base.
  { route: "certificates._index", url: "/certificates", get: { allow: ["admin"] } },
  {
    route: "certificates._index",
    url: "/certificates?org={BASE-FY}",
    get: { allow: ["admin", "registrar.fy", "finance.fy", "reviewer.fy", "reviewer.hr"] },
  },
  {
    route: "certificates._index",
    url: "/certificates?org={BASE-GERI}",
    get: { allow: ["admin", "registrar", "instructor", "finance", "reviewer"] },
  },
  { route: "certificates.export[.xlsx]", url: "/certificates/export.xlsx", get: { allow: ["admin"] } },
  {
    route: "certificates.export[.xlsx]",
    url: "/certificates/export.xlsx?org={BASE-FY}",
    get: { allow: ["admin", "registrar.fy", "finance.fy", "reviewer.fy", "reviewer.hr"] },
  },
  // Revoking: the admin and the issuing base's registrars; reissuing: the issuing base's registrars. Both sent without the reason they need.
  {
    route: "certificates.$certificateId",
    url: "/certificates/{cert.fy}",
    get: { allow: ["admin", "registrar.fy", "finance.fy", "reviewer.fy", "reviewer.hr"] },
    post: { allow: ["admin", "registrar.fy"], body: { intent: "revoke" } },
  },
  { route: "certificates.$certificateId", url: "/certificates/{cert.fy}", post: { allow: ["registrar.fy"], body: { intent: "reissue" } } },
  {
    route: "certificates.$certificateId",
    url: "/certificates/{cert.geri}",
    get: { allow: ["admin", "registrar", "instructor", "finance", "reviewer"] },
    post: { allow: ["admin", "registrar"], body: { intent: "revoke" } },
  },
  {
    route: "certificates.$certificateId.pdf",
    url: "/certificates/{cert.fy}/pdf",
    get: { allow: ["admin", "registrar.fy", "finance.fy", "reviewer.fy", "reviewer.hr"] },
  },
  // The holder downloads their own certificate; its staff page is the base's.
  {
    route: "certificates.$certificateId.pdf",
    url: "/certificates/{cert.trainee}/pdf",
    get: { allow: ["admin", "registrar", "instructor", "finance", "reviewer", "trainee"] },
  },
  // The same certificate as an Open Badges credential: whoever may download its PDF.
  {
    route: "certificates.$certificateId.credential",
    url: "/certificates/{cert.fy}/credential",
    get: { allow: ["admin", "registrar.fy", "finance.fy", "reviewer.fy", "reviewer.hr"] },
  },
  {
    route: "certificates.$certificateId.credential",
    url: "/certificates/{cert.trainee}/credential",
    get: { allow: ["admin", "registrar", "instructor", "finance", "reviewer", "trainee"] },
  },
  {
    route: "certificates.$certificateId",
    url: "/certificates/{cert.trainee}",
    get: { allow: ["admin", "registrar", "instructor", "finance", "reviewer"] },
  },

  // ---------------------------------------------------------------- money
  // Each base's finance sees its own base; each authority's reviewers the bases its policies reach (拱墅's bureau issued none).
  { route: "subsidy._index", url: "/subsidy", get: { allow: ["finance", "finance.fy", "reviewer", "reviewer.fy", "reviewer.hr"] } },
  { route: "subsidy._index", url: "/subsidy?org={BASE-FY}", get: { allow: ["finance.fy", "reviewer.fy", "reviewer.hr"] } },
  { route: "subsidy._index", url: "/subsidy?org={BASE-GERI}", get: { allow: ["finance"] } },
  {
    route: "subsidy.claims.new",
    url: "/subsidy/claims/new?org={BASE-FY}&policy=instructor-training-subsidy",
    get: { allow: ["finance.fy"] },
  },
  // A claim with no heads in it is refused after the check.
  {
    route: "subsidy.claims.new",
    url: "/subsidy/claims/new",
    post: {
      allow: ["finance.fy"],
      body: { org: "{BASE-FY}", policy: "instructor-training-subsidy", from: "2026-01-01", to: "2026-12-31" },
    },
  },
  // The claim paid at 富阳 under 富阳区卫生健康局's policy: the base's finance and that bureau's reviewers, nobody else.
  {
    route: "subsidy.claims.$claimId._index",
    url: "/subsidy/claims/{claim.fy-paid}",
    get: { allow: ["finance.fy", "reviewer.fy"] },
    post: { allow: ["reviewer.fy"], body: { intent: "approve" } },
  },
  {
    route: "subsidy.claims.$claimId._index",
    url: "/subsidy/claims/{claim.fy-paid}",
    post: { allow: ["finance.fy"], body: { intent: "submit" } },
  },
  {
    route: "subsidy.claims.$claimId.form[.pdf]",
    url: "/subsidy/claims/{claim.fy-paid}/form.pdf",
    get: { allow: ["finance.fy", "reviewer.fy"] },
  },
  {
    route: "subsidy.claims.$claimId.roster[.csv]",
    url: "/subsidy/claims/{claim.fy-paid}/roster.csv",
    get: { allow: ["finance.fy", "reviewer.fy"] },
  },
  {
    route: "subsidy.claims.$claimId.roster[.xlsx]",
    url: "/subsidy/claims/{claim.fy-paid}/roster.xlsx",
    get: { allow: ["finance.fy", "reviewer.fy"] },
  },
  // A draft under 富阳区人社局's policy: the base's own until it is submitted — not even 人社's reviewers see it yet.
  {
    route: "subsidy.claims.$claimId._index",
    url: "/subsidy/claims/{claim.fy-vocational}",
    get: { allow: ["finance.fy"] },
    post: { allow: [], body: { intent: "approve" } },
  },
  {
    route: "subsidy.claims.$claimId.roster[.csv]",
    url: "/subsidy/claims/{claim.fy-vocational}/roster.csv",
    get: { allow: ["finance.fy"] },
  },

  // ---------------------------------------------------------------- the authorities
  { route: "review._index", url: "/review", get: { allow: ["reviewer", "reviewer.fy", "reviewer.hr"] } },
  // A base is designated by the health bureau of its district only.
  { route: "review.bases.$orgId", url: "/review/bases/{BASE-FY-XD}", get: { allow: ["reviewer.fy"] }, post: { allow: ["reviewer.fy"] } },
  { route: "review.bases.$orgId", url: "/review/bases/{BASE-GERI}", get: { allow: ["reviewer"] }, post: { allow: ["reviewer"] } },
  // Assessing is the health bureau's, over the bases in its region; the 人社 reviewer has none to assess.
  { route: "review.assessments", url: "/review/assessments", get: { allow: ["reviewer", "reviewer.fy"] } },
  // Awards are the bureau's that issued them: 富阳's health bureau; an empty designation is refused field by field.
  {
    route: "review.awards",
    url: "/review/awards",
    get: { allow: ["reviewer.fy"] },
    post: { allow: ["reviewer.fy"], body: { policy: "demonstration-base-award" } },
  },
  {
    route: "review.bases.$orgId_.assess",
    url: "/review/bases/{BASE-FY}/assess",
    get: { allow: ["reviewer.fy"] },
    post: { allow: ["reviewer.fy"] },
  },
  {
    route: "review.bases.$orgId_.assess",
    url: "/review/bases/{BASE-GERI}/assess",
    get: { allow: ["reviewer"] },
    post: { allow: ["reviewer"] },
  },

  // ---------------------------------------------------------------- the lead hospital
  { route: "hospital.$orgId._index", url: "/hospital/{HZ-GERI}", get: { allow: ["admin", "mentor", "mentor.rehab", "coordinator"] } },
  // A base is not a hospital: the admin, who sees every hospital, is told so.
  { route: "hospital.$orgId._index", url: "/hospital/{BASE-GERI}", get: { allow: [], hidden: ["admin"] } },
  { route: "hospital.$orgId.board", url: "/hospital/{HZ-GERI}/board", get: { allow: ["admin", "mentor", "mentor.rehab", "coordinator"] } },
  { route: "hospital.$orgId.mentor", url: "/hospital/{HZ-GERI}/mentor", get: { allow: ["mentor", "mentor.rehab", "coordinator"] } },
  {
    route: "hospital.$orgId.approvals",
    url: "/hospital/{HZ-GERI}/approvals",
    get: { allow: ["coordinator"] },
    post: { allow: ["coordinator"] },
  },
  {
    route: "hospital.$orgId.departments",
    url: "/hospital/{HZ-GERI}/departments",
    get: { allow: ["coordinator"] },
    post: { allow: ["coordinator"] },
  },
  {
    route: "hospital.$orgId.placements._index",
    url: "/hospital/{HZ-GERI}/placements",
    get: { allow: ["coordinator"] },
    post: { allow: ["coordinator"] },
  },
  // A placement: its own mentor and the coordinator sign; only the coordinator decides.
  {
    route: "hospital.$orgId.placements.$placementId",
    url: "/hospital/{HZ-GERI}/placements/{placement.mentor}",
    get: { allow: ["mentor", "coordinator"] },
    post: { allow: ["mentor", "coordinator"], body: { intent: "day" } },
  },
  {
    route: "hospital.$orgId.placements.$placementId",
    url: "/hospital/{HZ-GERI}/placements/{placement.mentor}",
    post: { allow: ["coordinator"], body: { intent: "approve", signoffId: "0" } },
  },

  // ---------------------------------------------------------------- a trainee's own learning
  { route: "learn._index", url: "/learn", get: { allow: ["trainee"] } },
  { route: "learn.$enrolmentId._index", url: "/learn/{enrolment.trainee}", get: { allow: ["trainee"] } },
  // Another trainee's enrolment in the same cohort: nobody, not even the admin.
  { route: "learn.$enrolmentId._index", url: "/learn/{enrolment.other}", get: { allow: [] } },
  { route: "learn.$enrolmentId.study-record[.pdf]", url: "/learn/{enrolment.trainee}/study-record.pdf", get: { allow: ["trainee"] } },
  { route: "learn.$enrolmentId.study-record[.pdf]", url: "/learn/{enrolment.other}/study-record.pdf", get: { allow: [] } },
  {
    route: "learn.$enrolmentId.lessons.$moduleCode.$lessonCode",
    url: "/learn/{enrolment.trainee}/lessons/{module}/{lesson}",
    get: { allow: ["trainee"] },
    post: { allow: ["trainee"] },
  },
  {
    route: "learn.$enrolmentId.lessons.$moduleCode.$lessonCode",
    url: "/learn/{enrolment.other}/lessons/{module}/{lesson}",
    get: { allow: [] },
    post: { allow: [] },
  },
  {
    route: "learn.$enrolmentId.quiz.$moduleCode",
    url: "/learn/{enrolment.trainee}/quiz/{module}",
    get: { allow: ["trainee"] },
    post: { allow: ["trainee"] },
  },
  { route: "learn.$enrolmentId.quiz.$moduleCode", url: "/learn/{enrolment.other}/quiz/{module}", get: { allow: [] }, post: { allow: [] } },
  { route: "learn.$enrolmentId.exam", url: "/learn/{enrolment.trainee}/exam", get: { allow: ["trainee"] }, post: { allow: ["trainee"] } },
  { route: "learn.$enrolmentId.exam", url: "/learn/{enrolment.other}/exam", get: { allow: [] }, post: { allow: [] } },
  // A quiz already handed in: sending it again is refused as such.
  {
    route: "learn.$enrolmentId.attempts.$attemptId",
    url: "/learn/{enrolment.trainee}/attempts/{attempt.trainee}",
    get: { allow: ["trainee"] },
    post: { allow: ["trainee"] },
  },
];

/** Routes that have a loader but no action: nothing to POST to. */
const WITHOUT_ACTION = [
  "[.well-known].certificate-keys[.json]",
  "[.well-known].certificate-signing-key[.pem]",
  "[.well-known].certificate-status[.jwt]",
  "_index",
  "admin.audit",
  "admin.organisations._index",
  "admin.users._index",
  "bases.$orgId._index",
  "bases.$orgId.cohorts.$cohortId",
  "bases.$orgId.cohorts.$cohortId._index",
  "bases.$orgId.cohorts.$cohortId.progress[.xlsx]",
  "bases.$orgId.cohorts.$cohortId.slips[.pdf]",
  "bases.$orgId.cohorts.$cohortId.slips[.xlsx]",
  "bases.$orgId.cohorts.$cohortId.study-record.$enrolmentId[.pdf]",
  "bases.$orgId.cohorts.$cohortId.study-record[.xlsx]",
  "certificates.$certificateId.credential",
  "certificates.$certificateId.pdf",
  "certificates._index",
  "certificates.export[.xlsx]",
  "subsidy._index",
  "subsidy.claims.$claimId.form[.pdf]",
  "subsidy.claims.$claimId.roster[.csv]",
  "subsidy.claims.$claimId.roster[.xlsx]",
  "home",
  "hospital.$orgId._index",
  "hospital.$orgId.board",
  "hospital.$orgId.mentor",
  "learn.$enrolmentId._index",
  "learn.$enrolmentId.study-record[.pdf]",
  "learn._index",
  "regions",
  "review._index",
  "review.assessments",
  "roster-template[.xlsx]",
  "v.$serial.credential",
];

/** Routes that have an action but no loader: nothing to GET. */
const WITHOUT_LOADER = ["bases.$orgId.cohorts.$cohortId.roster-problems[.xlsx]", "certificates.zip"];

// ---------------------------------------------------------------- the demo records the URLs name

const RECORDS: Record<string, string> = {};

const withCheck = (first17: string) => first17 + checkCharacter(first17);
const cohortNamed = (name: string) => db().select().from(cohorts).where(eq(cohorts.name, name)).get()!.id;
const firstCertificateOf = (cohortId: string) =>
  db()
    .select({ id: certificates.id, serial: certificates.serial, userId: certificates.userId, enrolmentId: certificates.enrolmentId })
    .from(certificates)
    .innerJoin(enrolments, eq(enrolments.id, certificates.enrolmentId))
    .where(eq(enrolments.cohortId, cohortId))
    .orderBy(asc(certificates.serial))
    .get()!;
const enrolmentOf = (cohortId: string, name: string) =>
  db()
    .select({ id: enrolments.id })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(and(eq(enrolments.cohortId, cohortId), eq(users.name, name)))
    .get()!.id;

beforeAll(async () => {
  await withDemoData();
  await seedDemoActivity();
  for (const code of ["BASE-GERI", "BASE-FY", "BASE-FY-XD", "HZ-GERI"]) RECORDS[code] = orgId(code);
  RECORDS["user.trainee"] = userId("trainee");

  // 拱墅's running family-caregiver cohort, taught by `instructor`; its earlier instructor cohort, taught by nobody on record; 富阳's paid instructor cohort.
  RECORDS["cohort.geri"] = cohortNamed("2026年第4期失能老人家庭照护者培训班");
  RECORDS["cohort.geri-untaught"] = cohortNamed("2026年第1期养老护理员师资培训班");
  RECORDS["cohort.fy"] = cohortNamed("2025年富阳第1期养老护理员师资培训班");

  const fy = firstCertificateOf(RECORDS["cohort.fy"]);
  RECORDS["cert.fy"] = fy.id;
  RECORDS["serial.fy"] = fy.serial;
  RECORDS["user.fy"] = fy.userId;
  RECORDS["enrolment.fy"] = fy.enrolmentId;
  const geri = firstCertificateOf(RECORDS["cohort.geri-untaught"]);
  RECORDS["cert.geri"] = geri.id;
  RECORDS["enrolment.geri"] = geri.enrolmentId;

  RECORDS["enrolment.trainee"] = enrolmentOf(RECORDS["cohort.geri"], "张小明");
  RECORDS["enrolment.other"] = enrolmentOf(RECORDS["cohort.geri"], "李秀英");
  const learning = learningEnrolment(RECORDS["enrolment.trainee"])!;
  RECORDS.module = learning.rules.modules[0].code;
  RECORDS.lesson = learning.rules.modules[0].lessons[0].code;
  // A quiz the trainee has handed in, so that POSTing it again changes nothing.
  const quiz = startAssessment(learning, "quiz", RECORDS.module);
  if (!quiz.ok) throw new Error(JSON.stringify(quiz.errors));
  submitAttempt(learning, quiz.value, { getAll: () => [] });
  RECORDS["attempt.trainee"] = quiz.value;
  // An open exam: the trainee's POST to start one goes back to it rather than drawing another. The
  // exam opens once every lesson is read and every quiz passed.
  finishModules(RECORDS["enrolment.trainee"]);
  const exam = startAssessment(learning, "exam", null);
  if (!exam.ok) throw new Error(JSON.stringify(exam.errors));

  // A certificate the demo trainee holds, from a cohort of their own at 拱墅's base.
  RECORDS["cert.trainee"] = await traineeCertificate();

  // A cohort enrolled from a roster, whose trainees wait for their first sign-in with a slip.
  const roster = await cohortWithTrainees("BASE-GERI", [
    { name: "周美玲", mobile: "13700000091", idNumber: withCheck("33010519880101562") },
  ]);
  RECORDS["cohort.geri-roster"] = roster.cohort.id;

  RECORDS["claim.fy-paid"] = db()
    .select()
    .from(claims)
    .where(and(eq(claims.organisationId, orgId("BASE-FY")), eq(claims.status, "paid")))
    .get()!.id;
  const vocational = policyByCode("vocational-training-subsidy")!;
  const period = { from: "2026-01-01", to: "2026-12-31" };
  const heads = claimableHeads(vocational, orgId("BASE-FY"), period)
    .eligible.slice(0, 1)
    .map((h) => h.certificateId);
  const draft = createClaim(userId("finance.fy"), vocational.code, orgId("BASE-FY"), period, heads);
  if (!draft.ok) throw new Error(JSON.stringify(draft.errors));
  RECORDS["claim.fy-vocational"] = draft.value;

  RECORDS["placement.mentor"] = db()
    .select({ id: placements.id })
    .from(placements)
    .innerJoin(enrolments, eq(enrolments.id, placements.enrolmentId))
    .where(and(eq(enrolments.cohortId, cohortNamed("2026年养老护理员师资培训班")), eq(placements.mentorUserId, userId("mentor"))))
    .get()!.id;
}, 60_000);

/** A cohort of the demo trainee's own at 拱墅's base, completed and certified, through the same services the app uses. */
async function traineeCertificate(): Promise<string> {
  const trainee = db().select().from(users).where(eq(users.username, "trainee")).get()!;
  const cohort = openCohort(
    "BASE-GERI",
    { name: "2026年第2期失能老人家庭照护者培训班", startDate: "2026-03-01", endDate: "2026-04-30", capacity: 10 },
    { by: "registrar" },
  );
  const enrolled = await enrolPeople(
    userId("registrar"),
    cohort,
    [{ row: 1, name: trainee.name, mobile: trainee.mobile!, idNumber: trainee.idNumber!, employer: "" }],
    "single",
  );
  if (!enrolled.ok) throw new Error(JSON.stringify(enrolled.rows.map((r) => r.errors)));
  const enrolmentId = db()
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.cohortId, cohort.id), eq(enrolments.userId, trainee.id)))
    .get()!.id;
  await completeEnrolment(cohort, enrolmentId);
  const issued = await issueCertificate(userId("registrar"), enrolmentId);
  if (!issued.ok) throw new Error(issued.errors._form);
  return issued.value;
}

// ---------------------------------------------------------------- calling a route

type RouteModule = {
  loader?: (args: LoaderFunctionArgs) => Promise<unknown>;
  action?: (args: ActionFunctionArgs) => Promise<unknown>;
};

const ROUTES_DIR = path.resolve(__dirname, "../../app/routes");
const routeFiles = () =>
  readdirSync(ROUTES_DIR)
    .filter((f) => f.endsWith(".tsx"))
    .map((f) => f.slice(0, -".tsx".length));
const modules = new Map<string, RouteModule>();
async function routeModule(route: string): Promise<RouteModule> {
  if (!modules.has(route)) modules.set(route, await import(/* @vite-ignore */ path.join(ROUTES_DIR, `${route}.tsx`)));
  return modules.get(route)!;
}

/** The URL path of a flat-routes file: dots are slashes, `[...]` is literal, `_index` is the index, `$x` a parameter. */
function pathPattern(route: string): string[] {
  const segments: string[] = [""];
  let literal = false;
  for (const ch of route) {
    if (ch === "[") literal = true;
    else if (ch === "]") literal = false;
    else if (ch === "." && !literal) segments.push("");
    else segments[segments.length - 1] += ch;
  }
  // A trailing underscore ("$orgId_") only keeps the route out of its parent's layout: the URL has none.
  return segments.filter((s) => s !== "_index").map((s) => s.replace(/_$/, ""));
}

/** The route's params read off the URL, which must be one the route serves. A parameter may have a literal ending (`$enrolmentId[.pdf]`). */
function paramsOf(route: string, pathname: string): Record<string, string> {
  const pattern = pathPattern(route);
  const parts = pathname
    .split("/")
    .slice(1)
    .filter((p, i, all) => p !== "" || i < all.length - 1);
  if (parts.length !== pattern.length) throw new Error(`${pathname} is not served by ${route}`);
  const params: Record<string, string> = {};
  pattern.forEach((segment, i) => {
    if (segment.startsWith("$")) {
      const [name, ...rest] = segment.slice(1).split(".");
      const ending = rest.length ? `.${rest.join(".")}` : "";
      if (!parts[i].endsWith(ending) || parts[i].length === ending.length) throw new Error(`${pathname} is not served by ${route}`);
      params[name] = decodeURIComponent(parts[i].slice(0, parts[i].length - ending.length));
    } else if (segment !== parts[i]) throw new Error(`${pathname} is not served by ${route}`);
  });
  return params;
}

const fill = (text: string) =>
  text.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (!(name in RECORDS)) throw new Error(`no demo record ${name}`);
    return RECORDS[name];
  });

const contexts = new Map<Visitor, AppLoadContext>();
function contextOf(visitor: Visitor): AppLoadContext {
  if (!contexts.has(visitor)) {
    contexts.set(
      visitor,
      visitor === "anonymous"
        ? { user: null, sessionId: null, clientAddress: "127.0.0.1", secure: false, httpSignIn: true, cspNonce: "", locale: "zh-CN" }
        : contextFor(visitor),
    );
  }
  return contexts.get(visitor)!;
}

/** What one visitor gets: "pass" (past authorization), "login" (sent to sign in), or the refusing status. */
type Outcome = string;

async function outcomeOf(row: Row, method: "GET" | "POST", visitor: Visitor): Promise<Outcome> {
  const mod = await routeModule(row.route);
  const url = new URL(fill(row.url), "http://localhost");
  const body = method === "POST" ? new URLSearchParams(Object.entries(row.post?.body ?? {}).map(([k, v]) => [k, fill(v)])) : undefined;
  const request = new Request(url, { method, body });
  const args = { request, context: contextOf(visitor), params: paramsOf(row.route, url.pathname) };
  let response: unknown;
  try {
    // Through the same adapter as the server: services' domain errors answered with their HTTP status.
    response = method === "GET" ? await answeringDomainErrors(mod.loader!)(args) : await answeringDomainErrors(mod.action!)(args);
  } catch (e) {
    if (!(e instanceof Response)) throw e;
    response = e;
  }
  if (!(response instanceof Response)) return "pass";
  const location = response.headers.get("Location") ?? "";
  if (response.status >= 300 && response.status < 400 && /^\/login(\?|$)/.test(location)) return "login";
  if ([401, 403, 404].includes(response.status) || response.status === row.refused) return String(response.status);
  return "pass";
}

function expected(row: Row, access: Access): Record<Visitor, Outcome> {
  const allowed = (v: Visitor) =>
    access.allow === EVERYONE ? true : access.allow === SIGNED_IN ? v !== "anonymous" : access.allow.includes(v);
  return Object.fromEntries(
    VISITORS.map((v) => [
      v,
      allowed(v)
        ? (row.success ?? "pass")
        : v === "anonymous"
          ? "login"
          : access.hidden?.includes(v as Account)
            ? "404"
            : String(row.refused ?? 403),
    ]),
  ) as Record<Visitor, Outcome>;
}

async function actual(row: Row, method: "GET" | "POST"): Promise<Record<Visitor, Outcome>> {
  const result = {} as Record<Visitor, Outcome>;
  for (const v of VISITORS) result[v] = await outcomeOf(row, method, v);
  return result;
}

// ---------------------------------------------------------------- the matrix

describe("every route, every demo account and a signed-out visitor", () => {
  for (const row of TABLE) {
    if (row.get) it(`GET ${row.url}`, async () => expect(await actual(row, "GET")).toEqual(expected(row, row.get!)));
    const post = row.post;
    if (post)
      it(`POST ${row.url}${
        post.body
          ? ` ${Object.entries(post.body)
              .map(([k, v]) => `${k}=${v}`)
              .join("&")}`
          : ""
      }`, async () => expect(await actual(row, "POST")).toEqual(expected(row, post)));
  }
});

describe("page titles", () => {
  it("every page names itself for the browser tab and history, in a message both languages have", async () => {
    const untitled: string[] = [];
    for (const route of routeFiles()) {
      const mod = (await routeModule(route)) as { default?: unknown; handle?: { title?: string } };
      // A layout whose every child names itself has no title of its own.
      if (!mod.default || route === "bases.$orgId.cohorts.$cohortId") continue;
      if (!mod.handle?.title || !isMessageKey(mod.handle.title)) untitled.push(route);
    }
    expect(untitled).toEqual([]);
  });
});

describe("the table", () => {
  it("has a GET row for every loader and a POST row for every action, and names every route that lacks one", async () => {
    const missing: string[] = [];
    const withoutAction: string[] = [];
    const withoutLoader: string[] = [];
    for (const route of routeFiles()) {
      const mod = await routeModule(route);
      if (!mod.loader && !mod.action) continue;
      if (mod.loader && !TABLE.some((r) => r.route === route && r.get)) missing.push(`GET ${route}`);
      if (mod.action && !TABLE.some((r) => r.route === route && r.post)) missing.push(`POST ${route}`);
      if (!mod.action) withoutAction.push(route);
      if (!mod.loader) withoutLoader.push(route);
    }
    expect(missing).toEqual([]);
    expect(withoutAction.sort()).toEqual([...WITHOUT_ACTION].sort());
    expect(withoutLoader.sort()).toEqual([...WITHOUT_LOADER].sort());
    for (const row of TABLE) {
      const mod = await routeModule(row.route);
      if (row.get) expect(mod.loader, `${row.route} has no loader`).toBeDefined();
      if (row.post) expect(mod.action, `${row.route} has no action`).toBeDefined();
    }
  });

  it("bites: a trainee given the reviewers' grant to decide claims reaches 富阳's paid claim, which the table forbids", async () => {
    const row = TABLE.find((r) => r.route === "subsidy.claims.$claimId._index" && r.url === "/subsidy/claims/{claim.fy-paid}" && r.get)!;
    const table = expected(row, row.get!);
    expect(table.trainee).toBe("403");
    const before = GRANTS.trainee["approve:claim"];
    try {
      GRANTS.trainee["approve:claim"] = "any";
      const widened = await actual(row, "GET");
      expect(widened.trainee).toBe("pass");
      expect(widened).not.toEqual(table);
    } finally {
      if (before === undefined) delete GRANTS.trainee["approve:claim"];
      else GRANTS.trainee["approve:claim"] = before;
    }
    expect(await actual(row, "GET")).toEqual(table);
  });
});
