import type { NotificationKind } from "../../db/schema";
import { halfYearWords } from "./half-year";
import { withStoredValues, type Translate } from "./messages";

/** A notification's title and text in the reader's language, made from its kind and stored values. */
export function notificationText(
  translate: Translate,
  kind: NotificationKind,
  params: Record<string, string | number>,
): { title: string; body: string } {
  // The values were stored with the notification; which ones a kind has is the writer's to keep.
  const t = withStoredValues(translate);
  if (kind === "assessment_result") {
    // Stored as "2026H1", said as 2026年上半年 in the reader's language.
    const said = { ...params, period: halfYearWords(translate, String(params.period)) };
    return {
      title: t("notify.assessment_result.title", said),
      body: t(params.passed ? "notify.assessment_result.passed" : "notify.assessment_result.failed", said),
    };
  }
  return { title: t(`notify.${kind}.title`, params), body: t(`notify.${kind}.body`, params) };
}
