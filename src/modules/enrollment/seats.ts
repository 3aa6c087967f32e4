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

/**
 * Takes one of the seats an organization bought in a course; SEATS_EXHAUSTED when every one is
 * used or the allocation ran out, PAYMENT_REQUIRED when the organization bought none.
 */
export async function takeAllocationSeat(
  ctx: Ctx,
  organizationId: string,
  courseId: string,
): Promise<string> {
  const now = ctx.clock.now();
  const row = await ctx.db
    .updateTable("course_seat_allocations")
    .set({ seats_used: sql`seats_used + 1` })
    .where("organization_id", "=", organizationId)
    .where("course_id", "=", courseId)
    .where(sql<boolean>`seats_used < seats_purchased`)
    .where((eb) => eb.or([eb("valid_until", "is", null), eb("valid_until", ">", now)]))
    .returning("id")
    .executeTakeFirst();
  if (row) return row.id;
  const allocation = await ctx.db
    .selectFrom("course_seat_allocations")
    .select(["seats_purchased", "seats_used", "valid_until"])
    .where("organization_id", "=", organizationId)
    .where("course_id", "=", courseId)
    .executeTakeFirst();
  if (!allocation)
    throw new AppError(
      "PAYMENT_REQUIRED",
      "The organization has bought no seats in this paid course",
    );
  if (allocation.valid_until && allocation.valid_until <= now)
    throw new AppError("SEATS_EXHAUSTED", "The organization's seats in this course have expired");
  throw new AppError(
    "SEATS_EXHAUSTED",
    `All ${allocation.seats_purchased} seats the organization bought in this course are in use`,
    { details: { seatsPurchased: allocation.seats_purchased, seatsUsed: allocation.seats_used } },
  );
}

export async function releaseAllocationSeat(ctx: Ctx, allocationId: string): Promise<void> {
  await ctx.db
    .updateTable("course_seat_allocations")
    .set({ seats_used: sql`greatest(seats_used - 1, 0)` })
    .where("id", "=", allocationId)
    .execute();
}

/** Gives back every seat an enrollment holds (cohort or course, and an organization's seat). */
export async function releaseEnrollmentSeats(
  ctx: Ctx,
  enrollment: { course_id: string; cohort_id: string | null; seat_allocation_id: string | null },
): Promise<void> {
  if (enrollment.cohort_id) await releaseCohortSeat(ctx, enrollment.cohort_id);
  await countOnCourse(ctx, enrollment.course_id, -1);
  if (enrollment.seat_allocation_id)
    await releaseAllocationSeat(ctx, enrollment.seat_allocation_id);
}
