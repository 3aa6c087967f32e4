import { sql } from "kysely";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import type { LessonRow } from "../catalog/schema.js";
import type { EnrollmentRow } from "../enrollment/schema.js";
import { type EventInput, recordEvents, requestContext } from "../events/record.js";
import { notify } from "../notifications/notify.js";
import { assertModuleUnlocked, moduleStates, requireEnrollment } from "./access.js";
import type { LessonProgressRow } from "./schema.js";

/**
 * Lesson progress (seed 002 §Start Lesson, §Complete Lesson). Every change runs in one
 * transaction that holds the enrollment's row lock, then recomputes the module's and the
 * course's figures from the lesson rows, so they always agree with them however many tabs a
 * learner has open.
 */

/** The longest a single heartbeat may add: a tab left open does not count as study time. */
export const MAX_HEARTBEAT_SECONDS = 300;

async function lessonFor(ctx: Ctx, lessonId: string): Promise<LessonRow> {
  const lesson = await ctx.db
    .selectFrom("lessons")
    .selectAll()
    .where("id", "=", lessonId)
    .where("is_published", "=", true)
    .executeTakeFirst();
  if (!lesson) throw new AppError("NOT_FOUND", "Lesson not found");
  return lesson;
}

async function lockEnrollment(ctx: Ctx, id: string): Promise<EnrollmentRow> {
  return ctx.db
    .selectFrom("enrollments")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

function event(
  ctx: Ctx,
  type: string,
  enrollment: EnrollmentRow,
  extra: Partial<EventInput> = {},
): EventInput {
  return {
    type,
    learnerId: enrollment.user_id,
    organizationId: enrollment.organization_id,
    courseId: enrollment.course_id,
    cohortId: enrollment.cohort_id,
    enrollmentId: enrollment.id,
    context: requestContext(ctx),
    ...extra,
  };
}

/** Opens a lesson: the progress row, and the enrollment's and module's start on first visit. */
export async function startLesson(ctx: Ctx, lessonId: string): Promise<LessonProgressRow> {
  const lesson = await lessonFor(ctx, lessonId);
  const enrollment = await requireEnrollment(ctx, lesson.course_id);
  await assertModuleUnlocked(ctx, enrollment, lesson.module_id);
  return inTransaction(ctx, async (tx) => {
    const current = await lockEnrollment(tx, enrollment.id);
    const now = tx.clock.now();
    const existing = await tx.db
      .selectFrom("lesson_progress")
      .selectAll()
      .where("enrollment_id", "=", current.id)
      .where("lesson_id", "=", lesson.id)
      .executeTakeFirst();
    const events: EventInput[] = [];
    let row: LessonProgressRow;
    if (existing) {
      row = await tx.db
        .updateTable("lesson_progress")
        .set({ last_activity_at: now })
        .where("id", "=", existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      events.push(event(tx, "content-viewed", current, { contentId: lesson.id }));
    } else {
      row = await tx.db
        .insertInto("lesson_progress")
        .values({
          enrollment_id: current.id,
          user_id: current.user_id,
          course_id: lesson.course_id,
          module_id: lesson.module_id,
          lesson_id: lesson.id,
          started_at: now,
          last_activity_at: now,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      events.push(
        event(tx, "content-started", current, {
          contentId: lesson.id,
          data: { contentType: lesson.content_type },
        }),
      );
      const moduleStarted = await tx.db
        .selectFrom("module_progress")
        .select("started_at")
        .where("enrollment_id", "=", current.id)
        .where("module_id", "=", lesson.module_id)
        .executeTakeFirst();
      if (!moduleStarted?.started_at)
        events.push(event(tx, "module-started", current, { contentId: lesson.module_id }));
    }
    if (!current.started_at) {
      await tx.db
        .updateTable("enrollments")
        .set({ started_at: now })
        .where("id", "=", current.id)
        .execute();
      events.push(event(tx, "enrollment-started", current), event(tx, "course-started", current));
    }
    await recompute(tx, current, lesson.module_id);
    await recordEvents(tx, events);
    return row;
  });
}

export interface Heartbeat {
  /** Seconds (video/audio) or characters (text) into the lesson. */
  position?: number;
  /** Seconds studied since the last heartbeat; capped by the time that really passed. */
  seconds?: number;
  /** How much of the lesson the player has seen, 0–100. */
  percent?: number;
}

/**
 * Records where the learner is and how long they studied. Study time counts at most the time
 * since the previous heartbeat (and never more than five minutes at once), so a client cannot
 * inflate it.
 */
export async function recordHeartbeat(
  ctx: Ctx,
  lessonId: string,
  beat: Heartbeat,
): Promise<LessonProgressRow> {
  const lesson = await lessonFor(ctx, lessonId);
  const enrollment = await requireEnrollment(ctx, lesson.course_id);
  return inTransaction(ctx, async (tx) => {
    const current = await lockEnrollment(tx, enrollment.id);
    const row = await tx.db
      .selectFrom("lesson_progress")
      .selectAll()
      .where("enrollment_id", "=", current.id)
      .where("lesson_id", "=", lesson.id)
      .executeTakeFirst();
    if (!row) throw new AppError("LESSON_NOT_STARTED", "Start the lesson first");
    const now = tx.clock.now();
    const elapsed = Math.max(
      0,
      Math.floor((now.getTime() - row.last_activity_at.getTime()) / 1000),
    );
    const seconds = Math.min(beat.seconds ?? 0, elapsed, MAX_HEARTBEAT_SECONDS);
    const updated = await tx.db
      .updateTable("lesson_progress")
      .set({
        time_spent_seconds: sql`time_spent_seconds + ${seconds}`,
        last_activity_at: now,
        ...(beat.position !== undefined ? { last_position: beat.position } : {}),
        ...(beat.percent !== undefined
          ? { completion_percent: sql`greatest(completion_percent, ${beat.percent})` }
          : {}),
      })
      .where("id", "=", row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recompute(tx, current, lesson.module_id);
    return updated;
  });
}

export interface CompletionResult {
  progress: LessonProgressRow;
  moduleCompleted: boolean;
  courseCompleted: boolean;
  unlockedModules: string[];
}

/**
 * Completes a lesson: it must have been started and have had its minimum time (seed 002
 * `min_time_seconds`). Completing the last lesson of a module completes the module and opens
 * the modules waiting for it; completing the last lesson of the course completes the
 * enrollment.
 */
export async function completeLesson(ctx: Ctx, lessonId: string): Promise<CompletionResult> {
  const lesson = await lessonFor(ctx, lessonId);
  const enrollment = await requireEnrollment(ctx, lesson.course_id);
  await assertModuleUnlocked(ctx, enrollment, lesson.module_id);
  return inTransaction(ctx, async (tx) => {
    const current = await lockEnrollment(tx, enrollment.id);
    const row = await tx.db
      .selectFrom("lesson_progress")
      .selectAll()
      .where("enrollment_id", "=", current.id)
      .where("lesson_id", "=", lesson.id)
      .executeTakeFirst();
    if (!row) throw new AppError("LESSON_NOT_STARTED", "Start the lesson before completing it");
    if (row.status === "completed")
      return { progress: row, moduleCompleted: false, courseCompleted: false, unlockedModules: [] };
    if (row.time_spent_seconds < lesson.min_time_seconds)
      throw new AppError(
        "MIN_TIME_NOT_MET",
        `This lesson counts after ${lesson.min_time_seconds} seconds of study`,
        {
          details: {
            requiredSeconds: lesson.min_time_seconds,
            spentSeconds: row.time_spent_seconds,
          },
        },
      );
    const now = tx.clock.now();
    const before = await moduleStates(tx, current);
    const progress = await tx.db
      .updateTable("lesson_progress")
      .set({
        status: "completed",
        completed_at: now,
        completion_percent: 100,
        last_activity_at: now,
      })
      .where("id", "=", row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const figures = await recompute(tx, current, lesson.module_id);
    const events: EventInput[] = [
      event(tx, "content-completed", current, {
        contentId: lesson.id,
        data: { timeSpentSeconds: progress.time_spent_seconds },
      }),
    ];
    if (figures.moduleCompletedNow)
      events.push(event(tx, "module-completed", current, { contentId: lesson.module_id }));
    const after = figures.moduleCompletedNow ? await moduleStates(tx, current) : before;
    const unlocked = after.filter(
      (s) => s.unlocked && !before.find((b) => b.module.id === s.module.id)?.unlocked,
    );
    for (const state of unlocked) {
      await tx.db
        .updateTable("module_progress")
        .set({ unlocked_at: now })
        .where("enrollment_id", "=", current.id)
        .where("module_id", "=", state.module.id)
        .execute();
      await notify(tx, {
        userId: current.user_id,
        organizationId: current.organization_id,
        type: "lesson-unlocked",
        title: `Now open: ${state.module.title}`,
        body: "You finished what it was waiting for.",
        data: { courseId: current.course_id, moduleId: state.module.id },
        actionPath: `/courses/${current.course_id}`,
      });
    }
    let courseCompleted = false;
    if (figures.courseComplete && current.status === "active") {
      await completeEnrollment(tx, current);
      courseCompleted = true;
    }
    await recordEvents(tx, events);
    return {
      progress,
      moduleCompleted: figures.moduleCompletedNow,
      courseCompleted,
      unlockedModules: unlocked.map((u) => u.module.id),
    };
  });
}

/** Marks an enrollment completed (all lessons done), tells the learner and the other modules. */
export async function completeEnrollment(ctx: Ctx, enrollment: EnrollmentRow): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db
    .updateTable("enrollments")
    .set({ status: "completed", completed_at: now, progress_percent: 100 })
    .where("id", "=", enrollment.id)
    .execute();
  const course = await ctx.db
    .updateTable("courses")
    .set({ completed_count: sql`completed_count + 1` })
    .where("id", "=", enrollment.course_id)
    .returning(["title"])
    .executeTakeFirstOrThrow();
  await recordEvents(ctx, [
    event(ctx, "enrollment-completed", enrollment),
    event(ctx, "course-completed", enrollment),
  ]);
  await notify(ctx, {
    userId: enrollment.user_id,
    organizationId: enrollment.organization_id,
    type: "course-completed",
    title: `You completed ${course.title}`,
    body: "Well done! Your transcript is up to date.",
    data: { courseId: enrollment.course_id, enrollmentId: enrollment.id },
    actionPath: `/courses/${enrollment.course_id}`,
  });
  await ctx.events.emit(ctx, "enrollment.completed", {
    enrollmentId: enrollment.id,
    userId: enrollment.user_id,
    courseId: enrollment.course_id,
  });
}

/**
 * Recomputes a module's and the course's figures for an enrollment from its lesson rows:
 * lessons completed of the published total, time spent, percentages, last activity.
 */
async function recompute(
  ctx: Ctx,
  enrollment: EnrollmentRow,
  moduleId: string,
): Promise<{ moduleCompletedNow: boolean; courseComplete: boolean }> {
  const now = ctx.clock.now();
  const totals = await ctx.db
    .selectFrom("lessons as l")
    .leftJoin("lesson_progress as p", (join) =>
      join.onRef("p.lesson_id", "=", "l.id").on("p.enrollment_id", "=", enrollment.id),
    )
    .innerJoin("modules as m", "m.id", "l.module_id")
    .select((eb) => [
      "l.module_id",
      eb.fn.countAll<string>().as("total"),
      eb.fn.count<string>("p.id").filterWhere("p.status", "=", "completed").as("completed"),
      eb.fn.coalesce(eb.fn.sum<string>("p.time_spent_seconds"), eb.lit(0)).as("seconds"),
    ])
    .where("l.course_id", "=", enrollment.course_id)
    .where("l.is_published", "=", true)
    .where("m.is_published", "=", true)
    .groupBy("l.module_id")
    .execute();
  const percent = (done: number, total: number) =>
    total ? Math.round((done / total) * 10_000) / 100 : 0;
  const mine = totals.find((t) => t.module_id === moduleId);
  const total = Number(mine?.total ?? 0);
  const completed = Number(mine?.completed ?? 0);
  const existing = await ctx.db
    .selectFrom("module_progress")
    .selectAll()
    .where("enrollment_id", "=", enrollment.id)
    .where("module_id", "=", moduleId)
    .executeTakeFirst();
  const moduleDone = total > 0 && completed === total;
  const moduleCompletedNow = moduleDone && !existing?.completed_at;
  const values = {
    lessons_completed: completed,
    lessons_total: total,
    time_spent_seconds: Number(mine?.seconds ?? 0),
    completion_percent: percent(completed, total),
    completed_at: moduleDone ? (existing?.completed_at ?? now) : null,
  };
  if (existing) {
    await ctx.db.updateTable("module_progress").set(values).where("id", "=", existing.id).execute();
  } else {
    await ctx.db
      .insertInto("module_progress")
      .values({
        ...values,
        enrollment_id: enrollment.id,
        user_id: enrollment.user_id,
        module_id: moduleId,
        started_at: now,
        unlocked_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  const courseTotal = totals.reduce((n, t) => n + Number(t.total), 0);
  const courseDone = totals.reduce((n, t) => n + Number(t.completed), 0);
  const courseSeconds = totals.reduce((n, t) => n + Number(t.seconds), 0);
  await ctx.db
    .updateTable("enrollments")
    .set({
      lessons_completed: courseDone,
      lessons_total: courseTotal,
      time_spent_seconds: courseSeconds,
      last_accessed_at: now,
      // A completed enrollment keeps its 100 % when lessons are added later.
      progress_percent: sql`case when status = 'completed' then 100 else ${percent(courseDone, courseTotal)}::numeric end`,
    })
    .where("id", "=", enrollment.id)
    .execute();
  return { moduleCompletedNow, courseComplete: courseTotal > 0 && courseDone === courseTotal };
}
