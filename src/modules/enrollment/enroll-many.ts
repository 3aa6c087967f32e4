import { sql } from "kysely";
import { auditMany } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import type { CourseRow } from "../catalog/schema.js";
import { recordEvents, requestContext } from "../events/record.js";
import type { EnrollmentRow, EnrollmentSource } from "./schema.js";

/**
 * Many people into one self-paced course at once, as `enroll` would one at a time, for work
 * done in bulk (a compliance evaluation assigning a whole organization): the prerequisites
 * read once, the seats taken in one conditional update of the course (never past its
 * capacity), the enrollments, their audit records and learning events each written in one
 * statement, and `enrollment.created` emitted for all of them at once (`emitMany`: the webhook
 * outbox and workflows read and write per slice), all in the caller's transaction.
 *
 * Only for the plain case: the course published and self-paced, and the people holding no
 * enrollment in it (the caller sends anyone else, and anything needing a payment or a
 * cohort, through `enroll`). A person someone else enrolled meanwhile is left as they are.
 * Answers, per person, the new enrollment or the code `enroll` would have failed with.
 */
export async function enrollMany(
  ctx: Ctx,
  course: Pick<CourseRow, "id" | "organization_id" | "prerequisite_course_ids">,
  input: {
    userIds: readonly string[];
    organizationId: string | null;
    source: EnrollmentSource;
    /** Each person's due date. */
    dueAt: (userId: string) => Date | null;
    isMandatory?: boolean;
    isCompliance?: boolean;
  },
): Promise<
  Map<string, EnrollmentRow | "PREREQUISITES_NOT_MET" | "COURSE_FULL" | "ALREADY_ENROLLED">
> {
  const out = new Map<
    string,
    EnrollmentRow | "PREREQUISITES_NOT_MET" | "COURSE_FULL" | "ALREADY_ENROLLED"
  >();
  let candidates = [...new Set(input.userIds)];
  if (!candidates.length) return out;
  const now = ctx.clock.now();
  if (course.prerequisite_course_ids.length) {
    const done = await ctx.db
      .selectFrom("enrollments")
      .select(["user_id", "course_id"])
      .where("user_id", "in", candidates)
      .where("status", "=", "completed")
      .where("course_id", "in", course.prerequisite_course_ids)
      .execute();
    const have = new Map<string, Set<string>>();
    for (const d of done) have.set(d.user_id, (have.get(d.user_id) ?? new Set()).add(d.course_id));
    candidates = candidates.filter((userId) => {
      const ok = course.prerequisite_course_ids.every((id) => have.get(userId)?.has(id));
      if (!ok) out.set(userId, "PREREQUISITES_NOT_MET");
      return ok;
    });
    if (!candidates.length) return out;
  }
  // The seats: as many as the capacity leaves, in one update holding the course's row.
  const { rows: taken } = await sql<{ take: number }>`
    with c as (
      select id, least(${candidates.length}::int, greatest(coalesce(capacity - enrolled_count, ${candidates.length}::int), 0)) as take
      from courses where id = ${course.id} for update
    )
    update courses set enrolled_count = courses.enrolled_count + c.take
    from c where courses.id = c.id
    returning c.take`.execute(ctx.db);
  const seats = Number(taken[0]?.take ?? 0);
  for (const userId of candidates.slice(seats)) out.set(userId, "COURSE_FULL");
  candidates = candidates.slice(0, seats);
  if (!candidates.length) return out;
  const organizationId = course.organization_id ?? input.organizationId ?? null;
  const inserted = await ctx.db
    .insertInto("enrollments")
    .values(
      candidates.map((userId) => ({
        user_id: userId,
        course_id: course.id,
        cohort_id: null,
        organization_id: organizationId,
        status: "active" as const,
        source: input.source,
        assigned_by: null,
        due_at: input.dueAt(userId),
        is_mandatory: input.isMandatory ?? false,
        is_compliance: input.isCompliance ?? false,
        enrolled_at: now,
        progress_percent: 0,
        payment_status: "not-required" as const,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(["user_id", "course_id"]).doNothing())
    .returningAll()
    .execute();
  // Seats taken for people enrolled meanwhile go back.
  if (inserted.length < candidates.length)
    await ctx.db
      .updateTable("courses")
      .set({
        enrolled_count: sql`greatest(enrolled_count - ${candidates.length - inserted.length}, 0)`,
      })
      .where("id", "=", course.id)
      .execute();
  const byUser = new Map(inserted.map((e) => [e.user_id, e]));
  for (const userId of candidates) out.set(userId, byUser.get(userId) ?? "ALREADY_ENROLLED");
  await auditMany(
    ctx,
    inserted.map((e) => ({
      organizationId,
      action: "enrollment.create",
      entityType: "enrollment",
      entityId: e.id,
      after: {
        user_id: e.user_id,
        course_id: course.id,
        cohort_id: null,
        source: input.source,
        status: e.status,
      },
    })),
  );
  await recordEvents(
    ctx,
    inserted.map((e) => ({
      type: "enrollment-created",
      learnerId: e.user_id,
      organizationId,
      courseId: course.id,
      cohortId: null,
      enrollmentId: e.id,
      data: { source: input.source },
      context: requestContext(ctx),
    })),
  );
  await ctx.events.emitMany(
    ctx,
    "enrollment.created",
    inserted.map((e) => ({
      enrollmentId: e.id,
      userId: e.user_id,
      courseId: course.id,
      organizationId,
      source: input.source,
      status: e.status,
    })),
  );
  return out;
}
