import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, Link, useActionData, useFetcher, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { useEffect, useRef } from "react";
import * as z from "zod";
import { notFound } from "../auth/guard.server";
import { FormMessages } from "../components/form-controls";
import { noFields, parseSubmission, replyRefused } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { requireOwnEnrolment } from "../auth/access.server";
import { findLesson, lessonsDoneOf, lessonStudy, markLessonDone, openLessonView, recordBeat } from "../services/learning.server";
import { renderMarkdown } from "../utils/markdown.server";

export const handle: TitledHandle = { title: "nav.learning" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { enrolment } = requireOwnEnrolment(context, request, params.enrolmentId);
  const found = findLesson(enrolment.rules, params.moduleCode!, params.lessonCode!);
  const lesson = enrolment.content?.lessons[params.moduleCode!]?.find((l) => l.code === params.lessonCode);
  if (!found || !lesson) throw notFound();
  const position = found.module.lessons.findIndex((l) => l.code === lesson.code);
  const done = lessonsDoneOf(enrolment.id).has(`${found.module.code}/${lesson.code}`);
  // Each opening of the lesson is a view its beats add study time to.
  const viewId = enrolment.rules.study ? openLessonView(enrolment, found.module.code, lesson.code) : null;
  return {
    viewId,
    study: lessonStudy(enrolment, found.module.code, lesson.code),
    enrolmentId: enrolment.id,
    programTitle: enrolment.rules.title,
    moduleTitle: found.module.title,
    title: lesson.title,
    html: renderMarkdown(lesson.markdown),
    done,
    position: position + 1,
    count: found.module.lessons.length,
    next: found.next,
  };
}

/** A beat the open page sends: which view of the lesson, and whether the trainee was active since the last. */
const beatSchema = z.object({
  viewId: z.string().default(""),
  active: z
    .string()
    .optional()
    .transform((v) => v === "1"),
});

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { enrolment } = requireOwnEnrolment(context, request, params.enrolmentId);
  const found = findLesson(enrolment.rules, params.moduleCode!, params.lessonCode!);
  if (!found) throw notFound();
  const formData = await request.formData();
  if (formData.get("intent") === "beat") {
    const beat = parseSubmission(formData, beatSchema);
    const { viewId, active } = beat.status === "success" ? beat.value : { viewId: "", active: false };
    return { beat: recordBeat(enrolment, viewId, active) };
  }
  const submission = parseSubmission(formData, noFields);
  const marked = markLessonDone(enrolment, found.module.code, found.lesson.code);
  if (!marked.ok) return { reply: replyRefused(submission, marked) };
  const base = `/learn/${enrolment.id}`;
  throw redirect(found.next ? `${base}/lessons/${found.module.code}/${found.next.code}` : `${base}/quiz/${found.module.code}`);
}

/** A beat changes nothing the page shows but the time: the lesson is not loaded again (which would open another view). */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "beat" ? false : defaultShouldRevalidate;

const BEAT_MS = 30_000;
/** Without a key, pointer, scroll or touch for this long, the trainee is taken to have gone away. */
const IDLE_MS = 120_000;

/** Sends a beat every 30 s while the page is visible, saying whether the trainee was active since the last. */
function useStudyBeats(viewId: string | null) {
  const fetcher = useFetcher();
  const lastActivity = useRef(Date.now());
  // biome-ignore lint/correctness/useExhaustiveDependencies: the fetcher's identity changes with its state; the beats belong to the view.
  useEffect(() => {
    if (!viewId) return;
    const active = () => (lastActivity.current = Date.now());
    const events = ["pointerdown", "pointermove", "keydown", "scroll", "touchstart"] as const;
    for (const e of events) window.addEventListener(e, active, { passive: true });
    const timer = setInterval(() => {
      if (document.visibilityState !== "visible") return;
      const recent = Date.now() - lastActivity.current < IDLE_MS;
      fetcher.submit({ intent: "beat", viewId, active: recent ? "1" : "0" }, { method: "post" });
    }, BEAT_MS);
    return () => {
      clearInterval(timer);
      for (const e of events) window.removeEventListener(e, active);
    };
  }, [viewId]);
  const beat = fetcher.data as { beat?: { studied: number } } | undefined;
  return beat?.beat?.studied;
}

export default function LessonReader() {
  const t = useT();
  const lesson = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form] = useSchemaForm(noFields, { lastResult: data && "reply" in data ? data.reply : undefined });
  const studiedNow = useStudyBeats(lesson.viewId) ?? lesson.study.studied;
  return (
    <article className="lesson">
      <p className="muted">
        <Link to={`/learn/${lesson.enrolmentId}`}>← {lesson.programTitle}</Link>
      </p>
      <p className="muted">
        {lesson.moduleTitle} · {t("lesson.position", { n: lesson.position, count: lesson.count })}
      </p>
      <h1>{lesson.title}</h1>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the lesson's HTML is rendered on the server from the programme's own Markdown by markdown-it with raw HTML off (app/utils/markdown.server.ts). */}
      <div className="lesson-body" dangerouslySetInnerHTML={{ __html: lesson.html }} />
      {lesson.study.required > 0 ? (
        <p className="muted" data-testid="study-time">
          {t("lesson.studied", { studied: Math.floor(studiedNow / 60), required: Math.ceil(lesson.study.required / 60) })}
        </p>
      ) : null}
      <FormMessages errors={form.errors} />
      <Form method="post" className="lesson-footer" {...getFormProps(form)}>
        <SubmitButton className="primary">{lesson.next ? t("lesson.doneNext") : t("lesson.doneQuiz")}</SubmitButton>
        {lesson.done ? <span className="badge accredited">{t("learning.read")}</span> : null}
      </Form>
    </article>
  );
}
