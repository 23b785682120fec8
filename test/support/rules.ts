import type { ProgramRules } from "../../app/domain/program";

/** A small programme with one of every kind of requirement. */
export function sampleRules(overrides: Partial<ProgramRules> = {}): ProgramRules {
  return {
    code: "sample",
    version: 1,
    title: "示例项目",
    titleEn: "Sample",
    occupation: "护理员",
    level: "初级",
    hours: { theory: 10, practice: 6 },
    exam: { questionCount: 4, timeLimitMinutes: 10, passMark: 80, maxAttempts: 2 },
    quiz: { questionCount: 2, passMark: 80 },
    rotations: [{ departmentKind: "geriatrics", days: 5 }],
    certificate: { title: "合格证明", validityMonths: 36 },
    modules: [
      {
        code: "m1",
        title: "模块一",
        theoryHours: 4,
        lessons: [
          { code: "l1", title: "第一课" },
          { code: "l2", title: "第二课" },
        ],
      },
      { code: "m2", title: "模块二", theoryHours: 2, lessons: [{ code: "l1", title: "第一课" }] },
    ],
    skills: [
      { code: "hand-hygiene", title: "七步洗手法" },
      { code: "turning", title: "协助翻身" },
    ],
    ...overrides,
  };
}
