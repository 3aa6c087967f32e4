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

/** The enrollment row, locked for the rest of the transaction. */
export async function lockEnrollment(ctx: Ctx, id: string): Promise<EnrollmentRow> {
  return ctx.db
    .selectFrom("enrollments")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** A learning event about one enrollment, with the request it came from. */
export function enrollmentEvent(
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
      events.push(enrollmentEvent(tx, "content-viewed", current, { contentId: lesson.id }));
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
        enrollmentEvent(tx, "content-started", current, {
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
        events.push(
          enrollmentEvent(tx, "module-started", current, { contentId: lesson.module_id }),
        );
    }
    if (!current.started_at) {
      await tx.db
        .updateTable("enrollments")
        .set({ started_at: now })
        .where("id", "=", current.id)
        .execute();
      events.push(
        enrollmentEvent(tx, "enrollment-started", current),
        enrollmentEvent(tx, "course-started", current),
      );
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
    await recordEvents(tx, [
      enrollmentEvent(tx, "content-completed", current, {
        contentId: lesson.id,
        data: { timeSpentSeconds: progress.time_spent_seconds },
      }),
    ]);
    const settled = await settleProgress(tx, current, lesson.module_id, before);
    return { progress, ...settled };
  });
}

export interface Settled {
  moduleCompleted: boolean;
  courseCompleted: boolean;
  unlockedModules: string[];
}

/**
 * After something counted towards a module (a lesson completed, a quiz passed): recomputes the
 * figures, records a completed module, opens and announces the modules that were waiting for
 * it, and completes the enrollment when everything is done. Runs in the caller's transaction,
 * which holds the enrollment's row lock; `before` are the module states before the change.
 */
export async function settleProgress(
  ctx: Ctx,
  enrollment: EnrollmentRow,
  moduleId: string,
  before?: Awaited<ReturnType<typeof moduleStates>>,
): Promise<Settled> {
  const states = before ?? (await moduleStates(ctx, enrollment));
  const now = ctx.clock.now();
  const figures = await recompute(ctx, enrollment, moduleId);
  if (figures.moduleCompletedNow)
    await recordEvents(ctx, [
      enrollmentEvent(ctx, "module-completed", enrollment, { contentId: moduleId }),
    ]);
  const after = figures.moduleCompletedNow ? await moduleStates(ctx, enrollment) : states;
  const unlocked = after.filter(
    (s) => s.unlocked && !states.find((b) => b.module.id === s.module.id)?.unlocked,
  );
  for (const state of unlocked) {
    await ctx.db
      .updateTable("module_progress")
      .set({ unlocked_at: now })
      .where("enrollment_id", "=", enrollment.id)
      .where("module_id", "=", state.module.id)
      .execute();
    await notify(ctx, {
      userId: enrollment.user_id,
      organizationId: enrollment.organization_id,
      type: "lesson-unlocked",
      title: `Now open: ${state.module.title}`,
      body: "You finished what it was waiting for.",
      data: { courseId: enrollment.course_id, moduleId: state.module.id },
      actionPath: `/courses/${enrollment.course_id}`,
    });
  }
  const status = await ctx.db
    .selectFrom("enrollments")
    .select("status")
    .where("id", "=", enrollment.id)
    .executeTakeFirstOrThrow();
  let courseCompleted = false;
  if (figures.courseComplete && status.status === "active") {
    await completeEnrollment(ctx, enrollment);
    courseCompleted = true;
  }
  return {
    moduleCompleted: figures.moduleCompletedNow,
    courseCompleted,
    unlockedModules: unlocked.map((u) => u.module.id),
  };
}

/** Marks an enrollment completed (all lessons and required quizzes done), tells the learner and the other modules. */
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
    enrollmentEvent(ctx, "enrollment-completed", enrollment),
    enrollmentEvent(ctx, "course-completed", enrollment),
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
 * Recomputes a module's and the course's figures for an enrollment from its rows: lessons
 * completed of the published total, published quizzes required for completion that count
 * (passed, or taken for kinds nobody passes or fails), time spent, percentages, last activity.
 * A module (and the course) is complete when every one of its lessons and required quizzes is.
 */
async function recompute(
  ctx: Ctx,
  enrollment: EnrollmentRow,
  moduleId: string,
): Promise<{ moduleCompletedNow: boolean; courseComplete: boolean }> {
  const now = ctx.clock.now();
  const lessons = await ctx.db
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
  const quizzes = await ctx.db
    .selectFrom("quizzes as q")
    .leftJoin("quiz_results as r", (join) =>
      join.onRef("r.quiz_id", "=", "q.id").on("r.enrollment_id", "=", enrollment.id),
    )
    .innerJoin("modules as m", "m.id", "q.module_id")
    .select((eb) => [
      "q.module_id",
      eb.fn.countAll<string>().as("total"),
      eb.fn.count<string>("r.satisfied_at").as("completed"),
    ])
    .where("q.course_id", "=", enrollment.course_id)
    .where("q.is_published", "=", true)
    .where("q.required_for_completion", "=", true)
    .where("q.deleted_at", "is", null)
    .where("m.is_published", "=", true)
    .groupBy("q.module_id")
    .execute();
  const moduleIds = [...new Set([...lessons, ...quizzes].map((r) => r.module_id))];
  const totals = moduleIds.map((id) => {
    const l = lessons.find((r) => r.module_id === id);
    const q = quizzes.find((r) => r.module_id === id);
    return {
      module_id: id,
      lessons: Number(l?.total ?? 0),
      lessonsDone: Number(l?.completed ?? 0),
      items: Number(l?.total ?? 0) + Number(q?.total ?? 0),
      itemsDone: Number(l?.completed ?? 0) + Number(q?.completed ?? 0),
      seconds: Number(l?.seconds ?? 0),
    };
  });
  const percent = (done: number, total: number) =>
    total ? Math.round((done / total) * 10_000) / 100 : 0;
  const mine = totals.find((t) => t.module_id === moduleId);
  const existing = await ctx.db
    .selectFrom("module_progress")
    .selectAll()
    .where("enrollment_id", "=", enrollment.id)
    .where("module_id", "=", moduleId)
    .executeTakeFirst();
  const moduleDone = !!mine && mine.items > 0 && mine.itemsDone === mine.items;
  const moduleCompletedNow = moduleDone && !existing?.completed_at;
  const values = {
    lessons_completed: mine?.lessonsDone ?? 0,
    lessons_total: mine?.lessons ?? 0,
    time_spent_seconds: mine?.seconds ?? 0,
    completion_percent: percent(mine?.itemsDone ?? 0, mine?.items ?? 0),
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
  const sum = (key: "lessons" | "lessonsDone" | "items" | "itemsDone" | "seconds") =>
    totals.reduce((n, t) => n + t[key], 0);
  await ctx.db
    .updateTable("enrollments")
    .set({
      lessons_completed: sum("lessonsDone"),
      lessons_total: sum("lessons"),
      time_spent_seconds: sum("seconds"),
      last_accessed_at: now,
      // A completed enrollment keeps its 100 % when lessons are added later.
      progress_percent: sql`case when status = 'completed' then 100 else ${percent(sum("itemsDone"), sum("items"))}::numeric end`,
    })
    .where("id", "=", enrollment.id)
    .execute();
  return {
    moduleCompletedNow,
    courseComplete: sum("items") > 0 && sum("itemsDone") === sum("items"),
  };
}
