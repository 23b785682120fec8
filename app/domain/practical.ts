/**
 * Scoring a practical skill by its checklist: each observable item is met or not; met items earn
 * their points. A key item (关键项) not met fails the skill whatever the score, so a trainee who
 * forgets the wheelchair brake fails at 95 points.
 */

export interface ChecklistItem {
  code: string;
  text: string;
  points: number;
  /** A safety-critical item: not met fails the skill. */
  key: boolean;
}

export interface ScoredSkill {
  passScore: number;
  items: ChecklistItem[];
}

/** Item code → met. An item missing from the marks counts as not met. */
export type ItemMarks = Record<string, boolean>;

export interface ChecklistScore {
  score: number;
  /** Codes of the key items not met, in checklist order. */
  keyItemsFailed: string[];
  passed: boolean;
}

export function scoreChecklist(skill: ScoredSkill, marks: ItemMarks): ChecklistScore {
  let score = 0;
  const keyItemsFailed: string[] = [];
  for (const item of skill.items) {
    if (marks[item.code] === true) score += item.points;
    else if (item.key) keyItemsFailed.push(item.code);
  }
  return { score, keyItemsFailed, passed: score >= skill.passScore && keyItemsFailed.length === 0 };
}

/** Whether a skill as published is scored by items, or (in older versions) recorded pass/fail only. */
export function isScored<S extends { code: string; items?: ChecklistItem[]; passScore?: number }>(skill: S): skill is S & ScoredSkill {
  return Array.isArray(skill.items) && skill.items.length > 0 && typeof skill.passScore === "number";
}

/** What is wrong with a checklist as written, each as [field, problem]; empty when it can be used. */
export function checklistProblems(skill: ScoredSkill): [string, string][] {
  const problems: [string, string][] = [];
  const seen = new Set<string>();
  skill.items.forEach((item, i) => {
    if (seen.has(item.code)) problems.push([`items.${i}.code`, `"${item.code}" is listed twice in this skill`]);
    seen.add(item.code);
  });
  const total = skill.items.reduce((n, item) => n + item.points, 0);
  if (total !== 100) problems.push(["items", `points add up to ${total}; they must add up to 100`]);
  if (skill.passScore > total) problems.push(["pass_score", `${skill.passScore} is more than the ${total} points the items give`]);
  return problems;
}

/** Whether two examiners' names are the same person's, ignoring spaces. */
export function sameExaminer(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, "").toLowerCase();
  return norm(a) === norm(b);
}
