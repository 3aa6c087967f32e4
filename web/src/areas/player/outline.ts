import type { TFunction } from "i18next";
import type { CourseProgress, LessonState, ModuleProgress } from "../../api/player";

/** A lesson of the course map with the module it sits in. */
export interface PlacedLesson {
  lesson: LessonState;
  module: ModuleProgress;
}

/** Every lesson of the course in order, across modules. */
export function lessonsInOrder(progress: CourseProgress): PlacedLesson[] {
  return progress.modules.flatMap((module) => module.lessons.map((lesson) => ({ lesson, module })));
}

/**
 * The lessons before and after one lesson, across modules (one place computes both, so the
 * links and the outline agree). A neighbour in a locked module is still given: its page says
 * why it is locked.
 */
export function neighbours(
  progress: CourseProgress,
  lessonId: string,
): { previous?: PlacedLesson; next?: PlacedLesson } {
  const all = lessonsInOrder(progress);
  const at = all.findIndex((p) => p.lesson.id === lessonId);
  if (at < 0) return {};
  return { previous: all[at - 1], next: all[at + 1] };
}

/**
 * Where to continue: the first lesson not completed in an open module, else (all done or
 * nothing open) the first lesson of an open module; none when no module is open.
 */
export function resumePoint(progress: CourseProgress): PlacedLesson | undefined {
  const open = lessonsInOrder(progress).filter((p) => p.module.unlocked);
  return open.find((p) => p.lesson.status !== "completed") ?? open[0];
}

/** Why a module is locked, in words (the API's lock: scheduled, sequential, prerequisites). */
export function lockReason(
  t: TFunction<"player">,
  module: Pick<ModuleProgress, "lock">,
  modules: Pick<ModuleProgress, "id" | "title">[],
  formatDate: (iso: string) => string,
  locale: string,
): string {
  const lock = module.lock;
  if (!lock) return t("outline.lockUnknown");
  const titles = (lock.waitingFor ?? []).map((id) => modules.find((m) => m.id === id)?.title ?? id);
  const list = new Intl.ListFormat(locale, { type: "conjunction" });
  switch (lock.type) {
    case "scheduled":
      return lock.unlockAt
        ? t("outline.lockScheduled", { date: formatDate(lock.unlockAt) })
        : t("outline.lockUnknown");
    case "sequential":
      return t("outline.lockSequential", { modules: titles.join(", ") });
    case "prerequisites":
      return t("outline.lockPrerequisites", {
        modules: list.format(titles.map((title) => t("outline.quoted", { title }))),
      });
    default:
      return t("outline.lockUnknown");
  }
}

/** A position in seconds as m:ss or h:mm:ss. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** The lesson path of a course. */
export function lessonPath(courseId: string, lessonId: string): string {
  return `/courses/${courseId}/lessons/${lessonId}`;
}
