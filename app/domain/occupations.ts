/**
 * Occupations the vocational-training and skill-appraisal subsidies may pay for (001 二(七)1:
 * 职业培训补贴、职业技能鉴定补贴 are paid for training in an occupation, not for any course).
 * An occupation is recognised when it is in the national occupational classification
 * (《中华人民共和国职业分类大典》); where the occupation has a national skill standard with levels,
 * the programme must name the level it trains to.
 */
export interface RecognisedOccupation {
  name: string;
  /** The skill levels of the national standard; null where the occupation is trained without levels. */
  levels: readonly string[] | null;
}

/** 国家职业技能标准的五个等级, as programmes write them. */
export const SKILL_LEVELS = ["五级/初级工", "四级/中级工", "三级/高级工", "二级/技师", "一级/高级技师"] as const;

export const RECOGNISED_OCCUPATIONS: readonly RecognisedOccupation[] = [
  // 国卫医发〔2019〕49号: trained to the national syllabus, one level (培训合格证明).
  { name: "医疗护理员", levels: null },
  // 《养老护理员国家职业技能标准（2019年版）》: five levels.
  { name: "养老护理员", levels: SKILL_LEVELS },
];

export type OccupationCheck = { recognised: true } | { recognised: false; reason: "notAnOccupation" | "levelMissing" };

/** Whether a programme trains a recognised occupation, at a level its standard knows. */
export function occupationRecognised(
  programme: { occupation: string; level: string },
  list: readonly RecognisedOccupation[] = RECOGNISED_OCCUPATIONS,
): OccupationCheck {
  const occupation = list.find((o) => o.name === programme.occupation);
  if (!occupation) return { recognised: false, reason: "notAnOccupation" };
  if (occupation.levels && !occupation.levels.includes(programme.level)) return { recognised: false, reason: "levelMissing" };
  return { recognised: true };
}
