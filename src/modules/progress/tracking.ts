import { sql } from "kysely";
import type { Db } from "../../db/connection.js";
import { type DateColumnSet, fromJson } from "../../db/json-rows.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import type { LessonRow } from "../catalog/schema.js";
import type { EnrollmentRow } from "../enrollment/schema.js";
import {
  type EventInput,
  recordEvents,
  recordingEvents,
  refuseUnknownEvents,
  requestContext,
} from "../events/record.js";
import { notify } from "../notifications/notify.js";
import {
  assertUnlocked,
  grantsAccess,
  moduleStates,
  modulesJson,
  notEnrolled,
  statesOf,
} from "./access.js";
import type { LessonProgressRow } from "./schema.js";

/**
 * Lesson progress (seed 002 §Start Lesson, §Complete Lesson). Every change runs in one
 * transaction that holds the enrollment's row lock, then recomputes the module's and the
 * course's figures from the lesson rows, so they always agree with them however many tabs a
 * learner has open.
 */

/** The longest a single heartbeat may add: a tab left open does not count as study time. */
export const MAX_HEARTBEAT_SECONDS = 300;

/** What progress needs to know about a lesson. */
type LessonFacts = Pick<
  LessonRow,
  "id" | "course_id" | "module_id" | "min_time_seconds" | "content_type"
>;

/**
 * A published lesson and the caller's enrollment in its course, row-locked for the rest of the
 * transaction, in one round trip; refused with NOT_FOUND or NOT_ENROLLED as requireEnrollment
 * would.
 */
async function lockLesson(
  ctx: Ctx,
  lessonId: string,
): Promise<{ lesson: LessonFacts; enrollment: EnrollmentRow }> {
  if (ctx.actor.kind !== "user")
    throw new AppError("NOT_ENROLLED", "Only enrolled learners record progress");
  const userId = ctx.actor.userId;
  const row = await ctx.db
    .selectFrom("lessons as l")
    .innerJoin("enrollments as e", (join) =>
      join.onRef("e.course_id", "=", "l.course_id").on("e.user_id", "=", userId),
    )
    .selectAll("e")
    .select([
      "l.module_id as lesson_module_id",
      "l.min_time_seconds as lesson_min_time_seconds",
      "l.content_type as lesson_content_type",
    ])
    .where("l.id", "=", lessonId)
    .where("l.is_published", "=", true)
    .forUpdate("e")
    .executeTakeFirst();
  if (!row) {
    // Either no such lesson, or no enrollment in its course.
    const lesson = await ctx.db
      .selectFrom("lessons")
      .select("id")
      .where("id", "=", lessonId)
      .where("is_published", "=", true)
      .executeTakeFirst();
    throw lesson ? notEnrolled(undefined) : new AppError("NOT_FOUND", "Lesson not found");
  }
  const { lesson_module_id, lesson_min_time_seconds, lesson_content_type, ...enrollment } = row;
  if (!grantsAccess(enrollment, ctx.clock.now())) throw notEnrolled(enrollment);
  return {
    enrollment,
    lesson: {
      id: lessonId,
      course_id: enrollment.course_id,
      module_id: lesson_module_id,
      min_time_seconds: lesson_min_time_seconds,
      content_type: lesson_content_type,
    },
  };
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

const PROGRESS_DATES = {
  started_at: true,
  completed_at: true,
  last_activity_at: true,
  created_at: true,
  updated_at: true,
} satisfies DateColumnSet<LessonProgressRow>;

function progressFromJson(value: unknown): LessonProgressRow {
  return fromJson<LessonProgressRow>(value, PROGRESS_DATES);
}

/** A learner's progress row for one lesson of their enrollment, if they have opened it. */
export function progressOf(
  db: Db,
  enrollmentId: string,
  lessonId: string,
): Promise<LessonProgressRow | undefined> {
  return db
    .selectFrom("lesson_progress")
    .selectAll()
    .where("enrollment_id", "=", enrollmentId)
    .where("lesson_id", "=", lessonId)
    .executeTakeFirst();
}

/** Opens a lesson: the progress row, and the enrollment's and module's start on first visit. */
export async function startLesson(ctx: Ctx, lessonId: string): Promise<LessonProgressRow> {
  return inTransaction(ctx, async (tx) => {
    const { lesson, enrollment: current } = await lockLesson(tx, lessonId);
    assertUnlocked(await moduleStates(tx, current), lesson.module_id);
    const now = tx.clock.now();
    const existing = await progressOf(tx.db, current.id, lesson.id);
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
    await recompute(tx, current, lesson.module_id, events);
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
  return inTransaction(ctx, async (tx) => {
    const { lesson, enrollment: current } = await lockLesson(tx, lessonId);
    const row = await progressOf(tx.db, current.id, lesson.id);
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
  const fast = await completeLessonFast(ctx, lessonId);
  if (fast) return fast;
  return inTransaction(ctx, async (tx) => {
    const { lesson, enrollment: current } = await lockLesson(tx, lessonId);
    const now = tx.clock.now();
    // One round trip: completes a started lesson that had its minimum time, and reads the
    // module states and the lesson's progress as they were before, and the figures per
    // module as they are after. A locked module undoes the completion with the transaction.
    const { rows } = await sql<{
      completed: unknown;
      was: unknown;
      modules: unknown;
      totals: ModuleTotals[];
    }>`
      with completed as (
        update lesson_progress set status = 'completed', completed_at = ${now},
               completion_percent = 100, last_activity_at = ${now}
        where enrollment_id = ${current.id} and lesson_id = ${lesson.id}
          and status <> 'completed' and time_spent_seconds >= ${lesson.min_time_seconds}
        returning *
      )
      select (select row_to_json(c) from completed c) as completed,
             (select row_to_json(p) from lesson_progress p
              where p.enrollment_id = ${current.id} and p.lesson_id = ${lesson.id}) as was,
             ${modulesJson(current)} as modules,
             ${totalsJson(current, lesson.id)} as totals`.execute(tx.db);
    const read = rows[0] as {
      completed: unknown;
      was: unknown;
      modules: unknown;
      totals: ModuleTotals[];
    };
    const before = statesOf(read.modules, now);
    assertUnlocked(before, lesson.module_id);
    const progress = read.completed ? progressFromJson(read.completed) : undefined;
    if (!progress) {
      const row = read.was ? progressFromJson(read.was) : undefined;
      if (!row) throw new AppError("LESSON_NOT_STARTED", "Start the lesson before completing it");
      if (row.status === "completed")
        return {
          progress: row,
          moduleCompleted: false,
          courseCompleted: false,
          unlockedModules: [],
        };
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
    }
    const settled = await settleProgress(
      tx,
      current,
      lesson.module_id,
      before,
      [
        enrollmentEvent(tx, "content-completed", current, {
          contentId: lesson.id,
          data: { timeSpentSeconds: progress.time_spent_seconds },
        }),
      ],
      read.totals,
    );
    return { progress, ...settled };
  });
}

/**
 * Most completions change nothing but the lesson and the figures: the database's
 * complete_lesson_fast (migrations) does those in one round trip, with the same rules and
 * writes as the transaction below, and answers null for everything else (a refusal, a repeat,
 * a module that completes or waits for others, an enrollment that is not simply active),
 * having changed nothing. The transaction then takes over.
 */
async function completeLessonFast(ctx: Ctx, lessonId: string): Promise<CompletionResult | null> {
  if (ctx.actor.kind !== "user") return null;
  const { rows } = await sql<{ done: { progress: unknown } | null }>`
    select complete_lesson_fast(${ctx.actor.userId}::uuid, ${lessonId}::uuid,
                                ${ctx.clock.now()}::timestamptz,
                                ${JSON.stringify(requestContext(ctx))}::jsonb) as done`.execute(
    ctx.db,
  );
  const done = rows[0]?.done;
  if (!done) return null;
  return {
    progress: progressFromJson(done.progress),
    moduleCompleted: false,
    courseCompleted: false,
    unlockedModules: [],
  };
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
  events: EventInput[] = [],
  totals?: ModuleTotals[],
): Promise<Settled> {
  const states = before ?? (await moduleStates(ctx, enrollment));
  const now = ctx.clock.now();
  const figures = await recompute(ctx, enrollment, moduleId, events, totals);
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
      variables: { moduleTitle: state.module.title },
      data: { courseId: enrollment.course_id, moduleId: state.module.id },
      actionPath: `/courses/${enrollment.course_id}`,
    });
  }
  let courseCompleted = false;
  if (figures.courseComplete && figures.status === "active") {
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
    variables: { courseTitle: course.title },
    data: { courseId: enrollment.course_id, enrollmentId: enrollment.id },
    actionPath: `/courses/${enrollment.course_id}`,
  });
  await ctx.events.emit(ctx, "enrollment.completed", {
    enrollmentId: enrollment.id,
    userId: enrollment.user_id,
    courseId: enrollment.course_id,
  });
}

/** One module's figures: its lessons and required quizzes, how many are done, time spent. */
export interface ModuleTotals {
  module_id: string;
  lessons: number;
  lessons_done: number;
  items: number;
  items_done: number;
  seconds: number;
}

/**
 * The figures of every module of the enrollment's course as one JSON value (`ModuleTotals[]`).
 * `completing` names a lesson that a `completed` CTE of the same statement completes: the
 * statement's snapshot still shows that lesson as it was, so it counts as done when the CTE
 * returned its row.
 */
export function totalsJson(
  enrollment: Pick<EnrollmentRow, "id" | "course_id">,
  completing?: string,
) {
  // The figures themselves are the database's enrollment_module_totals (migrations), which the
  // completion's fast path reads as well.
  const counted = completing
    ? sql`(select lesson_id from completed where lesson_id = ${completing})`
    : sql`null::uuid`;
  return sql<ModuleTotals[]>`(
    select coalesce(json_agg(t), '[]')
    from enrollment_module_totals(${enrollment.id}, ${enrollment.course_id}, ${counted}) t)`;
}

async function readTotals(ctx: Ctx, enrollment: EnrollmentRow): Promise<ModuleTotals[]> {
  const { rows } = await sql<{ totals: ModuleTotals[] }>`
    select ${totalsJson(enrollment)} as totals`.execute(ctx.db);
  return rows[0]?.totals ?? [];
}

/**
 * Recomputes a module's and the course's figures for an enrollment from its rows: lessons
 * completed of the published total, published quizzes required for completion that count
 * (passed, or taken for kinds nobody passes or fails), time spent, percentages, last activity.
 * One statement reads the figures per module (`known`: the change's statement read them
 * already), one writes the module's row (created on first use) and the enrollment's, along
 * with `events`, the learning events of the change that led here. A module (and the course)
 * is complete when every one of its lessons and required quizzes is. Answers whether the
 * module completed just now, whether the course is complete, and the enrollment's status.
 */
async function recompute(
  ctx: Ctx,
  enrollment: EnrollmentRow,
  moduleId: string,
  events: EventInput[] = [],
  known?: ModuleTotals[],
): Promise<{ moduleCompletedNow: boolean; courseComplete: boolean; status: string }> {
  const now = ctx.clock.now();
  const e = enrollment.id;
  const totals = known ?? (await readTotals(ctx, enrollment));
  // As the database's percent_of: the rounding is of the exact quotient, half away from zero.
  const percent = (done: number, total: number) =>
    total ? Math.round((done * 10_000) / total) / 100 : 0;
  const mine = totals.find((t) => t.module_id === moduleId);
  const moduleDone = !!mine && mine.items > 0 && mine.items_done === mine.items;
  const sum = (key: "lessons" | "lessons_done" | "items" | "items_done" | "seconds") =>
    totals.reduce((n, t) => n + t[key], 0);
  // The upsert's returning subquery sees the row as it was before this statement. Events of
  // the change that led here are written by the same statement.
  const { rows } = await sql<{ before: Date | null; status: string; recorded: number }>`
    with ${events.length ? sql`${recordingEvents(ctx, events)},` : sql``}
    saved as (
      insert into module_progress as mp (enrollment_id, user_id, module_id, lessons_completed,
                                         lessons_total, time_spent_seconds, completion_percent,
                                         completed_at, started_at, unlocked_at, created_at,
                                         updated_at)
      values (${e}, ${enrollment.user_id}, ${moduleId}, ${mine?.lessons_done ?? 0},
              ${mine?.lessons ?? 0}, ${mine?.seconds ?? 0},
              ${percent(mine?.items_done ?? 0, mine?.items ?? 0)},
              ${moduleDone ? now : null}, ${now}, ${now}, ${now}, ${now})
      on conflict (enrollment_id, module_id) do update set
        lessons_completed = excluded.lessons_completed, lessons_total = excluded.lessons_total,
        time_spent_seconds = excluded.time_spent_seconds,
        completion_percent = excluded.completion_percent,
        completed_at = case when ${moduleDone} then coalesce(mp.completed_at, excluded.completed_at) end
      returning (select completed_at from module_progress
                 where enrollment_id = ${e} and module_id = ${moduleId}) as before
    ),
    updated as (
      -- A completed enrollment keeps its 100 % when lessons are added later.
      update enrollments set
        lessons_completed = ${sum("lessons_done")}, lessons_total = ${sum("lessons")},
        time_spent_seconds = ${sum("seconds")}, last_accessed_at = ${now},
        progress_percent = case when status = 'completed' then 100
                                else ${percent(sum("items_done"), sum("items"))}::numeric end
      where id = ${e}
      returning status
    )
    select (select before from saved) as before, (select status from updated) as status,
           ${events.length ? sql`(select count(*) from recorded_events)::integer` : sql`0`} as recorded`.execute(
    ctx.db,
  );
  const row = rows[0] as { before: Date | null; status: string; recorded: number };
  if (row.recorded !== events.length) await refuseUnknownEvents(ctx, events);
  return {
    moduleCompletedNow: moduleDone && !row.before,
    courseComplete: sum("items") > 0 && sum("items_done") === sum("items"),
    status: row.status,
  };
}
