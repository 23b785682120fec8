import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type * as z from "zod";

/**
 * The YAML of every file in one content folder, parsed, in name order; a file that does not parse
 * adds a problem naming it and is left out, so a loader reports every broken file at once.
 */
export function readYamlFolder(root: string, folder: string, problems: string[]): { rel: string; file: string; data: unknown }[] {
  const dir = path.join(root, folder);
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".yaml"))
        .sort()
    : [];
  return files.flatMap((file) => {
    const rel = `${folder}/${file}`;
    try {
      return [{ rel, file, data: YAML.parse(readFileSync(path.join(dir, file), "utf8")) as unknown }];
    } catch (e) {
      problems.push(`${rel}: not valid YAML (${(e as Error).message.split("\n")[0]})`);
      return [];
    }
  });
}

/**
 * Files of a folder checked against their schema: each problem names the file and field, and a file
 * is kept only when it is whole. Every such file is named after its `code`.
 */
export function parsedFiles<T extends { code: string }>(
  files: { rel: string; file: string; data: unknown }[],
  schema: z.ZodType<T>,
  problems: string[],
): { rel: string; value: T }[] {
  return files.flatMap(({ rel, file, data }) => {
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${rel}: ${issue.path.join(".") || "(file)"}: ${issue.message}`);
      return [];
    }
    if (`${parsed.data.code}.yaml` !== file) problems.push(`${rel}: code: must equal the file name "${file.replace(/\.yaml$/, "")}"`);
    return [{ rel, value: parsed.data }];
  });
}
