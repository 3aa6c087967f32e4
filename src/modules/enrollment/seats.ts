import { sql } from "kysely";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import type { CohortRow } from "../cohorts/schema.js";

/**
 * Seat accounting. Every change is a conditional UPDATE on the cohort (or course) row, so
 * the row lock serializes concurrent enrollments and capacity is never exceeded:
 * `enrolled_count + reserved_count <= capacity` also holds as a database constraint.
 */

/** Takes a cohort seat; false when the cohort is full (seats held for waitlist offers count). */
export async function takeCohortSeat(ctx: Ctx, cohortId: string): Promise<boolean> {
  const row = await ctx.db
    .updateTable("cohorts")
    .set({ enrolled_count: sql`enrolled_count + 1` })
    .where("id", "=", cohortId)
    .where(sql<boolean>`enrolled_count + reserved_count < capacity`)
    .returning("id")
    .executeTakeFirst();
  return !!row;
}

export async function releaseCohortSeat(ctx: Ctx, cohortId: string): Promise<void> {
  await ctx.db
    .updateTable("cohorts")
    .set({ enrolled_count: sql`greatest(enrolled_count - 1, 0)` })
    .where("id", "=", cohortId)
    .execute();
}

/** Takes a seat of a self-paced course with a capacity; false when it is full. */
export async function takeCourseSeat(ctx: Ctx, courseId: string): Promise<boolean> {
  const row = await ctx.db
    .updateTable("courses")
    .set({ enrolled_count: sql`enrolled_count + 1` })
    .where("id", "=", courseId)
    .where((eb) =>
      eb.or([eb("capacity", "is", null), eb("enrolled_count", "<", eb.ref("capacity"))]),
    )
    .returning("id")
    .executeTakeFirst();
  return !!row;
}

/** Counts a cohort enrollment on its course (cohort courses' capacity lives on the cohort). */
export async function countOnCourse(ctx: Ctx, courseId: string, delta: 1 | -1): Promise<void> {
  await ctx.db
    .updateTable("courses")
    .set({ enrolled_count: sql`greatest(enrolled_count + ${delta}, 0)` })
    .where("id", "=", courseId)
    .execute();
}

/** Locks a cohort row for the rest of the transaction and returns it. */
export async function lockCohort(ctx: Ctx, cohortId: string): Promise<CohortRow> {
  const cohort = await ctx.db
    .selectFrom("cohorts")
    .selectAll()
    .where("id", "=", cohortId)
    .forUpdate()
    .executeTakeFirst();
  if (!cohort) throw new AppError("NOT_FOUND", "Cohort not found", { field: "cohortId" });
  return cohort;
}
