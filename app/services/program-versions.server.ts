import { and, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { programVersions } from "../../db/schema";
import { ContentError, programByCode, programs } from "../content/programs.server";
import { contentChanges, contentOf, type ProgramContent, type ProgramRules } from "../domain/program";

/**
 * Publishes each programme version the first time it is seen, freezing its rules and its whole
 * content (lessons, question banks, practical checklist). A version whose rules or content changed
 * after publication stops the start: records made under it must keep meaning what they meant.
 * A version published before content was stored gets it now, from the files, if they still carry
 * that version number: those are the files it was published from.
 */
export function publishProgramVersions(): void {
  const problems: string[] = [];
  db().transaction((tx) => {
    for (const program of programs().values()) {
      const { code, version, title } = program.rules;
      const rules = JSON.stringify(program.rules);
      const content = contentOf(program);
      const existing = tx
        .select()
        .from(programVersions)
        .where(and(eq(programVersions.programCode, code), eq(programVersions.version, version)))
        .get();
      const file = `programs/${code}/program.yaml: version`;
      if (!existing) {
        tx.insert(programVersions)
          .values({ programCode: code, version, title, rules, content: JSON.stringify(content) })
          .run();
      } else if (existing.rules !== rules) {
        problems.push(`${file}: version ${version} is already published with other rules; raise the version to publish these`);
      } else if (existing.content === null) {
        tx.update(programVersions)
          .set({ content: JSON.stringify(content) })
          .where(eq(programVersions.id, existing.id))
          .run();
      } else {
        const changed = contentChanges(JSON.parse(existing.content) as ProgramContent, content);
        if (changed.length) {
          problems.push(
            `${file}: version ${version} is already published with other content (${changed.slice(0, 5).join(", ")}${changed.length > 5 ? ", …" : ""}); raise the version to publish these`,
          );
        }
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

const contentCache = new Map<number, ProgramContent>();

/**
 * What an enrolment on this version reads and is examined on: the lessons, question banks and
 * practical checklist stored when the version was published, never the files as they are now.
 * Versions are immutable, so each is read once per process. Only a version published before
 * content was stored, whose files have since moved on, has none: it reads the programme's current
 * files, as everything did then (null if the programme is gone).
 */
export function contentOfVersion(programVersionId: number): ProgramContent | null {
  const cached = contentCache.get(programVersionId);
  if (cached) return cached;
  const row = db()
    .select({ programCode: programVersions.programCode, content: programVersions.content })
    .from(programVersions)
    .where(eq(programVersions.id, programVersionId))
    .get();
  if (!row) throw new Error(`unknown programme version ${programVersionId}`);
  if (row.content === null) {
    const fromFiles = programByCode(row.programCode);
    return fromFiles && contentOf(fromFiles);
  }
  const content = JSON.parse(row.content) as ProgramContent;
  contentCache.set(programVersionId, content);
  return content;
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
