import { sql } from "kysely";
import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { paginate } from "../../platform/http/pagination.js";
import { visibleCourse } from "../catalog/policy.js";
import type { RatingRow } from "./schema.js";
import { assertCourseTeam } from "./team.js";

/**
 * Course ratings (seed 002 course_ratings): one per learner, by enrolled learners. The course's
 * average and count are recomputed from the rows while holding the course row's lock, so
 * concurrent ratings never leave them out of step.
 */

async function refreshCourseRating(ctx: Ctx, courseId: string): Promise<void> {
  await ctx.db
    .updateTable("courses")
    .set({
      rating_count: sql`(select count(*) from course_ratings where course_id = ${courseId})`,
      rating_average: sql`coalesce((select round(avg(rating)::numeric, 2) from course_ratings where course_id = ${courseId}), 0)`,
    })
    .where("id", "=", courseId)
    .execute();
}

async function lockCourse(ctx: Ctx, courseId: string): Promise<void> {
  await ctx.db.selectFrom("courses").select("id").where("id", "=", courseId).forUpdate().execute();
}

export async function rateCourse(
  ctx: Ctx,
  userId: string,
  courseId: string,
  input: { rating: number; title?: string | null; content?: string | null },
): Promise<RatingRow> {
  await visibleCourse(ctx, courseId);
  const enrollment = await ctx.db
    .selectFrom("enrollments")
    .select(["id", "status", "payment_status"])
    .where("user_id", "=", userId)
    .where("course_id", "=", courseId)
    .where("status", "in", ["active", "completed", "expired"])
    .executeTakeFirst();
  if (!enrollment) throw new AppError("NOT_ENROLLED", "Only the course's learners rate it");
  return inTransaction(ctx, async (tx) => {
    await lockCourse(tx, courseId);
    const now = tx.clock.now();
    const row = await tx.db
      .insertInto("course_ratings")
      .values({
        course_id: courseId,
        user_id: userId,
        enrollment_id: enrollment.id,
        rating: input.rating,
        review_title: input.title ?? null,
        review_content: input.content ?? null,
        is_verified_purchase: enrollment.payment_status === "completed",
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(["course_id", "user_id"]).doUpdateSet({
          rating: input.rating,
          review_title: input.title ?? null,
          review_content: input.content ?? null,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    await refreshCourseRating(tx, courseId);
    return row;
  });
}

/** A person's own rating of a course they can see, or null (the course page's rating form). */
export async function myRating(
  ctx: Ctx,
  userId: string,
  courseId: string,
): Promise<RatingRow | null> {
  const course = await visibleCourse(ctx, courseId);
  const row = await ctx.db
    .selectFrom("course_ratings")
    .selectAll()
    .where("course_id", "=", course.id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row ?? null;
}

export async function deleteMyRating(ctx: Ctx, userId: string, courseId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await lockCourse(tx, courseId);
    const gone = await tx.db
      .deleteFrom("course_ratings")
      .where("course_id", "=", courseId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    if (!gone.numDeletedRows) throw new AppError("NOT_FOUND", "You have not rated this course");
    await refreshCourseRating(tx, courseId);
  });
}

/** The instructor's public answer to a review. */
export async function respondToRating(
  ctx: Ctx,
  ratingId: string,
  response: string | null,
): Promise<RatingRow> {
  const rating = await ctx.db
    .selectFrom("course_ratings")
    .selectAll()
    .where("id", "=", ratingId)
    .executeTakeFirst();
  if (!rating) throw new AppError("NOT_FOUND", "Rating not found");
  const course = await visibleCourse(ctx, rating.course_id).catch(() => {
    throw new AppError("NOT_FOUND", "Rating not found");
  });
  await assertCourseTeam(ctx, course);
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .updateTable("course_ratings")
      .set({
        instructor_response: response,
        instructor_response_at: response ? tx.clock.now() : null,
        responded_by: response && tx.actor.kind === "user" ? tx.actor.userId : null,
      })
      .where("id", "=", ratingId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: course.organization_id,
      action: "rating.respond",
      entityType: "course-rating",
      entityId: ratingId,
      after: { instructor_response: response },
    });
    return row;
  });
}

export async function listRatings(
  ctx: Ctx,
  courseId: string,
  query: { page: number; limit: number; rating?: number },
) {
  const course = await visibleCourse(ctx, courseId);
  let q = ctx.db
    .selectFrom("course_ratings as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .selectAll("r")
    .select(["u.first_name", "u.last_name"])
    .where("r.course_id", "=", course.id);
  if (query.rating) q = q.where("r.rating", "=", query.rating);
  const page = await paginate(q, query, { column: "r.created_at", direction: "desc" }, "r.id");
  const distribution = await ctx.db
    .selectFrom("course_ratings")
    .select(["rating", (eb) => eb.fn.countAll<string>().as("n")])
    .where("course_id", "=", course.id)
    .groupBy("rating")
    .execute();
  return {
    ...page,
    summary: {
      average: Number(course.rating_average),
      count: course.rating_count,
      distribution: Object.fromEntries(
        [1, 2, 3, 4, 5].map((star) => [
          String(star),
          Number(distribution.find((d) => d.rating === star)?.n ?? 0),
        ]),
      ),
    },
  };
}
