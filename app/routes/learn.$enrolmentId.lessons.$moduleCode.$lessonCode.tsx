import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { notFound } from "../auth/guard.server";
import { useT } from "../i18n/use-t";
import { requireOwnEnrolment } from "../services/access.server";
import { findLesson, lessonsDoneOf, markLessonDone } from "../services/learning.server";
import { renderMarkdown } from "../utils/markdown.server";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { enrolment } = requireOwnEnrolment(context, request, params.enrolmentId);
  const found = findLesson(enrolment.rules, params.moduleCode!, params.lessonCode!);
  const lesson = enrolment.content?.lessons[params.moduleCode!]?.find((l) => l.code === params.lessonCode);
  if (!found || !lesson) throw notFound();
  const position = found.module.lessons.findIndex((l) => l.code === lesson.code);
  return {
    enrolmentId: enrolment.id,
    programTitle: enrolment.rules.title,
    moduleTitle: found.module.title,
    title: lesson.title,
    html: renderMarkdown(lesson.markdown),
    done: lessonsDoneOf(enrolment.id).has(`${found.module.code}/${lesson.code}`),
    position: position + 1,
    count: found.module.lessons.length,
    next: found.next,
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { enrolment } = requireOwnEnrolment(context, request, params.enrolmentId);
  const found = findLesson(enrolment.rules, params.moduleCode!, params.lessonCode!);
  if (!found) throw notFound();
  markLessonDone(enrolment, found.module.code, found.lesson.code);
  const base = `/learn/${enrolment.id}`;
  throw redirect(found.next ? `${base}/lessons/${found.module.code}/${found.next.code}` : `${base}/quiz/${found.module.code}`);
}

export default function LessonReader() {
  const t = useT();
  const lesson = useLoaderData<typeof loader>();
  return (
    <article className="lesson">
      <p className="muted">
        <Link to={`/learn/${lesson.enrolmentId}`}>← {lesson.programTitle}</Link>
      </p>
      <p className="muted">
        {lesson.moduleTitle} · {t("lesson.position", { n: lesson.position, count: lesson.count })}
      </p>
      <h1>{lesson.title}</h1>
      <div className="lesson-body" dangerouslySetInnerHTML={{ __html: lesson.html }} />
      <Form method="post" className="lesson-footer">
        <button type="submit" className="primary">
          {lesson.next ? t("lesson.doneNext") : t("lesson.doneQuiz")}
        </button>
        {lesson.done ? <span className="badge accredited">{t("learning.read")}</span> : null}
      </Form>
    </article>
  );
}
