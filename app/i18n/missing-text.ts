import type { Missing } from "../domain/completion";
import type { Translate } from "./messages";

/** Hours still to go, to the tenth that online study is counted in. */
const left = (m: { have: number; need: number }) => Math.round((m.need - m.have) * 10) / 10;

/** What is still missing, in words a trainee or registrar can act on. */
export function missingText(m: Missing, t: Translate): string {
  switch (m.kind) {
    case "theoryHours":
      return t("missing.theoryHours", { have: m.have, need: m.need, left: left(m) });
    case "classroomHours":
      return t("missing.classroomHours", { have: m.have, need: m.need, left: left(m) });
    case "onlineHours":
      return t("missing.onlineHours", { module: m.module, have: m.have, need: m.need, left: left(m) });
    case "practiceHours":
      return t("missing.practiceHours", { have: m.have, need: m.need, left: left(m) });
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

/**
 * The missing list as lines to show: skills in the same state are named together on one line, and
 * so are modules short of online study time.
 */
export function missingLines(missing: Missing[], t: Translate): string[] {
  const lines: string[] = [];
  const skills = { notAssessed: [] as string[], failed: [] as string[] };
  const online = missing.filter((m) => m.kind === "onlineHours");
  for (const m of missing) {
    if (m.kind === "skill") skills[m.state].push(m.skill);
    else if (m.kind === "onlineHours") {
      if (m === online[0])
        lines.push(
          online.length === 1
            ? missingText(m, t)
            : t("missing.onlineHoursMany", { n: online.length, modules: online.map((o) => `${o.module} ${o.have}/${o.need}`).join("、") }),
        );
    } else lines.push(missingText(m, t));
  }
  if (skills.failed.length) lines.push(t("missing.skillsFailed", { skills: skills.failed.join("、"), n: skills.failed.length }));
  if (skills.notAssessed.length)
    lines.push(t("missing.skillsNotAssessed", { skills: skills.notAssessed.join("、"), n: skills.notAssessed.length }));
  return lines;
}
