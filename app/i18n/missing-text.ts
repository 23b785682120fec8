import type { Missing } from "../domain/completion";
import type { Translate } from "./messages";

/** What is still missing, in words a trainee or registrar can act on. */
export function missingText(m: Missing, t: Translate): string {
  switch (m.kind) {
    case "theoryHours":
      return t("missing.theoryHours", { have: m.have, need: m.need, left: m.need - m.have });
    case "practiceHours":
      return t("missing.practiceHours", { have: m.have, need: m.need, left: m.need - m.have });
    case "module":
      return m.lessonsLeft > 0
        ? t(m.quizPassed ? "missing.moduleLessons" : "missing.moduleLessonsAndQuiz", { module: m.module, n: m.lessonsLeft })
        : t("missing.moduleQuiz", { module: m.module });
    case "exam":
      return t(`missing.exam.${m.state}`, { n: m.attemptsLeft });
    case "skill":
      return t(m.state === "failed" ? "missing.skillFailed" : "missing.skillNotAssessed", { skill: m.skill });
    case "rotation":
      return t("missing.rotation", { department: t(`dept.${m.departmentKind}`), have: m.have, need: m.need });
  }
}

/** The missing list as lines to show: skills in the same state are named together on one line. */
export function missingLines(missing: Missing[], t: Translate): string[] {
  const lines: string[] = [];
  const skills = { notAssessed: [] as string[], failed: [] as string[] };
  for (const m of missing) {
    if (m.kind === "skill") skills[m.state].push(m.skill);
    else lines.push(missingText(m, t));
  }
  if (skills.failed.length) lines.push(t("missing.skillsFailed", { skills: skills.failed.join("、"), n: skills.failed.length }));
  if (skills.notAssessed.length) lines.push(t("missing.skillsNotAssessed", { skills: skills.notAssessed.join("、"), n: skills.notAssessed.length }));
  return lines;
}
