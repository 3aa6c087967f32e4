import { sql } from "kysely";
import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { notify } from "../notifications/notify.js";
import { type EnrollResult, enroll } from "./enroll.js";
import type { WaitlistRow } from "./schema.js";
import { lockCohort } from "./seats.js";

/** How long a waitlist offer stays open (seed 001: 48 hours). */
export const OFFER_TTL_MS = 48 * 3_600_000;

/**
 * Offers free seats of a cohort to the waitlist in order (seed 001 processWaitlist). An
 * offered seat is held (`reserved_count`) until it is accepted, declined or runs out; the
 * person is told in the app and by mail.
 */
export async function offerSeats(ctx: Ctx, cohortId: string): Promise<WaitlistRow[]> {
  const cohort = await lockCohort(ctx, cohortId);
  if (cohort.status !== "open" && cohort.status !== "scheduled") return [];
  const free = cohort.capacity - cohort.enrolled_count - cohort.reserved_count;
  if (free <= 0) return [];
  const now = ctx.clock.now();
  const next = await ctx.db
    .selectFrom("waitlist_entries")
    .selectAll()
    .where("cohort_id", "=", cohortId)
    .where("status", "=", "waiting")
    .orderBy("position")
    .limit(free)
    .execute();
  if (!next.length) return [];
  const offered = await ctx.db
    .updateTable("waitlist_entries")
    .set({
      status: "offered",
      offered_at: now,
      offer_expires_at: new Date(now.getTime() + OFFER_TTL_MS),
    })
    .where(
      "id",
      "in",
      next.map((n) => n.id),
    )
    .returningAll()
    .execute();
  await ctx.db
    .updateTable("cohorts")
    .set({
      reserved_count: sql`reserved_count + ${offered.length}`,
      waitlist_count: sql`greatest(waitlist_count - ${offered.length}, 0)`,
    })
    .where("id", "=", cohortId)
    .execute();
  const course = await ctx.db
    .selectFrom("courses")
    .select(["title"])
    .where("id", "=", cohort.course_id)
    .executeTakeFirstOrThrow();
  for (const entry of offered) {
    const until = entry.offer_expires_at?.toUTCString();
    await notify(ctx, {
      userId: entry.user_id,
      organizationId: entry.organization_id,
      type: "waitlist-offer",
      variables: { courseTitle: course.title, cohortName: cohort.name, heldUntil: until },
      data: { waitlistEntryId: entry.id, cohortId, courseId: cohort.course_id },
      priority: "high",
      actionPath: `/waitlist/${entry.id}`,
      expiresAt: entry.offer_expires_at,
    });
    await audit(ctx, {
      organizationId: entry.organization_id,
      action: "waitlist.offer",
      entityType: "waitlist-entry",
      entityId: entry.id,
      after: { status: "offered", offer_expires_at: entry.offer_expires_at },
    });
  }
  return offered;
}

async function lockEntry(ctx: Ctx, entryId: string, userId?: string): Promise<WaitlistRow> {
  let q = ctx.db.selectFrom("waitlist_entries").selectAll().where("id", "=", entryId);
  if (userId) q = q.where("user_id", "=", userId);
  const entry = await q.forUpdate().executeTakeFirst();
  if (!entry) throw new AppError("NOT_FOUND", "Waitlist entry not found");
  return entry;
}

/** Releases a held seat and passes it on to the next person waiting. */
async function releaseOffer(
  ctx: Ctx,
  entry: WaitlistRow,
  status: "declined" | "expired",
): Promise<void> {
  await ctx.db.updateTable("waitlist_entries").set({ status }).where("id", "=", entry.id).execute();
  await ctx.db
    .updateTable("cohorts")
    .set({ reserved_count: sql`greatest(reserved_count - 1, 0)` })
    .where("id", "=", entry.cohort_id)
    .execute();
  await audit(ctx, {
    organizationId: entry.organization_id,
    action: `waitlist.${status === "declined" ? "decline" : "expire"}`,
    entityType: "waitlist-entry",
    entityId: entry.id,
    before: { status: entry.status },
    after: { status },
  });
  await offerSeats(ctx, entry.cohort_id);
}

/** Takes an offered seat: the held seat becomes an enrollment. */
export async function acceptOffer(
  ctx: Ctx,
  entryId: string,
  userId: string,
): Promise<EnrollResult> {
  return inTransaction(ctx, async (tx) => {
    const entry = await lockEntry(tx, entryId, userId);
    if (entry.status !== "offered")
      throw new AppError("UNPROCESSABLE", `This waitlist entry is ${entry.status}, not offered`);
    if (entry.offer_expires_at && entry.offer_expires_at <= tx.clock.now()) {
      throw new AppError("OFFER_EXPIRED", "The offer ran out; the seat went to the next person");
    }
    await lockCohort(tx, entry.cohort_id);
    await tx.db
      .updateTable("cohorts")
      .set({ reserved_count: sql`greatest(reserved_count - 1, 0)` })
      .where("id", "=", entry.cohort_id)
      .execute();
    const result = await enroll(tx, {
      userId,
      courseId: entry.course_id,
      cohortId: entry.cohort_id,
      organizationId: entry.organization_id,
      source: "waitlist",
    });
    await tx.db
      .updateTable("waitlist_entries")
      .set({ status: "enrolled" })
      .where("id", "=", entry.id)
      .execute();
    await audit(tx, {
      organizationId: entry.organization_id,
      action: "waitlist.accept",
      entityType: "waitlist-entry",
      entityId: entry.id,
      before: { status: "offered" },
      after: { status: "enrolled" },
    });
    return result;
  });
}

export async function declineOffer(ctx: Ctx, entryId: string, userId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const entry = await lockEntry(tx, entryId, userId);
    if (entry.status !== "offered")
      throw new AppError("UNPROCESSABLE", `This waitlist entry is ${entry.status}, not offered`);
    await releaseOffer(tx, entry, "declined");
  });
}

/** Leaves the waitlist; an outstanding offer is passed on. */
export async function leaveWaitlist(ctx: Ctx, entryId: string, userId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const entry = await lockEntry(tx, entryId, userId);
    if (entry.status === "offered") return releaseOffer(tx, entry, "declined");
    if (entry.status !== "waiting")
      throw new AppError("UNPROCESSABLE", `This waitlist entry is ${entry.status}`);
    await tx.db
      .updateTable("waitlist_entries")
      .set({ status: "cancelled" })
      .where("id", "=", entry.id)
      .execute();
    await tx.db
      .updateTable("cohorts")
      .set({ waitlist_count: sql`greatest(waitlist_count - 1, 0)` })
      .where("id", "=", entry.cohort_id)
      .execute();
    await audit(tx, {
      organizationId: entry.organization_id,
      action: "waitlist.leave",
      entityType: "waitlist-entry",
      entityId: entry.id,
      before: { status: "waiting" },
      after: { status: "cancelled" },
    });
  });
}

/** Expires offers past their 48 hours and passes the seats on; run by the worker every minute. */
export async function expireOffers(ctx: Ctx): Promise<number> {
  const due = await ctx.db
    .selectFrom("waitlist_entries")
    .select("id")
    .where("status", "=", "offered")
    .where("offer_expires_at", "<=", ctx.clock.now())
    .orderBy("offer_expires_at")
    .limit(500)
    .execute();
  let expired = 0;
  for (const { id } of due) {
    await inTransaction(ctx, async (tx) => {
      const entry = await lockEntry(tx, id);
      if (
        entry.status !== "offered" ||
        !entry.offer_expires_at ||
        entry.offer_expires_at > tx.clock.now()
      )
        return;
      await releaseOffer(tx, entry, "expired");
      expired++;
    });
  }
  return expired;
}
