import { randomInt } from "node:crypto";
import { sql } from "kysely";
import { audit, auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError, isUniqueViolation } from "../../platform/http/errors.js";
import { authorize } from "../../platform/policy/engine.js";
import { courseTeam, visibleCourse } from "../catalog/policy.js";
import type { CourseRow } from "../catalog/schema.js";
import { type EnrollResult, enroll } from "./enroll.js";
import type { AccessCodeRow } from "./schema.js";

/**
 * Access codes (seed 002 access_codes): a code opens a course (or one cohort of it) to whoever
 * holds it, within a validity window and up to a number of uses. Codes are case-insensitive
 * and stored upper-case; a use is counted in the same transaction as the enrollment it makes.
 */

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A readable random code (no 0/O or 1/I), e.g. `K7QX-M2PD-9WTA`. */
export function generateCode(): string {
  const group = () =>
    Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return `${group()}-${group()}-${group()}`;
}

export function normalizeCode(code: string): string {
  return code.trim().toUpperCase().replace(/\s+/g, "-");
}

/** A course whose codes the actor may manage: its team with the ability, or organization staff. */
async function courseForCodes(ctx: Ctx, courseId: string): Promise<CourseRow> {
  const course = await visibleCourse(ctx, courseId);
  const team = await courseTeam(ctx, course);
  authorize(await ctx.actor.access(), "access-codes:manage", {
    organizationId: course.organization_id,
    ownerId: team.instructorId,
    assigneeIds: [team.instructorId, ...team.staff],
  });
  return course;
}

export interface AccessCodeInput {
  code?: string;
  cohortId?: string | null;
  description?: string | null;
  maxUses?: number | null;
  validFrom?: string | null;
  validUntil?: string | null;
}

export async function createAccessCode(
  ctx: Ctx,
  courseId: string,
  input: AccessCodeInput,
): Promise<AccessCodeRow> {
  const course = await courseForCodes(ctx, courseId);
  if (input.cohortId) {
    const cohort = await ctx.db
      .selectFrom("cohorts")
      .select("id")
      .where("id", "=", input.cohortId)
      .where("course_id", "=", course.id)
      .executeTakeFirst();
    if (!cohort) throw new AppError("NOT_FOUND", "Cohort not found", { field: "cohortId" });
  }
  const now = ctx.clock.now();
  const validFrom = input.validFrom ? new Date(input.validFrom) : now;
  const validUntil = input.validUntil ? new Date(input.validUntil) : null;
  if (validUntil && validUntil <= validFrom)
    throw new AppError("VALIDATION_ERROR", "validUntil must be after validFrom", {
      field: "validUntil",
    });
  return inTransaction(ctx, async (tx) => {
    let row: AccessCodeRow;
    try {
      row = await tx.db
        .insertInto("access_codes")
        .values({
          course_id: course.id,
          cohort_id: input.cohortId ?? null,
          organization_id: course.organization_id,
          code: input.code ? normalizeCode(input.code) : generateCode(),
          description: input.description ?? null,
          max_uses: input.maxUses ?? null,
          valid_from: validFrom,
          valid_until: validUntil,
          created_by: tx.actor.kind === "user" ? tx.actor.userId : null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError("CODE_TAKEN", "Another access code already uses this code", {
          field: "code",
        });
      throw error;
    }
    await audit(tx, {
      organizationId: course.organization_id,
      action: "access-code.create",
      entityType: "access-code",
      entityId: row.id,
      after: { course_id: course.id, max_uses: row.max_uses, valid_until: row.valid_until },
    });
    return row;
  });
}

export async function listAccessCodes(ctx: Ctx, courseId: string): Promise<AccessCodeRow[]> {
  const course = await courseForCodes(ctx, courseId);
  return ctx.db
    .selectFrom("access_codes")
    .selectAll()
    .where("course_id", "=", course.id)
    .orderBy("created_at", "desc")
    .execute();
}

export async function updateAccessCode(
  ctx: Ctx,
  codeId: string,
  patch: {
    description?: string | null;
    maxUses?: number | null;
    validUntil?: string | null;
    isActive?: boolean;
  },
): Promise<AccessCodeRow> {
  const existing = await ctx.db
    .selectFrom("access_codes")
    .selectAll()
    .where("id", "=", codeId)
    .executeTakeFirst();
  if (!existing) throw new AppError("NOT_FOUND", "Access code not found");
  const course = await courseForCodes(ctx, existing.course_id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND")
      throw new AppError("NOT_FOUND", "Access code not found");
    throw error;
  });
  if (patch.maxUses !== undefined && patch.maxUses !== null && patch.maxUses < existing.used_count)
    throw new AppError(
      "UNPROCESSABLE",
      `The code was already used ${existing.used_count} times; maxUses cannot go below that`,
      { field: "maxUses", details: { usedCount: existing.used_count } },
    );
  if (patch.validUntil && new Date(patch.validUntil) <= existing.valid_from)
    throw new AppError("VALIDATION_ERROR", "validUntil must be after validFrom", {
      field: "validUntil",
    });
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .updateTable("access_codes")
      .set({
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.maxUses !== undefined ? { max_uses: patch.maxUses } : {}),
        ...(patch.validUntil !== undefined
          ? { valid_until: patch.validUntil ? new Date(patch.validUntil) : null }
          : {}),
        ...(patch.isActive !== undefined ? { is_active: patch.isActive } : {}),
      })
      .where("id", "=", codeId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditUpdate(tx, {
      organizationId: course.organization_id,
      action: "access-code.update",
      entityType: "access-code",
      entityId: codeId,
      before: existing,
      after: row,
    });
    return row;
  });
}

/**
 * Redeems a code: counts one use (refused once `max_uses` is reached, so a code is never
 * over-used under concurrency) and enrolls the holder, whatever the course's enrollment type.
 * A full cohort refuses, and the use is not counted.
 */
export async function redeemAccessCode(
  ctx: Ctx,
  userId: string,
  input: { code: string; cohortId?: string | null },
): Promise<EnrollResult> {
  const code = normalizeCode(input.code);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const row = await tx.db
      .updateTable("access_codes")
      .set({ used_count: sql`used_count + 1` })
      .where("code", "=", code)
      .where("is_active", "=", true)
      .where("valid_from", "<=", now)
      .where((eb) => eb.or([eb("valid_until", "is", null), eb("valid_until", ">", now)]))
      .where((eb) => eb.or([eb("max_uses", "is", null), eb("used_count", "<", eb.ref("max_uses"))]))
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      const found = await tx.db
        .selectFrom("access_codes")
        .selectAll()
        .where("code", "=", code)
        .executeTakeFirst();
      if (found?.is_active && found.max_uses !== null && found.used_count >= found.max_uses)
        throw new AppError("ACCESS_CODE_EXHAUSTED", "This access code has been used up", {
          field: "code",
        });
      const reason = !found
        ? "unknown"
        : !found.is_active
          ? "inactive"
          : found.valid_from > now
            ? "not-yet-valid"
            : "expired";
      throw new AppError("ACCESS_CODE_INVALID", "This access code is not valid", {
        field: "code",
        details: { reason },
      });
    }
    // A code for one organization's private course only works for its members.
    const course = await tx.db
      .selectFrom("courses")
      .select(["id", "organization_id", "delivery"])
      .where("id", "=", row.course_id)
      .executeTakeFirstOrThrow();
    if (course.organization_id) {
      const member = await tx.db
        .selectFrom("organization_members")
        .select("id")
        .where("organization_id", "=", course.organization_id)
        .where("user_id", "=", userId)
        .where("status", "=", "active")
        .executeTakeFirst();
      if (!member)
        throw new AppError("ACCESS_CODE_INVALID", "This access code is not valid", {
          field: "code",
          details: { reason: "unknown" },
        });
    }
    const cohortId = row.cohort_id ?? input.cohortId ?? null;
    if (row.cohort_id && input.cohortId && input.cohortId !== row.cohort_id)
      throw new AppError("VALIDATION_ERROR", "This code is for another cohort", {
        field: "cohortId",
      });
    return enroll(tx, {
      userId,
      courseId: row.course_id,
      cohortId,
      source: "access-code",
      accessCodeId: row.id,
      waitlist: false,
    });
  });
}
