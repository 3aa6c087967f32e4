import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { newId } from "../../platform/ids.js";
import { requireEnrollment } from "./access.js";
import type { Bookmark, LessonProgressRow } from "./schema.js";

/** A learner's own notes and bookmarks on a lesson (seed 002 lesson_progress.notes, bookmarks). */

export const MAX_BOOKMARKS = 200;

async function ownProgress(ctx: Ctx, lessonId: string): Promise<LessonProgressRow> {
  const lesson = await ctx.db
    .selectFrom("lessons")
    .select(["id", "course_id"])
    .where("id", "=", lessonId)
    .executeTakeFirst();
  if (!lesson) throw new AppError("NOT_FOUND", "Lesson not found");
  const enrollment = await requireEnrollment(ctx, lesson.course_id);
  const row = await ctx.db
    .selectFrom("lesson_progress")
    .selectAll()
    .where("enrollment_id", "=", enrollment.id)
    .where("lesson_id", "=", lessonId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new AppError("LESSON_NOT_STARTED", "Start the lesson first");
  return row;
}

export async function saveNotes(
  ctx: Ctx,
  lessonId: string,
  notes: string | null,
): Promise<LessonProgressRow> {
  return inTransaction(ctx, async (tx) => {
    const row = await ownProgress(tx, lessonId);
    return tx.db
      .updateTable("lesson_progress")
      .set({ notes: notes?.trim() ? notes : null })
      .where("id", "=", row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function addBookmark(
  ctx: Ctx,
  lessonId: string,
  input: { position: number; note?: string | null },
): Promise<Bookmark> {
  return inTransaction(ctx, async (tx) => {
    const row = await ownProgress(tx, lessonId);
    if (row.bookmarks.length >= MAX_BOOKMARKS)
      throw new AppError("UNPROCESSABLE", `A lesson holds at most ${MAX_BOOKMARKS} bookmarks`);
    const bookmark: Bookmark = {
      id: newId(),
      position: input.position,
      note: input.note ?? null,
      createdAt: tx.clock.now().toISOString(),
    };
    const bookmarks = [...row.bookmarks, bookmark].sort((a, b) => a.position - b.position);
    await tx.db
      .updateTable("lesson_progress")
      .set({ bookmarks: JSON.stringify(bookmarks) })
      .where("id", "=", row.id)
      .execute();
    return bookmark;
  });
}

export async function removeBookmark(
  ctx: Ctx,
  lessonId: string,
  bookmarkId: string,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await ownProgress(tx, lessonId);
    const left = row.bookmarks.filter((b) => b.id !== bookmarkId);
    if (left.length === row.bookmarks.length) throw new AppError("NOT_FOUND", "Bookmark not found");
    await tx.db
      .updateTable("lesson_progress")
      .set({ bookmarks: JSON.stringify(left) })
      .where("id", "=", row.id)
      .execute();
  });
}
