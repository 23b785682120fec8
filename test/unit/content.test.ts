import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import YAML from "yaml";
import { loadFlatRatePolicies, loadPolicies } from "../../app/content/policies.server";
import { loadAssessmentTemplates } from "../../app/content/assessment-templates.server";
import { ContentError, loadPrograms } from "../../app/content/programs.server";

const real = path.join(process.cwd(), "content");
let dir: string | undefined;

function copyOfContent(): string {
  dir = mkdtempSync(path.join(tmpdir(), "care-content-"));
  cpSync(real, dir, { recursive: true });
  return dir;
}

/** What a content loader (programmes by default) reports about a content folder. */
function problemsOf(root: string, load: (root: string) => unknown = loadPrograms): string[] {
  try {
    load(root);
  } catch (e) {
    if (e instanceof ContentError) return e.problems;
    throw e;
  }
  return [];
}

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("the shipped programmes", () => {
  const programs = loadPrograms(real);

  it("are the four programmes and two refreshers, each with real content", () => {
    expect([...programs.keys()].sort()).toEqual([
      "caregiver-instructor",
      "caregiver-instructor-refresher",
      "family-caregiver",
      "hospice-care",
      "medical-nursing-assistant",
      "medical-nursing-assistant-refresher",
    ]);
    expect(programs.get("medical-nursing-assistant-refresher")!.rules.renews).toEqual(["medical-nursing-assistant"]);
    expect(programs.get("caregiver-instructor-refresher")!.rules.renews).toEqual(["caregiver-instructor"]);
    for (const p of programs.values()) {
      expect(p.skills.length, p.rules.code).toBeGreaterThan(0);
      for (const m of p.rules.modules) {
        expect(p.questions.filter((q) => q.moduleCode === m.code).length, `${p.rules.code}/${m.code}`).toBeGreaterThanOrEqual(10);
        for (const l of p.lessons[m.code]) expect(l.markdown.length, `${m.code}/${l.code}`).toBeGreaterThan(400);
      }
    }
  });

  it("keep hours and exam settings as content", () => {
    const mna = programs.get("medical-nursing-assistant")!.rules;
    expect(mna.hours).toEqual({ theory: 50, practice: 100 });
    expect(programs.get("caregiver-instructor")!.rules.rotations.length).toBeGreaterThan(0);
  });
});

describe("broken content", () => {
  it("names the file, the field and what is wrong", () => {
    const root = copyOfContent();
    const file = path.join(root, "programs", "family-caregiver", "program.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("pass_mark: 70", "pass_mark: 170"));
    expect(problemsOf(root)).toEqual([expect.stringMatching(/^programs\/family-caregiver\/program\.yaml: exam\.pass_mark: /)]);
  });

  it("refuses titles longer than the certificate is laid out for", () => {
    const root = copyOfContent();
    const file = path.join(root, "programs", "family-caregiver", "program.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8")
        .replace("title: 失能老人家庭照护者培训", `title: ${"照".repeat(41)}`)
        .replace("title: 家庭照护技能培训结业证明", `title: ${"证".repeat(31)}`),
    );
    expect(problemsOf(root)).toEqual([
      expect.stringMatching(/^programs\/family-caregiver\/program\.yaml: title: must be at most 40 characters/),
      expect.stringMatching(/^programs\/family-caregiver\/program\.yaml: certificate\.title: must be at most 30 characters/),
    ]);
  });

  it("reports a missing lesson file and a question without an answer", () => {
    const root = copyOfContent();
    const moduleDir = path.join(root, "programs", "hospice-care", "modules", "01-concept-ethics");
    const lesson = readFileSync(path.join(moduleDir, "module.yaml"), "utf8").match(/- (\d{2}-[a-z0-9-]+)/)![1];
    rmSync(path.join(moduleDir, `${lesson}.md`));
    const questions = path.join(moduleDir, "questions.yaml");
    writeFileSync(questions, readFileSync(questions, "utf8").replace(/\n  answer: \[\d\]/, ""));
    const problems = problemsOf(root);
    expect(problems).toContainEqual(
      `programs/hospice-care/modules/01-concept-ethics/module.yaml: lessons.0: file ${lesson}.md does not exist`,
    );
    expect(
      problems.some((p) => p.startsWith("programs/hospice-care/modules/01-concept-ethics/questions.yaml: ") && p.includes("answer")),
    ).toBe(true);
  });

  it("reports YAML that does not parse", () => {
    const root = copyOfContent();
    writeFileSync(path.join(root, "programs", "family-caregiver", "skills.yaml"), "- code: [unclosed");
    expect(problemsOf(root)[0]).toMatch(/^programs\/family-caregiver\/skills\.yaml: not valid YAML/);
  });
});

describe("practical checklists", () => {
  const programs = loadPrograms(real);

  it("score every skill of every programme by 4–8 items worth 100 points, with at least one key item", () => {
    for (const p of programs.values()) {
      for (const s of p.skills) {
        const label = `${p.rules.code}/${s.code}`;
        expect(s.items!.length, label).toBeGreaterThanOrEqual(4);
        expect(s.items!.length, label).toBeLessThanOrEqual(8);
        expect(
          s.items!.reduce((n, i) => n + i.points, 0),
          label,
        ).toBe(100);
        expect(
          s.items!.some((i) => i.key),
          label,
        ).toBe(true);
        expect(s.passScore, label).toBe(80);
      }
    }
  });

  it("ask two examiners only in the instructor programme", () => {
    expect(programs.get("caregiver-instructor")!.rules.practical).toEqual({ examiners: 2 });
    // Programmes without the setting keep their rules exactly as before: no practical key at all.
    for (const code of ["family-caregiver", "hospice-care", "medical-nursing-assistant"])
      expect("practical" in programs.get(code)!.rules, code).toBe(false);
  });

  it("name the skill file and field when points do not add up, a code repeats or the items are missing", () => {
    const root = copyOfContent();
    const file = path.join(root, "programs", "family-caregiver", "skills.yaml");
    const skills = YAML.parse(readFileSync(file, "utf8")) as { items: { code: string; points: number }[] }[];
    skills[0].items[0].points += 5;
    skills[1].items[1].code = skills[1].items[0].code;
    delete (skills[2] as { items?: unknown }).items;
    writeFileSync(file, YAML.stringify(skills));
    expect(problemsOf(root)).toEqual(["programs/family-caregiver/skills.yaml: 2.items: must list the skill's checklist items"]);
    // With every skill's items present again, the sums and codes are checked.
    skills[2] = YAML.parse(readFileSync(path.join(real, "programs", "family-caregiver", "skills.yaml"), "utf8"))[2];
    writeFileSync(file, YAML.stringify(skills));
    expect(problemsOf(root)).toEqual([
      "programs/family-caregiver/skills.yaml: 0.items: points add up to 105; they must add up to 100",
      `programs/family-caregiver/skills.yaml: 1.items.1.code: "${skills[1].items[0].code}" is listed twice in this skill`,
    ]);
  });

  it("refuse a skill without items, and an examiner count other than 1 or 2", () => {
    const root = copyOfContent();
    const file = path.join(root, "programs", "hospice-care", "skills.yaml");
    const skills = YAML.parse(readFileSync(file, "utf8")) as { items: unknown[] }[];
    skills[0].items = [];
    writeFileSync(file, YAML.stringify(skills));
    const program = path.join(root, "programs", "hospice-care", "program.yaml");
    writeFileSync(program, `${readFileSync(program, "utf8").trimEnd()}\npractical:\n  examiners: 3\n`);
    expect(problemsOf(root)).toEqual([
      "programs/hospice-care/program.yaml: practical.examiners: must be 1 or 2",
      "programs/hospice-care/skills.yaml: 0.items: the skill needs at least one checklist item",
    ]);
  });
});

describe("quiz settings", () => {
  it("refuse a quiz longer than a module's bank", () => {
    const root = copyOfContent();
    const file = path.join(root, "programs", "family-caregiver", "program.yaml");
    const text = readFileSync(file, "utf8");
    writeFileSync(
      file,
      /^quiz:/m.test(text)
        ? text.replace(/(quiz:\s*\n\s*question_count:\s*)\d+/, "$1999")
        : `${text.trimEnd()}\nquiz:\n  question_count: 999\n`,
    );
    expect(
      problemsOf(root).some((p) =>
        p.startsWith("programs/family-caregiver/program.yaml: quiz.question_count: asks for 999 questions but module"),
      ),
    ).toBe(true);
  });
});

describe("online hours", () => {
  const moduleFile = (root: string, folder: string) => path.join(root, "programs", "family-caregiver", "modules", folder, "module.yaml");
  const edit = (file: string, change: (text: string) => string) => writeFileSync(file, change(readFileSync(file, "utf8")));

  it("split every module's theory hours, within the programme's theory hours", () => {
    const program = loadPrograms(real).get("family-caregiver")!;
    expect(program.rules.modules.every((m) => m.onlineHours !== undefined && m.onlineHours <= m.theoryHours)).toBe(true);
    expect(program.rules.modules.reduce((n, m) => n + m.onlineHours!, 0)).toBeLessThanOrEqual(program.rules.hours.theory);
  });

  it("refuse a share above the module's theory hours, in other than tenths, or set in some modules only", () => {
    const root = copyOfContent();
    edit(moduleFile(root, "01-home-safety"), (t) => t.replace(/^online_hours: .*$/m, "online_hours: 9"));
    edit(moduleFile(root, "02-daily-care"), (t) => t.replace(/^online_hours: .*$/m, "online_hours: 0.25"));
    edit(moduleFile(root, "03-observation-care-seeking"), (t) => t.replace(/^online_hours: .*\n/m, ""));
    const problems = problemsOf(root);
    expect(problems).toContain(
      "programs/family-caregiver/modules/01-home-safety/module.yaml: online_hours: is more than the module's 2 theory hours",
    );
    expect(problems).toContain(
      "programs/family-caregiver/modules/02-daily-care/module.yaml: online_hours: must be in tenths of an hour, e.g. 0.5",
    );
    expect(
      problems.some((p) =>
        p.startsWith("programs/family-caregiver/program.yaml: modules: some modules set online_hours and observation-care-seeking do not"),
      ),
    ).toBe(true);
  });
});

describe("subsidy policies", () => {
  const policyProblems = (root: string) => problemsOf(root, loadPolicies);

  it("of the 双证 and cohort-grant kinds load with their citation and placeholder amounts, and a grant may name only real programmes", () => {
    expect(loadFlatRatePolicies(real).get("dual-certificate-incentive")).toMatchObject({
      kind: "dual_certificate",
      fen: 200_000,
      confirmed: false,
      issuer: { authority: "civil_affairs_bureau" },
      source: { section: "二(七)1" },
    });
    expect(loadFlatRatePolicies(real).get("hr-training-grant")).toMatchObject({
      kind: "cohort_grant",
      minimumCertified: 1,
      confirmed: false,
      issuer: { authority: "hr_bureau" },
    });
    expect([...loadPolicies(real).keys()]).not.toContain("hr-training-grant");
    const root = copyOfContent();
    const file = path.join(root, "policies", "hr-training-grant.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("  - hospice-care", "  - hospice-nursing").replace("fen: 1000000", "fen: 10000.5"),
    );
    const problems = problemsOf(root, loadFlatRatePolicies);
    expect(problems).toContain("policies/hr-training-grant.yaml: amount.fen: must be whole fen");
    writeFileSync(file, readFileSync(file, "utf8").replace("fen: 10000.5", "fen: 1000000"));
    expect(problemsOf(root, loadFlatRatePolicies)).toContain(
      "policies/hr-training-grant.yaml: programmes: no programme with the code hospice-nursing",
    );
  });

  it("load with their source, amounts in fen and conditions", () => {
    const policies = loadPolicies(real);
    const instructor = policies.get("instructor-training-subsidy")!;
    expect(instructor).toMatchObject({
      payee: "base",
      issuer: { regionCode: "330111", authority: "health_bureau" },
      amounts: { "caregiver-instructor": [{ item: "training", fen: 500_000, confirmed: true }] },
      target: 50,
      source: { section: "二(七)1" },
    });
    expect(instructor.conditions).toEqual(
      expect.arrayContaining(["certificate_in_force", "once_per_person_occupation_level", "base_accredited_on_completion", "id_number"]),
    );
    // The vocational subsidy is 人社 money, with the appraisal subsidy as its own item, still unconfirmed.
    expect(policies.get("vocational-training-subsidy")).toMatchObject({
      payee: "trainee",
      issuer: { regionCode: "330111", authority: "hr_bureau" },
      amounts: {
        "medical-nursing-assistant": [
          { item: "training", confirmed: false },
          { item: "appraisal", confirmed: false },
        ],
      },
    });
  });

  it("refuse an unknown condition, a policy without the national rule, and yuan instead of fen", () => {
    const root = copyOfContent();
    const file = path.join(root, "policies", "instructor-training-subsidy.yaml");
    const text = readFileSync(file, "utf8")
      .replace("  - once_per_person_occupation_level", "  - paid_in_cash")
      .replace("training: { fen: 500000", "training: { fen: 5000.5");
    writeFileSync(file, text);
    const problems = policyProblems(root);
    expect(problems.some((p) => p.startsWith("policies/instructor-training-subsidy.yaml: conditions.1: must be one of"))).toBe(true);
    expect(problems).toContain("policies/instructor-training-subsidy.yaml: amounts.caregiver-instructor.training.fen: must be whole fen");
  });

  it("refuse a policy without an issuer, naming the file", () => {
    const root = copyOfContent();
    const file = path.join(root, "policies", "instructor-training-subsidy.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^issuer:[\s\S]*?(?=^payee:)/m, ""));
    expect(policyProblems(root).some((p) => p.startsWith("policies/instructor-training-subsidy.yaml: issuer: is required"))).toBe(true);
  });

  it("refuse an issuer region that is not a GB/T 2260 region", () => {
    const root = copyOfContent();
    const file = path.join(root, "policies", "instructor-training-subsidy.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace('region: "330111"', 'region: "330183"'));
    expect(policyProblems(root)).toContain(
      "policies/instructor-training-subsidy.yaml: issuer.region: 330183 is not a region of content/regions/gb2260.tsv",
    );
  });

  it("refuse a vocational amount for a programme that trains no recognised occupation", () => {
    const root = copyOfContent();
    const file = path.join(root, "policies", "vocational-training-subsidy.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("amounts:\n", "amounts:\n  family-caregiver:\n    training: { fen: 30000, confirmed: false }\n"),
    );
    expect(
      policyProblems(root).some((p) =>
        p.startsWith(
          'policies/vocational-training-subsidy.yaml: amounts.family-caregiver: this policy pays only for a recognised occupation, and the programme trains "家庭照护者"',
        ),
      ),
    ).toBe(true);
  });

  it("refuse a policy that leaves out a condition every policy carries", () => {
    const root = copyOfContent();
    const file = path.join(root, "policies", "vocational-training-subsidy.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("  - certificate_in_force ", "  - id_number "));
    expect(policyProblems(root)).toContain(
      "policies/vocational-training-subsidy.yaml: conditions: must include certificate_in_force (the national rule)",
    );
  });
});

describe("assessment templates", () => {
  it("load the shipped half-yearly template, its points adding up to 100", () => {
    const t = loadAssessmentTemplates(real).get("base-half-year")!;
    expect([...t.indicators, ...t.items].reduce((n, x) => n + x.points, 0)).toBe(100);
    expect(t.source.section).toBe("二(二)3");
  });

  it("refuse points that do not add up to 100, naming the file", () => {
    const root = copyOfContent();
    const file = path.join(root, "assessments", "base-half-year.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("points: 15, guidance", "points: 16, guidance"));
    expect(problemsOf(root, loadAssessmentTemplates)).toContain(
      "assessments/base-half-year.yaml: items: indicators and items add up to 101 points, not 100",
    );
  });
});

describe("a refresher", () => {
  it("must renew a programme that exists, is not itself a refresher, trains the same occupation, and its certificate must expire", () => {
    const root = copyOfContent();
    const file = path.join(root, "programs", "medical-nursing-assistant-refresher", "program.yaml");
    const yaml = readFileSync(file, "utf8");
    writeFileSync(
      file,
      yaml
        .replace(/^renews: .*$/m, "renews: [no-such-programme, hospice-care, caregiver-instructor-refresher]")
        .replace(/validity_months: 36/, "validity_months: null"),
    );
    expect(problemsOf(root)).toEqual([
      'programs/medical-nursing-assistant-refresher/program.yaml: renews: names "no-such-programme", which is not a programme',
      expect.stringMatching(/renews: names "hospice-care", a programme for .*, not 医疗护理员/),
      'programs/medical-nursing-assistant-refresher/program.yaml: renews: names "caregiver-instructor-refresher", which is itself a refresher',
      "programs/medical-nursing-assistant-refresher/program.yaml: certificate.validity_months: is needed for a refresher: it says how far a renewal extends the expiry",
    ]);
  });
});
