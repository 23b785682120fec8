import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type * as z from "zod";
import { projectRoot } from "../../db/client.server";
import { checklistProblems } from "../domain/practical";
import type { Program, ProgramRules, Question } from "../domain/program";
import { moduleFile, programFile, questionFile, skillsFile } from "./program-files";

/** Everything wrong with the content, each as "file: field: what is wrong". */
export class ContentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Programme content is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ContentError";
  }
}

export function contentRoot(): string {
  return process.env.CONTENT_DIR ?? path.join(projectRoot, "content");
}

class Reader {
  problems: string[] = [];
  constructor(private root: string) {}

  rel(file: string) {
    return path.relative(this.root, file) || file;
  }

  problem(file: string, field: string, message: string) {
    this.problems.push(`${this.rel(file)}: ${field ? `${field}: ` : ""}${message}`);
  }

  yaml<S extends z.ZodType>(file: string, schema: S): z.output<S> | null {
    if (!existsSync(file)) {
      this.problem(file, "", "file is missing");
      return null;
    }
    let data: unknown;
    try {
      data = YAML.parse(readFileSync(file, "utf8"));
    } catch (e) {
      this.problem(file, "", `not valid YAML (${(e as Error).message.split("\n")[0]})`);
      return null;
    }
    const result = schema.safeParse(data);
    if (!result.success) {
      for (const issue of result.error.issues) this.problem(file, issue.path.join(".") || "(file)", issue.message);
      return null;
    }
    return result.data;
  }
}

function loadProgram(reader: Reader, dir: string): Program | null {
  const folder = path.basename(dir);
  const programPath = path.join(dir, "program.yaml");
  const meta = reader.yaml(programPath, programFile);
  const skills = reader.yaml(path.join(dir, "skills.yaml"), skillsFile);
  if (!meta) return null;
  if (meta.code !== folder) reader.problem(programPath, "code", `must equal the folder name "${folder}"`);

  const modules: ProgramRules["modules"] = [];
  const lessons: Program["lessons"] = {};
  const questions: Question[] = [];
  const seenIds = new Map<string, string>();

  meta.modules.forEach((moduleFolder, i) => {
    const moduleDir = path.join(dir, "modules", moduleFolder);
    if (!existsSync(moduleDir)) {
      reader.problem(programPath, `modules.${i}`, `folder modules/${moduleFolder} does not exist`);
      return;
    }
    const modulePath = path.join(moduleDir, "module.yaml");
    const mod = reader.yaml(modulePath, moduleFile);
    if (!mod) return;
    if (modules.some((m) => m.code === mod.code)) reader.problem(modulePath, "code", `"${mod.code}" is used by another module`);

    const moduleLessons = mod.lessons.flatMap((lessonCode, j) => {
      const file = path.join(moduleDir, `${lessonCode}.md`);
      if (!existsSync(file)) {
        reader.problem(modulePath, `lessons.${j}`, `file ${lessonCode}.md does not exist`);
        return [];
      }
      const markdown = readFileSync(file, "utf8");
      const heading = markdown.match(/^# (.+)$/m);
      if (!heading || !markdown.trimStart().startsWith("# ")) {
        reader.problem(file, "", 'must start with a "# 标题" heading');
        return [];
      }
      return [{ code: lessonCode, title: heading[1].trim(), markdown: markdown.trimStart().replace(/^# .+\n?/, "") }];
    });
    lessons[mod.code] = moduleLessons;
    if (mod.online_hours !== undefined && mod.online_hours > mod.theory_hours)
      reader.problem(modulePath, "online_hours", `is more than the module's ${mod.theory_hours} theory hours`);
    modules.push({
      code: mod.code,
      title: mod.title,
      theoryHours: mod.theory_hours,
      // Only when set, so the frozen rules of versions without the split stay as they were.
      ...(mod.online_hours !== undefined ? { onlineHours: mod.online_hours } : {}),
      lessons: moduleLessons.map(({ code, title }) => ({ code, title })),
    });

    const moduleCode = mod.code;
    readBank(path.join(moduleDir, "questions.yaml"), undefined);
    // The exam's own bank, never shown in practice (optional: older programmes have none).
    const examPath = path.join(moduleDir, "exam-questions.yaml");
    if (existsSync(examPath)) readBank(examPath, "exam");

    function readBank(questionPath: string, pool: "exam" | undefined) {
      const bank = reader.yaml(questionPath, questionFile) ?? [];
      bank.forEach((q, k) => {
        const previous = seenIds.get(q.id);
        if (previous) reader.problem(questionPath, `${k}.id`, `"${q.id}" is also used in ${previous}`);
        seenIds.set(q.id, reader.rel(questionPath));
        if (q.type !== "truefalse") {
          const outOfRange = q.answer.find((a) => a >= q.options.length);
          if (outOfRange !== undefined) reader.problem(questionPath, `${k}.answer`, `index ${outOfRange} is past the last option`);
          if (new Set(q.answer).size !== q.answer.length) reader.problem(questionPath, `${k}.answer`, "lists an option twice");
        }
        questions.push({
          id: q.id,
          moduleCode,
          type: q.type,
          stem: q.stem,
          options: q.type === "truefalse" ? [] : q.options,
          answer: q.type === "truefalse" ? [q.answer ? 1 : 0] : [...q.answer].sort((a, b) => a - b),
          explanation: q.explanation,
          ...(pool ? { pool } : {}),
        });
      });
    }
  });

  if (skills) {
    const codes = new Set<string>();
    skills.forEach((s, i) => {
      if (codes.has(s.code)) reader.problem(path.join(dir, "skills.yaml"), `${i}.code`, `"${s.code}" is listed twice`);
      codes.add(s.code);
      for (const [field, message] of checklistProblems({ passScore: s.pass_score, items: s.items }))
        reader.problem(path.join(dir, "skills.yaml"), `${i}.${field}`, message);
    });
  }
  checkOnlineShares(reader, programPath, meta, modules);
  const examOnly = questions.filter((q) => q.pool === "exam");
  if (examOnly.length) checkExamBank(reader, programPath, meta, modules, questions);
  else if (questions.length && meta.exam.question_count > questions.length) {
    reader.problem(
      programPath,
      "exam.question_count",
      `asks for ${meta.exam.question_count} questions but the banks hold ${questions.length}`,
    );
  }
  const quizCount = meta.quiz?.question_count ?? 5;
  for (const mod of modules) {
    const inBank = questions.filter((q) => q.moduleCode === mod.code && !q.pool).length;
    if (inBank > 0 && quizCount > inBank)
      reader.problem(programPath, "quiz.question_count", `asks for ${quizCount} questions but module "${mod.code}" holds ${inBank}`);
  }

  const rules: ProgramRules = {
    code: meta.code,
    version: meta.version,
    title: meta.title,
    titleEn: meta.title_en,
    occupation: meta.occupation,
    level: meta.level,
    hours: meta.hours,
    exam: {
      questionCount: meta.exam.question_count,
      timeLimitMinutes: meta.exam.time_limit_minutes,
      passMark: meta.exam.pass_mark,
      maxAttempts: meta.exam.max_attempts,
      ...(examOnly.length ? { blueprint: meta.exam.blueprint, retryWaitHours: meta.exam.retry_wait_hours ?? 0, gated: true } : {}),
    },
    quiz: { questionCount: meta.quiz?.question_count ?? 5, passMark: meta.exam.pass_mark },
    ...(meta.study ? { study: { charactersPerMinute: meta.study.characters_per_minute, minimumMinutes: meta.study.minimum_minutes } } : {}),
    rotations: meta.rotations.map((r) => ({ departmentKind: r.department_kind, days: r.days })),
    certificate: { title: meta.certificate.title, validityMonths: meta.certificate.validity_months },
    modules,
    skills: (skills ?? []).map(({ code, title }) => ({ code, title })),
    // Only when set, so the frozen rules of programmes without it stay as they were.
    ...(meta.practical ? { practical: { examiners: meta.practical.examiners } } : {}),
    ...(meta.renews ? { renews: meta.renews } : {}),
  };
  const checklists = (skills ?? []).map(({ code, title, criteria, pass_score, items }) => ({
    code,
    title,
    criteria,
    passScore: pass_score,
    items,
  }));
  return { rules, summary: meta.summary, audience: meta.audience, source: meta.source, lessons, questions, skills: checklists };
}

/**
 * Theory hours split between online study and the classroom: every module says its online share
 * or none does, the shares fit in the programme's theory hours, and study time is recorded.
 */
function checkOnlineShares(reader: Reader, programPath: string, meta: z.infer<typeof programFile>, modules: ProgramRules["modules"]) {
  const withShare = modules.filter((m) => m.onlineHours !== undefined);
  if (withShare.length === 0) return;
  if (withShare.length < modules.length) {
    const without = modules.filter((m) => m.onlineHours === undefined).map((m) => m.code);
    reader.problem(
      programPath,
      "modules",
      `some modules set online_hours and ${without.join(", ")} do not: set it in every module.yaml or in none`,
    );
  }
  const onlineTenths = withShare.reduce((n, m) => n + Math.round(m.onlineHours! * 10), 0);
  if (onlineTenths > meta.hours.theory * 10)
    reader.problem(programPath, "hours.theory", `is less than the modules' ${onlineTenths / 10} online hours`);
  if (!meta.study)
    reader.problem(programPath, "study", "is needed when modules set online_hours: online hours are credited from recorded study time");
}

/**
 * An exam bank that means something: a blueprint that adds up to the exam, at least twice as many
 * exam-only questions per module as one exam draws from it, and none of them a practice question.
 */
function checkExamBank(
  reader: Reader,
  programPath: string,
  meta: z.infer<typeof programFile>,
  modules: ProgramRules["modules"],
  questions: Question[],
) {
  const blueprint = meta.exam.blueprint;
  if (!blueprint) {
    reader.problem(
      programPath,
      "exam.blueprint",
      "is needed when modules have exam-questions.yaml: how many questions each module gives one exam",
    );
    return;
  }
  const total = Object.values(blueprint).reduce((a, b) => a + b, 0);
  if (total !== meta.exam.question_count)
    reader.problem(programPath, "exam.blueprint", `adds up to ${total}, not the exam's ${meta.exam.question_count} questions`);
  const practiceStems = new Set(questions.filter((q) => !q.pool).map((q) => q.stem));
  for (const [moduleCode, count] of Object.entries(blueprint)) {
    if (!modules.some((m) => m.code === moduleCode))
      reader.problem(programPath, `exam.blueprint.${moduleCode}`, "is not a module of this programme");
    const inBank = questions.filter((q) => q.pool === "exam" && q.moduleCode === moduleCode).length;
    if (inBank < 2 * count)
      reader.problem(
        programPath,
        `exam.blueprint.${moduleCode}`,
        `draws ${count} but the module's exam-questions.yaml holds ${inBank}: it needs at least ${2 * count}`,
      );
  }
  for (const q of questions) {
    if (q.pool === "exam" && practiceStems.has(q.stem))
      reader.problem(programPath, "exam", `exam question "${q.id}" is also a practice question`);
  }
}

/** Loads and validates every programme; throws a ContentError naming each broken file and field. */
export function loadPrograms(root = contentRoot()): Map<string, Program> {
  const programsDir = path.join(root, "programs");
  const reader = new Reader(root);
  const result = new Map<string, Program>();
  const folders = existsSync(programsDir)
    ? readdirSync(programsDir)
        .filter((f) => statSync(path.join(programsDir, f)).isDirectory())
        .sort()
    : [];
  if (folders.length === 0) reader.problem(programsDir, "", "holds no programme folders");
  for (const folder of folders) {
    const program = loadProgram(reader, path.join(programsDir, folder));
    if (program) result.set(program.rules.code, program);
  }
  checkRefreshers(reader, programsDir, result);
  if (reader.problems.length) throw new ContentError(reader.problems);
  return result;
}

/** A refresher renews programmes that exist, issue certificates that expire, and train the same occupation. */
function checkRefreshers(reader: Reader, programsDir: string, loaded: Map<string, Program>) {
  for (const { rules } of loaded.values()) {
    const file = path.join(programsDir, rules.code, "program.yaml");
    for (const code of rules.renews ?? []) {
      const renewed = loaded.get(code)?.rules;
      if (!renewed) reader.problem(file, "renews", `names "${code}", which is not a programme`);
      else if (code === rules.code || renewed.renews) reader.problem(file, "renews", `names "${code}", which is itself a refresher`);
      else if (renewed.occupation !== rules.occupation)
        reader.problem(file, "renews", `names "${code}", a programme for ${renewed.occupation}, not ${rules.occupation}`);
    }
    if (rules.renews && rules.certificate.validityMonths === null)
      reader.problem(file, "certificate.validity_months", "is needed for a refresher: it says how far a renewal extends the expiry");
  }
}

let cache: Map<string, Program> | undefined;

export function programs(): Map<string, Program> {
  cache ??= loadPrograms();
  return cache;
}

/** Reads the files again, as a restart does: for a new version shipped while the process runs. */
export function reloadPrograms(): Map<string, Program> {
  cache = loadPrograms();
  return cache;
}

/** The refresher (复训) that renews certificates of this programme, if one is offered. */
export function refresherOf(programCode: string): Program | null {
  return [...programs().values()].find((p) => p.rules.renews?.includes(programCode)) ?? null;
}

export function programByCode(code: string): Program | null {
  return programs().get(code) ?? null;
}
