import { sql } from "kysely";
import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { sanitizeLessonHtml } from "../catalog/lesson-content.js";
import { visibleCourse } from "../catalog/policy.js";
import type { CourseRow } from "../catalog/schema.js";
import { notifyAll } from "../notifications/notify.js";
import { accessibleEnrollment } from "../progress/access.js";
import type { AnnouncementAudience, AnnouncementPriority, AnnouncementRow } from "./schema.js";
import { assertCourseTeam, isCourseTeam } from "./team.js";

/**
 * Course announcements (seed 002 announcements, announcement_reads): written by the course team
 * for everyone enrolled, one cohort, or listed learners; shown inside a publish window; each
 * reader counted once. Learners are notified when an announcement goes live (at once, or by the
 * worker when its publish time comes).
 */

export interface AnnouncementInput {
  title: string;
  content: string;
  priority?: AnnouncementPriority;
  isPublished?: boolean;
  publishAt?: string | null;
  expiresAt?: string | null;
  audience?: AnnouncementAudience;
  cohortId?: string | null;
  userIds?: string[];
}

async function checkAudience(
  ctx: Ctx,
  course: CourseRow,
  audience: AnnouncementAudience,
  cohortId: string | null,
  userIds: string[],
) {
  if (audience === "cohort") {
    if (!cohortId)
      throw new AppError("VALIDATION_ERROR", "A cohort audience needs cohortId", {
        field: "cohortId",
      });
    const cohort = await ctx.db
      .selectFrom("cohorts")
      .select("id")
      .where("id", "=", cohortId)
      .where("course_id", "=", course.id)
      .executeTakeFirst();
    if (!cohort) throw new AppError("NOT_FOUND", "Cohort not found", { field: "cohortId" });
  }
  if (audience === "users") {
    if (!userIds.length)
      throw new AppError("VALIDATION_ERROR", "A users audience lists at least one learner", {
        field: "userIds",
      });
    const enrolled = await ctx.db
      .selectFrom("enrollments")
      .select("user_id")
      .where("course_id", "=", course.id)
      .where("user_id", "in", userIds)
      .execute();
    const missing = userIds.filter((id) => !enrolled.some((e) => e.user_id === id));
    if (missing.length)
      throw new AppError("VALIDATION_ERROR", "Announcements reach the course's learners only", {
        field: "userIds",
        details: { notEnrolled: missing },
      });
  }
}

export async function createAnnouncement(
  ctx: Ctx,
  courseId: string,
  input: AnnouncementInput,
): Promise<AnnouncementRow> {
  const course = await visibleCourse(ctx, courseId);
  await assertCourseTeam(ctx, course);
  const audience = input.audience ?? "all";
  const cohortId = audience === "cohort" ? (input.cohortId ?? null) : null;
  const userIds = audience === "users" ? [...new Set(input.userIds ?? [])] : [];
  await checkAudience(ctx, course, audience, cohortId, userIds);
  const now = ctx.clock.now();
  const publishAt = input.publishAt ? new Date(input.publishAt) : now;
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt <= publishAt)
    throw new AppError("VALIDATION_ERROR", "expiresAt must be after publishAt", {
      field: "expiresAt",
    });
  const row = await inTransaction(ctx, async (tx) => {
    const created = await tx.db
      .insertInto("announcements")
      .values({
        course_id: course.id,
        author_id: tx.actor.kind === "user" ? tx.actor.userId : null,
        title: input.title,
        content: sanitizeLessonHtml(input.content),
        priority: input.priority ?? "normal",
        is_published: input.isPublished ?? true,
        publish_at: publishAt,
        expires_at: expiresAt,
        audience,
        cohort_id: cohortId,
        user_ids: userIds,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: course.organization_id,
      action: "announcement.create",
      entityType: "announcement",
      entityId: created.id,
      after: { title: created.title, audience, publish_at: publishAt },
    });
    return created;
  });
  await deliverDueAnnouncements(ctx, row.id);
  return (await announcementById(ctx, row.id)) as AnnouncementRow;
}

async function announcementById(ctx: Ctx, id: string) {
  return ctx.db.selectFrom("announcements").selectAll().where("id", "=", id).executeTakeFirst();
}

/** An announcement whose course the actor teaches (for changes and read receipts). */
export async function announcementForTeam(ctx: Ctx, id: string): Promise<AnnouncementRow> {
  const row = await announcementById(ctx, id);
  if (!row) throw new AppError("NOT_FOUND", "Announcement not found");
  const course = await visibleCourse(ctx, row.course_id).catch(() => {
    throw new AppError("NOT_FOUND", "Announcement not found");
  });
  if (!(await isCourseTeam(ctx, course))) throw new AppError("NOT_FOUND", "Announcement not found");
  return row;
}

export async function updateAnnouncement(
  ctx: Ctx,
  id: string,
  patch: Partial<Omit<AnnouncementInput, "audience" | "cohortId" | "userIds">>,
): Promise<AnnouncementRow> {
  const before = await announcementForTeam(ctx, id);
  const publishAt = patch.publishAt ? new Date(patch.publishAt) : before.publish_at;
  const expiresAt =
    patch.expiresAt !== undefined
      ? patch.expiresAt
        ? new Date(patch.expiresAt)
        : null
      : before.expires_at;
  if (expiresAt && expiresAt <= publishAt)
    throw new AppError("VALIDATION_ERROR", "expiresAt must be after publishAt", {
      field: "expiresAt",
    });
  await ctx.db
    .updateTable("announcements")
    .set({
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.content !== undefined ? { content: sanitizeLessonHtml(patch.content) } : {}),
      ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
      ...(patch.isPublished !== undefined ? { is_published: patch.isPublished } : {}),
      publish_at: publishAt,
      expires_at: expiresAt,
    })
    .where("id", "=", id)
    .execute();
  await deliverDueAnnouncements(ctx, id);
  return (await announcementById(ctx, id)) as AnnouncementRow;
}

export async function deleteAnnouncement(ctx: Ctx, id: string): Promise<void> {
  const row = await announcementForTeam(ctx, id);
  await ctx.db.deleteFrom("announcements").where("id", "=", row.id).execute();
}

/** Whether a learner is in an announcement's audience. */
function reaches(a: AnnouncementRow, userId: string, cohortId: string | null): boolean {
  if (a.audience === "cohort") return a.cohort_id === cohortId;
  if (a.audience === "users") return a.user_ids.includes(userId);
  return true;
}

/**
 * A course's announcements. The course team sees all of them with read counts; learners see the
 * published ones inside their window that reach them, with whether they read each.
 */
export async function listAnnouncements(ctx: Ctx, courseId: string) {
  const course = await visibleCourse(ctx, courseId);
  const rows = await ctx.db
    .selectFrom("announcements")
    .selectAll()
    .where("course_id", "=", course.id)
    .orderBy("publish_at", "desc")
    .limit(500)
    .execute();
  if (await isCourseTeam(ctx, course)) return { team: true, rows, reads: new Map<string, Date>() };
  if (ctx.actor.kind !== "user")
    throw new AppError("NOT_ENROLLED", "Announcements are for the course's learners");
  const userId = ctx.actor.userId;
  const enrollment = await accessibleEnrollment(ctx, userId, course.id);
  if (!enrollment)
    throw new AppError("NOT_ENROLLED", "Announcements are for the course's learners");
  const now = ctx.clock.now();
  const visible = rows.filter(
    (a) =>
      a.is_published &&
      a.publish_at <= now &&
      (!a.expires_at || a.expires_at > now) &&
      reaches(a, userId, enrollment.cohort_id),
  );
  const reads = visible.length
    ? await ctx.db
        .selectFrom("announcement_reads")
        .select(["announcement_id", "read_at"])
        .where("user_id", "=", userId)
        .where(
          "announcement_id",
          "in",
          visible.map((a) => a.id),
        )
        .execute()
    : [];
  return {
    team: false,
    rows: visible,
    reads: new Map(reads.map((r) => [r.announcement_id, r.read_at])),
  };
}

/** A learner's read receipt; reading twice counts once. */
export async function markRead(ctx: Ctx, id: string): Promise<AnnouncementRow> {
  if (ctx.actor.kind !== "user") throw new AppError("FORBIDDEN", "Read receipts are for people");
  const userId = ctx.actor.userId;
  const row = await announcementById(ctx, id);
  if (!row) throw new AppError("NOT_FOUND", "Announcement not found");
  const enrollment = await accessibleEnrollment(ctx, userId, row.course_id);
  const now = ctx.clock.now();
  const live =
    row.is_published && row.publish_at <= now && (!row.expires_at || row.expires_at > now);
  if (!enrollment || !live || !reaches(row, userId, enrollment.cohort_id))
    throw new AppError("NOT_FOUND", "Announcement not found");
  return inTransaction(ctx, async (tx) => {
    const inserted = await tx.db
      .insertInto("announcement_reads")
      .values({ announcement_id: id, user_id: userId, read_at: now })
      .onConflict((oc) => oc.columns(["announcement_id", "user_id"]).doNothing())
      .returning("user_id")
      .executeTakeFirst();
    if (inserted)
      await tx.db
        .updateTable("announcements")
        .set({ read_count: sql`read_count + 1` })
        .where("id", "=", id)
        .execute();
    return (await announcementById(tx, id)) as AnnouncementRow;
  });
}

/** Who read an announcement, and how many it reaches. */
export async function announcementReads(ctx: Ctx, id: string) {
  const row = await announcementForTeam(ctx, id);
  const readers = await ctx.db
    .selectFrom("announcement_reads as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .select(["r.user_id", "r.read_at", "u.first_name", "u.last_name", "u.email"])
    .where("r.announcement_id", "=", id)
    .orderBy("r.read_at")
    .execute();
  const recipients = await audienceOf(ctx, row);
  return { readers, audienceSize: recipients.length };
}

async function audienceOf(ctx: Ctx, a: AnnouncementRow): Promise<string[]> {
  let q = ctx.db
    .selectFrom("enrollments")
    .select("user_id")
    .where("course_id", "=", a.course_id)
    .where("status", "in", ["active", "completed"]);
  if (a.audience === "cohort" && a.cohort_id) q = q.where("cohort_id", "=", a.cohort_id);
  if (a.audience === "users") q = q.where("user_id", "in", a.user_ids.length ? a.user_ids : [""]);
  return (await q.execute()).map((r) => r.user_id);
}

/**
 * Notifies the audience of announcements whose publish time has come, once each (all due ones,
 * or just `onlyId`). Run after every change and every minute by the worker.
 */
export async function deliverDueAnnouncements(ctx: Ctx, onlyId?: string): Promise<number> {
  let q = ctx.db
    .selectFrom("announcements")
    .select("id")
    .where("notified_at", "is", null)
    .where("is_published", "=", true)
    .where("publish_at", "<=", ctx.clock.now())
    .limit(100);
  if (onlyId) q = q.where("id", "=", onlyId);
  let delivered = 0;
  for (const { id } of await q.execute()) {
    await inTransaction(ctx, async (tx) => {
      const a = await tx.db
        .updateTable("announcements")
        .set({ notified_at: tx.clock.now() })
        .where("id", "=", id)
        .where("notified_at", "is", null)
        .returningAll()
        .executeTakeFirst();
      if (!a) return;
      if (a.expires_at && a.expires_at <= tx.clock.now()) return;
      const course = await tx.db
        .selectFrom("courses")
        .select(["title", "organization_id"])
        .where("id", "=", a.course_id)
        .executeTakeFirstOrThrow();
      await notifyAll(tx, {
        userIds: await audienceOf(tx, a),
        organizationId: course.organization_id,
        type: "announcement",
        variables: {
          courseTitle: course.title,
          announcementTitle: a.title,
          excerpt: a.content
            .replace(/<[^>]+>/g, " ")
            .replace(/\s+/g, " ")
            .trim()
            .slice(0, 280),
        },
        data: { announcementId: a.id, courseId: a.course_id },
        priority: a.priority,
        actionPath: `/courses/${a.course_id}/announcements`,
        expiresAt: a.expires_at,
      });
      delivered++;
    });
  }
  return delivered;
}
