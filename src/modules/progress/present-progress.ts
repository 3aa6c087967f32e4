import { z } from "zod";
import type { Ctx } from "../../platform/context.js";
import { type HiddenFromManagers, privacyForViewer } from "../access/learner-privacy.js";
import {
  enrollmentSchema,
  iso,
  presentEnrollment,
  withoutActivity,
} from "../enrollment/present.js";
import type { EnrollmentRow } from "../enrollment/schema.js";
import { enrollmentProgress } from "./queries.js";

const lessonStateSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  contentType: z.string(),
  durationMinutes: z.number().int(),
  minTimeSeconds: z.number().int(),
  status: z.enum(["not-started", "in-progress", "completed"]),
  startedAt: iso().nullable(),
  completedAt: iso().nullable(),
  timeSpentSeconds: z
    .number()
    .int()
    .nullable()
    .describe("Null when the learner keeps their activity from the viewer (privacy settings)"),
  lastPosition: z.number().int(),
  completionPercent: z.number(),
});

export const courseProgressSchema = z
  .object({
    enrollment: enrollmentSchema,
    hidden: z
      .array(z.enum(["scores", "activity", "certificates"]))
      .describe(
        "What the learner's privacy settings keep from the viewer (those values are null); always empty for the learner",
      ),
    modules: z.array(
      z.object({
        id: z.uuid(),
        title: z.string(),
        position: z.number().int(),
        unlocked: z.boolean(),
        lock: z
          .object({
            type: z.string(),
            unlockAt: iso().optional(),
            waitingFor: z.array(z.uuid()).optional(),
          })
          .nullable(),
        completed: z.boolean(),
        completedAt: iso().nullable(),
        lessonsCompleted: z.number().int(),
        lessonsTotal: z.number().int(),
        completionPercent: z.number(),
        timeSpentSeconds: z
          .number()
          .int()
          .nullable()
          .describe("Null when the learner keeps their activity from the viewer"),
        lessons: z.array(lessonStateSchema),
        quizzes: z.array(
          z.object({
            id: z.uuid(),
            lessonId: z.uuid().nullable(),
            title: z.string(),
            kind: z.string(),
            requiredForCompletion: z.boolean(),
            passingScore: z.number(),
            attemptsUsed: z.number().int(),
            bestScore: z
              .number()
              .nullable()
              .describe("Null before a graded attempt, or when the learner keeps their scores"),
            passed: z
              .boolean()
              .nullable()
              .describe("Null when the learner keeps their scores from the viewer"),
            counted: z.boolean().describe("Counts towards completing the module"),
          }),
        ),
      }),
    ),
  })
  .meta({ id: "CourseProgress" });

const iso8601 = (d: Date | null | undefined) => d?.toISOString() ?? null;

/**
 * An enrollment's progress as the caller may see it: a viewer other than the learner does not
 * see the study time (activity) or the quiz scores and results (scores) the learner keeps from
 * managers (docs/privacy.md); `hidden` names what was left out.
 */
export async function progressForViewer(ctx: Ctx, enrollment: EnrollmentRow) {
  const view = await enrollmentProgress(ctx, enrollment);
  const privacy = await privacyForViewer(ctx, [enrollment.user_id], enrollment.organization_id);
  const hides = (what: HiddenFromManagers) => privacy.hides(enrollment.user_id, what);
  const activity = hides("activity");
  const scores = hides("scores");
  return {
    enrollment: withoutActivity(presentEnrollment(view.enrollment), activity),
    hidden: (["scores", "activity"] as const).filter(hides),
    modules: view.modules.map((m) => ({
      ...m,
      completedAt: iso8601(m.completedAt),
      timeSpentSeconds: activity ? null : m.timeSpentSeconds,
      lessons: m.lessons.map((l) => ({
        ...l,
        startedAt: iso8601(l.startedAt),
        completedAt: iso8601(l.completedAt),
        timeSpentSeconds: activity ? null : l.timeSpentSeconds,
      })),
      quizzes: scores ? m.quizzes.map((q) => ({ ...q, bestScore: null, passed: null })) : m.quizzes,
    })),
  };
}
