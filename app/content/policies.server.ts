import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { z } from "zod";
import { CONDITIONS, REQUIRED_CONDITIONS, type Policy } from "../domain/subsidy";
import { ContentError, contentRoot, programs } from "./programs.server";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-01-31");

const policyFile = z.object({
  code: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case letters, digits and hyphens"),
  title: z.string().min(1),
  title_en: z.string().min(1),
  source: z.object({ title: z.string().min(1), document: z.string().min(1), section: z.string().min(1), quote: z.string().min(1) }),
  payee: z.enum(["base", "trainee"]),
  amounts_fen: z.record(z.string(), z.number().int("must be whole fen").positive()),
  amounts_set_by_bureau: z.boolean(),
  window: z.object({ from: isoDate, to: isoDate }),
  target: z.number().int().positive().nullable(),
  hard_cap: z.number().int().positive().nullable(),
  conditions: z.array(z.enum(CONDITIONS, `must be one of ${CONDITIONS.join(", ")}`)).min(1),
});

/** Loads every policy in content/policies; a broken file stops the start with file, field and problem. */
export function loadPolicies(root = contentRoot()): Map<string, Policy> {
  const dir = path.join(root, "policies");
  const problems: string[] = [];
  const result = new Map<string, Policy>();
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort() : [];
  for (const file of files) {
    const rel = `policies/${file}`;
    let data: unknown;
    try {
      data = YAML.parse(readFileSync(path.join(dir, file), "utf8"));
    } catch (e) {
      problems.push(`${rel}: not valid YAML (${(e as Error).message.split("\n")[0]})`);
      continue;
    }
    const parsed = policyFile.safeParse(data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${rel}: ${issue.path.join(".") || "(file)"}: ${issue.message}`);
      continue;
    }
    const p = parsed.data;
    if (`${p.code}.yaml` !== file) problems.push(`${rel}: code: must equal the file name "${file.replace(/\.yaml$/, "")}"`);
    for (const program of Object.keys(p.amounts_fen)) {
      if (!programs().has(program)) problems.push(`${rel}: amounts_fen.${program}: no programme with this code`);
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
      payee: p.payee,
      amountsFen: p.amounts_fen,
      amountsSetByBureau: p.amounts_set_by_bureau,
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
