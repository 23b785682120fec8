import { and, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { programVersions } from "../../db/schema";
import { ContentError, programs } from "../content/programs.server";
import type { ProgramRules } from "../domain/program";

/**
 * Freezes the rules of each programme version the first time it is seen. A version whose rules
 * changed after publication stops the start: records made under it must keep meaning what they meant.
 */
export function publishProgramVersions(): void {
  const problems: string[] = [];
  db().transaction((tx) => {
    for (const program of programs().values()) {
      const { code, version, title } = program.rules;
      const rules = JSON.stringify(program.rules);
      const existing = tx
        .select()
        .from(programVersions)
        .where(and(eq(programVersions.programCode, code), eq(programVersions.version, version)))
        .get();
      if (!existing) tx.insert(programVersions).values({ programCode: code, version, title, rules }).run();
      else if (existing.rules !== rules) {
        problems.push(`programs/${code}/program.yaml: version: version ${version} is already published with other rules; raise the version to publish these`);
      }
    }
  });
  if (problems.length) throw new ContentError(problems);
}

const rulesCache = new Map<number, ProgramRules>();

export function rulesOfVersion(programVersionId: number): ProgramRules {
  let rules = rulesCache.get(programVersionId);
  if (!rules) {
    const row = db().select({ rules: programVersions.rules }).from(programVersions).where(eq(programVersions.id, programVersionId)).get();
    if (!row) throw new Error(`unknown programme version ${programVersionId}`);
    rules = JSON.parse(row.rules) as ProgramRules;
    rulesCache.set(programVersionId, rules);
  }
  return rules;
}

/** The published version of each programme as the content stands now: what new cohorts run. */
export function currentVersions() {
  return [...programs().values()].flatMap((p) => {
    const row = db()
      .select()
      .from(programVersions)
      .where(and(eq(programVersions.programCode, p.rules.code), eq(programVersions.version, p.rules.version)))
      .get();
    return row ? [row] : [];
  });
}
