/**
 * What a trainee should do next on their course page: the first lesson not yet read, then the
 * first chapter quiz not yet passed, then the final exam; when only the base's records are missing
 * (classroom hours, practicals, rotations), there is nothing for the trainee to do but wait.
 */
export interface CourseState {
  completed: boolean;
  modules: { code: string; title: string; quizPassed: boolean; lessons: { code: string; title: string; done: boolean }[] }[];
  exam: { passed: boolean; attemptsLeft: number };
}

export type NextStep =
  | { kind: "lesson"; moduleCode: string; lessonCode: string; moduleTitle: string; lessonTitle: string }
  | { kind: "quiz"; moduleCode: string; moduleTitle: string }
  | { kind: "exam" }
  | { kind: "await-records" }
  | { kind: "done" };

export function nextStep(course: CourseState): NextStep {
  if (course.completed) return { kind: "done" };
  for (const m of course.modules) {
    const unread = m.lessons.find((l) => !l.done);
    if (unread) return { kind: "lesson", moduleCode: m.code, lessonCode: unread.code, moduleTitle: m.title, lessonTitle: unread.title };
  }
  const quiz = course.modules.find((m) => !m.quizPassed);
  if (quiz) return { kind: "quiz", moduleCode: quiz.code, moduleTitle: quiz.title };
  if (!course.exam.passed && course.exam.attemptsLeft > 0) return { kind: "exam" };
  return { kind: "await-records" };
}
