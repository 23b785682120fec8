import { z } from "zod";
import { AUTHORITY_KINDS, CLAIM_ITEMS } from "../../db/schema";
import { occupationRecognised } from "../domain/occupations";
import { CONDITIONS, REQUIRED_CONDITIONS, type Policy } from "../domain/subsidy";
import type { AwardPolicy } from "../domain/award";
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

const policyFile = z.object({
  code: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case letters, digits and hyphens"),
  title: z.string().min(1),
  title_en: z.string().min(1),
  source,
  issuer,
  payee: z.enum(["base", "trainee"]),
  amounts: z.record(
    z.string(),
    z.partialRecord(
      z.enum(CLAIM_ITEMS, `must be one of ${CLAIM_ITEMS.join(", ")}`),
      z.object({ fen: z.number().int("must be whole fen").positive(), confirmed: z.boolean("must say whether the issuing authority has confirmed it") }),
    ),
  ),
  window: z.object({ from: isoDate, to: isoDate }),
  target: z.number().int().positive().nullable(),
  hard_cap: z.number().int().positive().nullable(),
  conditions: z.array(z.enum(CONDITIONS, `must be one of ${CONDITIONS.join(", ")}`)).min(1),
});

const isAward = (data: unknown) => typeof data === "object" && data !== null && (data as { kind?: unknown }).kind === AWARD_KIND;

/** Loads every per-head policy in content/policies; a broken file stops the start with file, field and problem. */
export function loadPolicies(root = contentRoot()): Map<string, Policy> {
  const problems: string[] = [];
  const result = new Map<string, Policy>();
  const files = readYamlFolder(root, "policies", problems).filter((f) => !isAward(f.data));
  for (const { rel, value: p } of parsedFiles(files, policyFile, problems)) {
    if (!regions().has(p.issuer.region)) problems.push(`${rel}: issuer.region: ${p.issuer.region} is not a region of content/regions/gb2260.tsv`);
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
    if (p.window.to < p.window.from) problems.push(`${rel}: window.to: is before window.from`);
    for (const required of REQUIRED_CONDITIONS) {
      if (!p.conditions.includes(required)) problems.push(`${rel}: conditions: must include ${required} (the national rule)`);
    }
    result.set(p.code, {
      code: p.code,
      title: p.title,
      titleEn: p.title_en,
      source: p.source,
      issuer: { regionCode: p.issuer.region, authority: p.issuer.authority },
      payee: p.payee,
      amounts: Object.fromEntries(
        Object.entries(p.amounts).map(([program, items]) => [program, CLAIM_ITEMS.flatMap((item) => (items[item] ? [{ item, ...items[item] }] : []))]),
      ),
      window: p.window,
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

const AWARD_KIND = "designation_award";

const awardFile = z.object({
  kind: z.literal(AWARD_KIND),
  code: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case letters, digits and hyphens"),
  title: z.string().min(1),
  title_en: z.string().min(1),
  source,
  issuer,
  designation: z.string().min(1).max(30),
  recipients: z.array(z.enum(["training_base", "member_institution"], "must be training_base or member_institution")).min(1),
  places: z.number().int().positive(),
  amount: z.object({ fen: z.number().int("must be whole fen").positive(), confirmed: z.boolean("must say whether the issuing authority has confirmed it") }),
  window: z.object({ from: isoDate, to: isoDate }),
});

/** Loads every designation award in content/policies (`kind: designation_award`), validated like per-head policies. */
export function loadAwardPolicies(root = contentRoot()): Map<string, AwardPolicy> {
  const problems: string[] = [];
  const result = new Map<string, AwardPolicy>();
  const files = readYamlFolder(root, "policies", problems).filter((f) => isAward(f.data));
  for (const { rel, value: a } of parsedFiles(files, awardFile, problems)) {
    if (!regions().has(a.issuer.region)) problems.push(`${rel}: issuer.region: ${a.issuer.region} is not a region of content/regions/gb2260.tsv`);
    if (a.window.to < a.window.from) problems.push(`${rel}: window.to: is before window.from`);
    result.set(a.code, {
      code: a.code,
      title: a.title,
      titleEn: a.title_en,
      source: a.source,
      issuer: { regionCode: a.issuer.region, authority: a.issuer.authority },
      designation: a.designation,
      recipientKinds: a.recipients,
      places: a.places,
      fen: a.amount.fen,
      confirmed: a.amount.confirmed,
      window: a.window,
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
