import { sql } from "kysely";
import { audit, auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { refreshCourseDuration } from "./courses.js";
import { prepareContent } from "./lesson-content.js";
import { courseForChange, visibleCourse } from "./policy.js";
import type {
  CourseRow,
  LessonRow,
  LessonType,
  ModuleRow,
  SessionType,
  UnlockType,
} from "./schema.js";

export interface ModuleInput {
  title: string;
  description?: string | null;
  isPublished?: boolean;
  unlockType?: UnlockType;
  unlockAt?: string | null;
  prerequisiteModuleIds?: string[];
  estimatedDurationMinutes?: number | null;
  sessionType?: SessionType | null;
  dayNumber?: number | null;
  orderInDay?: number | null;
  outcomes?: string[];
}

function moduleColumns(input: Partial<ModuleInput>) {
  return {
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.isPublished !== undefined ? { is_published: input.isPublished } : {}),
    ...(input.unlockType !== undefined ? { unlock_type: input.unlockType } : {}),
    ...(input.unlockAt !== undefined
      ? { unlock_at: input.unlockAt ? new Date(input.unlockAt) : null }
      : {}),
    ...(input.prerequisiteModuleIds !== undefined
      ? { prerequisite_module_ids: input.prerequisiteModuleIds }
      : {}),
    ...(input.estimatedDurationMinutes !== undefined
      ? { estimated_duration_minutes: input.estimatedDurationMinutes }
      : {}),
    ...(input.sessionType !== undefined ? { session_type: input.sessionType } : {}),
    ...(input.dayNumber !== undefined ? { day_number: input.dayNumber } : {}),
    ...(input.orderInDay !== undefined ? { order_in_day: input.orderInDay } : {}),
    ...(input.outcomes !== undefined ? { outcomes: input.outcomes } : {}),
  };
}

async function validateModule(
  ctx: Ctx,
  course: CourseRow,
  input: Partial<ModuleInput>,
  selfId?: string,
) {
  if (input.unlockType === "scheduled" && !input.unlockAt) {
    throw new AppError("VALIDATION_ERROR", "Scheduled modules need unlockAt", {
      field: "unlockAt",
    });
  }
  if (input.prerequisiteModuleIds?.length) {
    if (selfId && input.prerequisiteModuleIds.includes(selfId)) {
      throw new AppError("VALIDATION_ERROR", "A module cannot be its own prerequisite", {
        field: "prerequisiteModuleIds",
      });
    }
    const found = await ctx.db
      .selectFrom("modules")
      .select("id")
      .where("course_id", "=", course.id)
      .where("id", "in", input.prerequisiteModuleIds)
      .execute();
    if (found.length !== new Set(input.prerequisiteModuleIds).size) {
      throw new AppError("NOT_FOUND", "Prerequisite modules must belong to the same course", {
        field: "prerequisiteModuleIds",
      });
    }
  }
  if (input.title) {
    let q = ctx.db
      .selectFrom("modules")
      .select("id")
      .where("course_id", "=", course.id)
      .where(sql`lower(title)`, "=", input.title.toLowerCase());
    if (selfId) q = q.where("id", "!=", selfId);
    if (await q.executeTakeFirst())
      throw new AppError("ALREADY_EXISTS", "This course already has a module with this title", {
        field: "title",
      });
  }
}

/** Adds a module at the end of a course (seed 002 §Create Module). */
export async function createModule(
  ctx: Ctx,
  courseId: string,
  input: ModuleInput,
): Promise<ModuleRow> {
  const course = await courseForChange(ctx, courseId);
  if (course.status === "archived")
    throw new AppError("UNPROCESSABLE", "Archived courses cannot change; unarchive first");
  await validateModule(ctx, course, input);
  return inTransaction(ctx, async (tx) => {
    await sql`select id from courses where id = ${courseId} for update`.execute(tx.db);
    const next = await tx.db
      .selectFrom("modules")
      .select((eb) => eb.fn.coalesce(eb.fn.max("position"), eb.lit(0)).as("p"))
      .where("course_id", "=", courseId)
      .executeTakeFirstOrThrow();
    const row = await tx.db
      .insertInto("modules")
      .values({
        ...moduleColumns(input),
        title: input.title,
        course_id: courseId,
        position: Number(next.p) + 1,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: course.organization_id,
      action: "module.create",
      entityType: "module",
      entityId: row.id,
      after: row,
    });
    await refreshCourseDuration(tx, courseId);
    return row;
  });
}

/** Loads a module and its course; `change` also checks the actor may edit the course. */
export async function moduleWithCourse(
  ctx: Ctx,
  moduleId: string,
  change = true,
): Promise<{ module: ModuleRow; course: CourseRow }> {
  const module = await ctx.db
    .selectFrom("modules")
    .selectAll()
    .where("id", "=", moduleId)
    .executeTakeFirst();
  if (!module) throw new AppError("NOT_FOUND", "Module not found");
  const course = change
    ? await courseForChange(ctx, module.course_id)
    : await visibleCourse(ctx, module.course_id);
  return { module, course };
}

export async function updateModule(
  ctx: Ctx,
  moduleId: string,
  patch: Partial<ModuleInput>,
): Promise<ModuleRow> {
  const { module, course } = await moduleWithCourse(ctx, moduleId);
  await validateModule(
    ctx,
    course,
    {
      ...patch,
      unlockAt: patch.unlockAt ?? module.unlock_at?.toISOString() ?? null,
      unlockType: patch.unlockType ?? module.unlock_type,
    },
    moduleId,
  );
  return inTransaction(ctx, async (tx) => {
    const after = await tx.db
      .updateTable("modules")
      .set(moduleColumns(patch))
      .where("id", "=", moduleId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditUpdate(tx, {
      organizationId: course.organization_id,
      action: "module.update",
      entityType: "module",
      entityId: moduleId,
      before: module,
      after,
    });
    await refreshCourseDuration(tx, course.id);
    return after;
  });
}

/**
 * Deletes a module. Modules that waited for it stop waiting (a rule naming a module that is gone
 * would lock them for every learner for good); one left waiting for nothing opens at once.
 */
export async function deleteModule(ctx: Ctx, moduleId: string): Promise<void> {
  const { module, course } = await moduleWithCourse(ctx, moduleId);
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom("modules").where("id", "=", moduleId).execute();
    await closeGaps(tx, "modules", "course_id", course.id);
    const waiting = await tx.db
      .selectFrom("modules")
      .selectAll()
      .where("course_id", "=", course.id)
      .where(sql<boolean>`${moduleId} = any(prerequisite_module_ids)`)
      .forUpdate()
      .execute();
    for (const before of waiting) {
      const rest = before.prerequisite_module_ids.filter((id) => id !== moduleId);
      const after = await tx.db
        .updateTable("modules")
        .set({
          prerequisite_module_ids: rest,
          ...(rest.length === 0 && before.unlock_type === "prerequisites"
            ? { unlock_type: "immediate" as const }
            : {}),
        })
        .where("id", "=", before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await auditUpdate(tx, {
        organizationId: course.organization_id,
        action: "module.update",
        entityType: "module",
        entityId: before.id,
        before,
        after,
      });
    }
    await audit(tx, {
      organizationId: course.organization_id,
      action: "module.delete",
      entityType: "module",
      entityId: moduleId,
      before: module,
    });
    await refreshCourseDuration(tx, course.id);
  });
}

/** Renumbers positions 1…n in their current order after a removal. */
async function closeGaps(
  ctx: Ctx,
  table: "modules" | "lessons",
  parent: "course_id" | "module_id",
  parentId: string,
) {
  await sql`set constraints all deferred`.execute(ctx.db);
  await sql`
    update ${sql.table(table)} t set position = r.n
    from (select id, row_number() over (order by position) as n from ${sql.table(table)} where ${sql.ref(parent)} = ${parentId}) r
    where t.id = r.id and t.position <> r.n`.execute(ctx.db);
}

/** Puts a parent's children in the given order; the list must name each child exactly once. */
async function reorder(
  ctx: Ctx,
  table: "modules" | "lessons",
  parent: "course_id" | "module_id",
  parentId: string,
  ids: string[],
) {
  const current = (
    await sql<{
      id: string;
    }>`select id from ${sql.table(table)} where ${sql.ref(parent)} = ${parentId}`.execute(ctx.db)
  ).rows.map((r) => r.id);
  if (
    ids.length !== current.length ||
    new Set(ids).size !== ids.length ||
    !ids.every((id) => current.includes(id))
  ) {
    throw new AppError(
      "VALIDATION_ERROR",
      `List every ${table === "modules" ? "module" : "lesson"} exactly once`,
      {
        field: table === "modules" ? "moduleIds" : "lessonIds",
        details: { expected: current.length },
      },
    );
  }
  await sql`set constraints all deferred`.execute(ctx.db);
  for (const [index, id] of ids.entries()) {
    await sql`update ${sql.table(table)} set position = ${index + 1} where id = ${id}`.execute(
      ctx.db,
    );
  }
}

export async function reorderModules(
  ctx: Ctx,
  courseId: string,
  moduleIds: string[],
): Promise<void> {
  const course = await courseForChange(ctx, courseId);
  await inTransaction(ctx, async (tx) => {
    await reorder(tx, "modules", "course_id", courseId, moduleIds);
    await audit(tx, {
      organizationId: course.organization_id,
      action: "module.reorder",
      entityType: "course",
      entityId: courseId,
      after: { moduleIds },
    });
  });
}

export interface LessonInput {
  title: string;
  description?: string | null;
  contentType: LessonType;
  content: unknown;
  durationMinutes?: number;
  minTimeSeconds?: number;
  isPreview?: boolean;
  isPublished?: boolean;
  allowComments?: boolean;
  attachments?: Array<{ name: string; url: string; sizeBytes?: number; mimeType?: string }>;
  transcript?: string | null;
}

function lessonColumns(
  input: Partial<LessonInput>,
  prepared?: { content: Record<string, unknown>; minutes: number | null },
) {
  return {
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.contentType !== undefined ? { content_type: input.contentType } : {}),
    ...(prepared ? { content: JSON.stringify(prepared.content) } : {}),
    ...(input.durationMinutes !== undefined
      ? { duration_minutes: input.durationMinutes }
      : prepared?.minutes !== null && prepared?.minutes !== undefined
        ? { duration_minutes: prepared.minutes }
        : {}),
    ...(input.minTimeSeconds !== undefined ? { min_time_seconds: input.minTimeSeconds } : {}),
    ...(input.isPreview !== undefined ? { is_preview: input.isPreview } : {}),
    ...(input.isPublished !== undefined ? { is_published: input.isPublished } : {}),
    ...(input.allowComments !== undefined ? { allow_comments: input.allowComments } : {}),
    ...(input.attachments !== undefined ? { attachments: JSON.stringify(input.attachments) } : {}),
    ...(input.transcript !== undefined ? { transcript: input.transcript } : {}),
  };
}

function prepare(type: LessonType, content: unknown) {
  try {
    return prepareContent(type, content);
  } catch (error) {
    const issue = (error as { issues?: Array<{ path: PropertyKey[]; message: string }> })
      .issues?.[0];
    throw new AppError(
      "VALIDATION_ERROR",
      `content${issue?.path.length ? `.${issue.path.join(".")}` : ""}: ${issue?.message ?? "invalid"}`,
      {
        field: `content${issue?.path.length ? `.${issue.path.join(".")}` : ""}`,
        details: { contentType: type },
      },
    );
  }
}

/** Adds a lesson at the end of a module; text is sanitized and timed (seed 002 §Create Lesson). */
export async function createLesson(
  ctx: Ctx,
  moduleId: string,
  input: LessonInput,
): Promise<LessonRow> {
  const { course } = await moduleWithCourse(ctx, moduleId);
  const prepared = prepare(input.contentType, input.content);
  return inTransaction(ctx, async (tx) => {
    await sql`select id from modules where id = ${moduleId} for update`.execute(tx.db);
    const next = await tx.db
      .selectFrom("lessons")
      .select((eb) => eb.fn.coalesce(eb.fn.max("position"), eb.lit(0)).as("p"))
      .where("module_id", "=", moduleId)
      .executeTakeFirstOrThrow();
    const row = await tx.db
      .insertInto("lessons")
      .values({
        ...lessonColumns(input, prepared),
        title: input.title,
        content_type: input.contentType,
        content: JSON.stringify(prepared.content),
        module_id: moduleId,
        course_id: course.id,
        position: Number(next.p) + 1,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: course.organization_id,
      action: "lesson.create",
      entityType: "lesson",
      entityId: row.id,
      after: row,
    });
    await refreshCourseDuration(tx, course.id);
    return row;
  });
}

export async function lessonWithCourse(
  ctx: Ctx,
  lessonId: string,
  change = true,
): Promise<{ lesson: LessonRow; course: CourseRow }> {
  const lesson = await ctx.db
    .selectFrom("lessons")
    .selectAll()
    .where("id", "=", lessonId)
    .executeTakeFirst();
  if (!lesson) throw new AppError("NOT_FOUND", "Lesson not found");
  const course = change
    ? await courseForChange(ctx, lesson.course_id)
    : await visibleCourse(ctx, lesson.course_id);
  return { lesson, course };
}

export async function updateLesson(
  ctx: Ctx,
  lessonId: string,
  patch: Partial<LessonInput>,
): Promise<LessonRow> {
  const { lesson, course } = await lessonWithCourse(ctx, lessonId);
  const type = patch.contentType ?? lesson.content_type;
  if (
    patch.contentType &&
    patch.contentType !== lesson.content_type &&
    patch.content === undefined
  ) {
    throw new AppError("VALIDATION_ERROR", "Changing the lesson type needs new content", {
      field: "content",
    });
  }
  const prepared = patch.content !== undefined ? prepare(type, patch.content) : undefined;
  return inTransaction(ctx, async (tx) => {
    const after = await tx.db
      .updateTable("lessons")
      .set(lessonColumns(patch, prepared))
      .where("id", "=", lessonId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditUpdate(tx, {
      organizationId: course.organization_id,
      action: "lesson.update",
      entityType: "lesson",
      entityId: lessonId,
      before: lesson,
      after,
    });
    await refreshCourseDuration(tx, course.id);
    return after;
  });
}

export async function deleteLesson(ctx: Ctx, lessonId: string): Promise<void> {
  const { lesson, course } = await lessonWithCourse(ctx, lessonId);
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom("lessons").where("id", "=", lessonId).execute();
    await closeGaps(tx, "lessons", "module_id", lesson.module_id);
    await audit(tx, {
      organizationId: course.organization_id,
      action: "lesson.delete",
      entityType: "lesson",
      entityId: lessonId,
      before: lesson,
    });
    await refreshCourseDuration(tx, course.id);
  });
}

export async function reorderLessons(
  ctx: Ctx,
  moduleId: string,
  lessonIds: string[],
): Promise<void> {
  const { course } = await moduleWithCourse(ctx, moduleId);
  await inTransaction(ctx, async (tx) => {
    await reorder(tx, "lessons", "module_id", moduleId, lessonIds);
    await audit(tx, {
      organizationId: course.organization_id,
      action: "lesson.reorder",
      entityType: "module",
      entityId: moduleId,
      after: { lessonIds },
    });
  });
}

/** A course's modules with their lessons, in order; unpublished ones only for its editors. */
export async function courseOutline(ctx: Ctx, courseId: string, includeUnpublished: boolean) {
  let modules = ctx.db
    .selectFrom("modules")
    .selectAll()
    .where("course_id", "=", courseId)
    .orderBy("position");
  let lessons = ctx.db
    .selectFrom("lessons")
    .selectAll()
    .where("course_id", "=", courseId)
    .orderBy("position");
  if (!includeUnpublished) {
    modules = modules.where("is_published", "=", true);
    lessons = lessons.where("is_published", "=", true);
  }
  const [m, l] = await Promise.all([modules.execute(), lessons.execute()]);
  return m.map((module) => ({
    module,
    lessons: l.filter((lesson) => lesson.module_id === module.id),
  }));
}
