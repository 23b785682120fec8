import * as z from "zod";
import { RATE_CODES, type AssessmentTemplate } from "../domain/base-assessment";
import { ContentError, contentRoot } from "./programs.server";
import { parsedFiles, readYamlFolder } from "./yaml-folder.server";

const code = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case letters, digits and hyphens");
const points = z.number().int("must be whole points").min(1, "must be at least 1");

const templateFile = z.object({
  code,
  version: z.number().int().min(1),
  title: z.string().min(1),
  source: z.object({ document: z.string().min(1), section: z.string().min(1), quote: z.string().min(1) }),
  pass_mark: z.number().int().min(1).max(100),
  revocation_penalty: z.number().int().min(0),
  indicators: z.array(
    z.object({
      code: z.enum(RATE_CODES as [string, ...string[]], `must be one of ${RATE_CODES.join(", ")}`),
      title: z.string().min(1),
      points,
      target: z.number().gt(0).max(1),
    }),
  ),
  items: z
    .array(
      z.object({
        code: z.string().regex(/^[a-z][a-zA-Z0-9]*$/, "must be letters and digits, starting with a lower-case letter"),
        title: z.string().min(1),
        points,
        guidance: z.string().min(1),
      }),
    )
    .min(1),
});

/**
 * Loads every assessment template in content/assessments; a broken file stops the start with file,
 * field and problem. Indicator and item points must add up to 100, so scores read as percent.
 */
export function loadAssessmentTemplates(root = contentRoot()): Map<string, AssessmentTemplate> {
  const problems: string[] = [];
  const result = new Map<string, AssessmentTemplate>();
  for (const { rel, value: t } of parsedFiles(readYamlFolder(root, "assessments", problems), templateFile, problems)) {
    const total = [...t.indicators, ...t.items].reduce((n, x) => n + x.points, 0);
    if (total !== 100) problems.push(`${rel}: items: indicators and items add up to ${total} points, not 100`);
    const codes = [...t.indicators, ...t.items].map((x) => x.code);
    const twice = codes.find((c, i) => codes.indexOf(c) !== i);
    if (twice) problems.push(`${rel}: items: "${twice}" is listed twice`);
    result.set(t.code, {
      code: t.code,
      version: t.version,
      title: t.title,
      source: t.source,
      passMark: t.pass_mark,
      revocationPenalty: t.revocation_penalty,
      indicators: t.indicators.map((i) => ({ ...i, code: i.code as AssessmentTemplate["indicators"][number]["code"] })),
      items: t.items,
    });
  }
  if (problems.length) throw new ContentError(problems);
  return result;
}

let cache: Map<string, AssessmentTemplate> | undefined;
export function assessmentTemplates(): Map<string, AssessmentTemplate> {
  cache ??= loadAssessmentTemplates();
  return cache;
}
