import { audit, auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError, isUniqueViolation } from "../../platform/http/errors.js";
import { visibleCourse } from "../catalog/policy.js";
import type { SeatAllocationRow } from "./schema.js";

/**
 * Seats an organization bought in a course (seed 001 B2B seat allocation, priced per seat).
 * Platform administrators record a purchase; the organization's administrators and managers
 * then assign the course to members, each assignment using one seat.
 */

export async function listAllocations(
  ctx: Ctx,
  organizationId: string,
): Promise<Array<SeatAllocationRow & { course_title: string; course_code: string }>> {
  return ctx.db
    .selectFrom("course_seat_allocations as a")
    .innerJoin("courses as c", "c.id", "a.course_id")
    .selectAll("a")
    .select(["c.title as course_title", "c.code as course_code"])
    .where("a.organization_id", "=", organizationId)
    .orderBy("c.title")
    .execute();
}

export async function createAllocation(
  ctx: Ctx,
  organizationId: string,
  input: {
    courseId: string;
    seats: number;
    unitPrice?: number | null;
    currency?: string | null;
    invoiceReference?: string | null;
    validUntil?: string | null;
  },
): Promise<SeatAllocationRow> {
  const course = await visibleCourse(ctx, input.courseId);
  if (course.organization_id && course.organization_id !== organizationId)
    throw new AppError("NOT_FOUND", "Course not found", { field: "courseId" });
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx) => {
    let row: SeatAllocationRow;
    try {
      row = await tx.db
        .insertInto("course_seat_allocations")
        .values({
          organization_id: organizationId,
          course_id: course.id,
          seats_purchased: input.seats,
          unit_price: input.unitPrice ?? null,
          currency: input.currency ?? (input.unitPrice != null ? course.currency : null),
          invoice_reference: input.invoiceReference ?? null,
          valid_until: input.validUntil ? new Date(input.validUntil) : null,
          created_by: tx.actor.kind === "user" ? tx.actor.userId : null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError(
          "ALREADY_EXISTS",
          "The organization already has seats in this course; change that allocation",
          { field: "courseId" },
        );
      throw error;
    }
    await audit(tx, {
      organizationId,
      action: "seat-allocation.create",
      entityType: "seat-allocation",
      entityId: row.id,
      after: { course_id: course.id, seats_purchased: row.seats_purchased },
    });
    return row;
  });
}

export async function updateAllocation(
  ctx: Ctx,
  organizationId: string,
  allocationId: string,
  patch: { seats?: number; invoiceReference?: string | null; validUntil?: string | null },
): Promise<SeatAllocationRow> {
  return inTransaction(ctx, async (tx) => {
    const before = await tx.db
      .selectFrom("course_seat_allocations")
      .selectAll()
      .where("id", "=", allocationId)
      .where("organization_id", "=", organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new AppError("NOT_FOUND", "Seat allocation not found");
    if (patch.seats !== undefined && patch.seats < before.seats_used)
      throw new AppError(
        "UNPROCESSABLE",
        `${before.seats_used} seats are in use; the allocation cannot go below that`,
        { field: "seats", details: { seatsUsed: before.seats_used } },
      );
    const row = await tx.db
      .updateTable("course_seat_allocations")
      .set({
        ...(patch.seats !== undefined ? { seats_purchased: patch.seats } : {}),
        ...(patch.invoiceReference !== undefined
          ? { invoice_reference: patch.invoiceReference }
          : {}),
        ...(patch.validUntil !== undefined
          ? { valid_until: patch.validUntil ? new Date(patch.validUntil) : null }
          : {}),
      })
      .where("id", "=", allocationId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditUpdate(tx, {
      organizationId,
      action: "seat-allocation.update",
      entityType: "seat-allocation",
      entityId: allocationId,
      before,
      after: row,
    });
    return row;
  });
}
