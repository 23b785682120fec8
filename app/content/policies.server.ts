import * as z from "zod";
import { AUTHORITY_KINDS, HEAD_ITEMS } from "../../db/schema";
import { occupationRecognised } from "../domain/occupations";
import { CONDITIONS, REQUIRED_CONDITIONS, type Policy } from "../domain/subsidy";
import type { AwardPolicy } from "../domain/award";
import type { CohortGrantPolicy, DualCertificatePolicy, PayingPolicy, PolicyKind } from "../domain/claim-policy";
import { ContentError, contentRoot, programs } from "./programs.server";
import { parsedFiles, readYamlFolder } from "./yaml-folder.server";
import { regions } from "./regions.server";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-01-31");

/** Where a policy's rule is written, cited to the section and quoted. */
const source = z.object({ title: z.string().min(1), document: z.string().min(1), section: z.string().min(1), quote: z.string().min(1) });

/** The authority whose rule and money it is, and the region it governs. */
const issuer = z.object(
  {
    region: z.coerce.string().regex(/^\d{6}$/, "must be a six-digit GB/T 2260 region code"),
    authority: z.enum(AUTHORITY_KINDS, `must be one of ${AUTHORITY_KINDS.join(", ")}`),
  },
  "is required: the authority whose rule and money this is (issuer: { region: 330111, authority: health_bureau })",
);

/** One sum, in fen, and whether its issuer has confirmed it or it is still a placeholder. */
const amount = z.object({
  fen: z.number().int("must be whole fen").positive(),
  confirmed: z.boolean("must say whether the issuing authority has confirmed it"),
});

/** What every policy file says, whatever its kind: its code, titles, citation, issuer and window. */
const commonFields = {
  code: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case letters, digits and hyphens"),
  title: z.string().min(1),
  title_en: z.string().min(1),
  source,
  issuer,
  window: z.object({ from: isoDate, to: isoDate }),
};

const policyFile = z.object({
  kind: z.literal("per_head", "must be per_head, designation_award, dual_certificate or cohort_grant").optional(),
  ...commonFields,
  payee: z.enum(["base", "trainee"]),
  amounts: z.record(z.string(), z.partialRecord(z.enum(HEAD_ITEMS, `must be one of ${HEAD_ITEMS.join(", ")}`), amount)),
  target: z.number().int().positive().nullable(),
  hard_cap: z.number().int().positive().nullable(),
  conditions: z.array(z.enum(CONDITIONS, `must be one of ${CONDITIONS.join(", ")}`)).min(1),
});

/** The kind a policy file declares (`kind:`); a file without one pays per head. */
const kindOf = (data: unknown): PolicyKind => {
  const kind = typeof data === "object" && data !== null ? (data as { kind?: unknown }).kind : undefined;
  return kind === "designation_award" || kind === "dual_certificate" || kind === "cohort_grant" ? kind : "per_head";
};

/** The files of content/policies of one kind; a `kind:` no loader knows is reported by the per-head schema. */
function policyFiles(root: string, kind: PolicyKind, problems: string[]) {
  return readYamlFolder(root, "policies", problems).filter((f) => kindOf(f.data) === kind);
}

/** What every policy file says alike: its region must exist and its window must run forwards. */
function checkCommon(rel: string, p: { issuer: { region: string }; window: { from: string; to: string } }, problems: string[]) {
  if (!regions().has(p.issuer.region))
    problems.push(`${rel}: issuer.region: ${p.issuer.region} is not a region of content/regions/gb2260.tsv`);
  if (p.window.to < p.window.from) problems.push(`${rel}: window.to: is before window.from`);
}

const common = (p: {
  code: string;
  title: string;
  title_en: string;
  source: PayingPolicy["source"];
  issuer: { region: string; authority: PayingPolicy["issuer"]["authority"] };
  window: { from: string; to: string };
}) => ({
  code: p.code,
  title: p.title,
  titleEn: p.title_en,
  source: p.source,
  issuer: { regionCode: p.issuer.region, authority: p.issuer.authority },
  window: p.window,
});

/** Loads every per-head policy in content/policies; a broken file stops the start with file, field and problem. */
export function loadPolicies(root = contentRoot()): Map<string, Policy> {
  const problems: string[] = [];
  const result = new Map<string, Policy>();
  for (const { rel, value: p } of parsedFiles(policyFiles(root, "per_head", problems), policyFile, problems)) {
    checkCommon(rel, p, problems);
    for (const [program, items] of Object.entries(p.amounts)) {
      const programme = programs().get(program);
      if (!programme) problems.push(`${rel}: amounts.${program}: no programme with this code`);
      else if (p.conditions.includes("recognised_occupation")) {
        const check = occupationRecognised(programme.rules);
        if (!check.recognised) {
          problems.push(
            `${rel}: amounts.${program}: this policy pays only for a recognised occupation, and the programme trains "${programme.rules.occupation}" (level "${programme.rules.level}"): ${check.reason === "notAnOccupation" ? "not an occupation of the national classification" : "not a level of the occupation's national standard"}`,
          );
        }
      }
      if (Object.keys(items).length === 0) problems.push(`${rel}: amounts.${program}: names no amount`);
    }
    for (const required of REQUIRED_CONDITIONS) {
      if (!p.conditions.includes(required)) problems.push(`${rel}: conditions: must include ${required} (the national rule)`);
    }
    result.set(p.code, {
      kind: "per_head",
      ...common(p),
      payee: p.payee,
      amounts: Object.fromEntries(
        Object.entries(p.amounts).map(([program, items]) => [
          program,
          HEAD_ITEMS.flatMap((item) => (items[item] ? [{ item, ...items[item] }] : [])),
        ]),
      ),
      target: p.target,
      hardCap: p.hard_cap,
      conditions: p.conditions,
    });
  }
  if (problems.length) throw new ContentError(problems);
  return result;
}

let cache: Map<string, Policy> | undefined;
export function policies(): Map<string, Policy> {
  cache ??= loadPolicies();
  return cache;
}

export function policyByCode(code: string): Policy | null {
  return policies().get(code) ?? null;
}

const awardFile = z.object({
  kind: z.literal("designation_award"),
  ...commonFields,
  designation: z.string().min(1).max(30),
  recipients: z.array(z.enum(["training_base", "member_institution"], "must be training_base or member_institution")).min(1),
  places: z.number().int().positive(),
  amount,
});

/** Loads every designation award in content/policies (`kind: designation_award`), validated like per-head policies. */
export function loadAwardPolicies(root = contentRoot()): Map<string, AwardPolicy> {
  const problems: string[] = [];
  const result = new Map<string, AwardPolicy>();
  for (const { rel, value: a } of parsedFiles(policyFiles(root, "designation_award", problems), awardFile, problems)) {
    checkCommon(rel, a, problems);
    result.set(a.code, {
      kind: "designation_award",
      ...common(a),
      designation: a.designation,
      recipientKinds: a.recipients,
      places: a.places,
      fen: a.amount.fen,
      confirmed: a.amount.confirmed,
    });
  }
  if (problems.length) throw new ContentError(problems);
  return result;
}

let awardCache: Map<string, AwardPolicy> | undefined;
export function awardPolicies(): Map<string, AwardPolicy> {
  awardCache ??= loadAwardPolicies();
  return awardCache;
}

const dualCertificateFile = z.object({
  kind: z.literal("dual_certificate"),
  ...commonFields,
  amount,
});

const cohortGrantFile = z.object({
  kind: z.literal("cohort_grant"),
  ...commonFields,
  programmes: z.array(z.string().min(1)).min(1),
  minimum_certified: z.number().int().positive(),
  amount,
});

/**
 * The 双证 incentives and 人社 cohort grants in content/policies, checked like the others: a cohort
 * grant may name only programmes that exist.
 */
export function loadFlatRatePolicies(root = contentRoot()): Map<string, DualCertificatePolicy | CohortGrantPolicy> {
  const problems: string[] = [];
  const result = new Map<string, DualCertificatePolicy | CohortGrantPolicy>();
  for (const { rel, value: p } of parsedFiles(policyFiles(root, "dual_certificate", problems), dualCertificateFile, problems)) {
    checkCommon(rel, p, problems);
    result.set(p.code, { kind: "dual_certificate", ...common(p), fen: p.amount.fen, confirmed: p.amount.confirmed });
  }
  for (const { rel, value: p } of parsedFiles(policyFiles(root, "cohort_grant", problems), cohortGrantFile, problems)) {
    checkCommon(rel, p, problems);
    for (const code of p.programmes) if (!programs().has(code)) problems.push(`${rel}: programmes: no programme with the code ${code}`);
    result.set(p.code, {
      kind: "cohort_grant",
      ...common(p),
      programmes: p.programmes,
      minimumCertified: p.minimum_certified,
      fen: p.amount.fen,
      confirmed: p.amount.confirmed,
    });
  }
  if (problems.length) throw new ContentError(problems);
  return result;
}

let payingCache: Map<string, PayingPolicy> | undefined;

/** Every policy that pays, of every kind, by code; a code used twice across kinds stops the start. */
export function payingPolicies(): Map<string, PayingPolicy> {
  if (payingCache) return payingCache;
  const all = new Map<string, PayingPolicy>();
  const twice: string[] = [];
  for (const p of [...policies().values(), ...awardPolicies().values(), ...loadFlatRatePolicies().values()]) {
    if (all.has(p.code)) twice.push(`policies/${p.code}.yaml: code: used by two policies`);
    all.set(p.code, p);
  }
  if (twice.length) throw new ContentError(twice);
  payingCache = all;
  return all;
}

export function payingPolicyByCode(code: string): PayingPolicy | null {
  return payingPolicies().get(code) ?? null;
}
