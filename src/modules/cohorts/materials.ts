import { audit, auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { courseForChange } from "../catalog/policy.js";
import { cohortForChange } from "./cohorts.js";
import type { KitItemRow, KitItemType, RecordingRow } from "./schema.js";

export interface RecordingInput {
  title: string;
  videoUrl: string;
  durationSeconds?: number;
  moduleId?: string | null;
  recordedAt?: string | null;
}

/** Attaches a recording to a cohort, optionally to the session (module) it records. */
export async function addRecording(
  ctx: Ctx,
  cohortId: string,
  input: RecordingInput,
): Promise<RecordingRow> {
  const { cohort } = await cohortForChange(ctx, cohortId);
  if (input.moduleId) {
    const module = await ctx.db
      .selectFrom("modules")
      .select("id")
      .where("id", "=", input.moduleId)
      .where("course_id", "=", cohort.course_id)
      .executeTakeFirst();
    if (!module)
      throw new AppError("NOT_FOUND", "The session must be a module of the cohort's course", {
        field: "moduleId",
      });
  }
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .insertInto("session_recordings")
      .values({
        cohort_id: cohortId,
        module_id: input.moduleId ?? null,
        title: input.title,
        video_url: input.videoUrl,
        duration_seconds: input.durationSeconds ?? 0,
        recorded_at: input.recordedAt ? new Date(input.recordedAt) : null,
        created_at: tx.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: cohort.organization_id,
      action: "recording.create",
      entityType: "session-recording",
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

export async function deleteRecording(ctx: Ctx, recordingId: string): Promise<void> {
  const row = await ctx.db
    .selectFrom("session_recordings")
    .selectAll()
    .where("id", "=", recordingId)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", "Recording not found");
  const { cohort } = await cohortForChange(ctx, row.cohort_id);
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom("session_recordings").where("id", "=", recordingId).execute();
    await audit(tx, {
      organizationId: cohort.organization_id,
      action: "recording.delete",
      entityType: "session-recording",
      entityId: recordingId,
      before: row,
    });
  });
}

export interface KitItemInput {
  title: string;
  type: KitItemType;
  url: string;
  description?: string | null;
  position?: number;
}

export async function addKitItem(
  ctx: Ctx,
  courseId: string,
  input: KitItemInput,
): Promise<KitItemRow> {
  const course = await courseForChange(ctx, courseId);
  return inTransaction(ctx, async (tx) => {
    const last = await tx.db
      .selectFrom("kit_items")
      .select((eb) => eb.fn.coalesce(eb.fn.max("position"), eb.lit(0)).as("p"))
      .where("course_id", "=", courseId)
      .executeTakeFirstOrThrow();
    const row = await tx.db
      .insertInto("kit_items")
      .values({
        course_id: courseId,
        title: input.title,
        type: input.type,
        url: input.url,
        description: input.description ?? null,
        position: input.position ?? Number(last.p) + 1,
        created_at: tx.clock.now(),
        updated_at: tx.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: course.organization_id,
      action: "kit-item.create",
      entityType: "kit-item",
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

/** Changes a kit item's title, type, address, description or place in the kit. */
export async function updateKitItem(
  ctx: Ctx,
  kitItemId: string,
  patch: Partial<KitItemInput>,
): Promise<KitItemRow> {
  const before = await ctx.db
    .selectFrom("kit_items")
    .selectAll()
    .where("id", "=", kitItemId)
    .executeTakeFirst();
  if (!before) throw new AppError("NOT_FOUND", "Kit item not found");
  const course = await courseForChange(ctx, before.course_id);
  return inTransaction(ctx, async (tx) => {
    const after = await tx.db
      .updateTable("kit_items")
      .set({
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.type !== undefined ? { type: patch.type } : {}),
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.position !== undefined ? { position: patch.position } : {}),
      })
      .where("id", "=", kitItemId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditUpdate(tx, {
      organizationId: course.organization_id,
      action: "kit-item.update",
      entityType: "kit-item",
      entityId: kitItemId,
      before,
      after,
    });
    return after;
  });
}

export async function deleteKitItem(ctx: Ctx, kitItemId: string): Promise<void> {
  const row = await ctx.db
    .selectFrom("kit_items")
    .selectAll()
    .where("id", "=", kitItemId)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", "Kit item not found");
  const course = await courseForChange(ctx, row.course_id);
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom("kit_items").where("id", "=", kitItemId).execute();
    await audit(tx, {
      organizationId: course.organization_id,
      action: "kit-item.delete",
      entityType: "kit-item",
      entityId: kitItemId,
      before: row,
    });
  });
}
