import { likePattern } from "../../db/values.js";
import type { Ctx } from "../../platform/context.js";
import { paginate } from "../../platform/http/pagination.js";
import { type ActorAccess, can } from "../../platform/policy/engine.js";
import { restrictedSql } from "../access/learner-privacy.js";
import { courseTeam, visibleCourse } from "../catalog/policy.js";
import { memberVisibility, visibleMembersWhere } from "../organizations/visibility.js";
import type { EnrollmentStatus } from "./schema.js";

function base(ctx: Ctx) {
  return ctx.db
    .selectFrom("enrollments as e")
    .innerJoin("users as u", "u.id", "e.user_id")
    .innerJoin("courses as c", "c.id", "e.course_id")
    .leftJoin("cohorts as h", "h.id", "e.cohort_id")
    .selectAll("e")
    .select([
      "u.email",
      "u.first_name",
      "u.last_name",
      "c.title as course_title",
      "c.code as course_code",
      "c.slug as course_slug",
      "h.name as cohort_name",
    ]);
}

export type EnrollmentView = Awaited<ReturnType<ReturnType<typeof base>["execute"]>>[number];

/** The signed-in learner's enrollments, newest first. */
export async function myEnrollments(
  ctx: Ctx,
  userId: string,
  query: { page: number; limit: number; status?: EnrollmentStatus },
) {
  let q = base(ctx).where("e.user_id", "=", userId);
  if (query.status) q = q.where("e.status", "=", query.status);
  return paginate(q, query, { column: "e.enrolled_at", direction: "desc" }, "e.id");
}

export interface RosterQuery {
  page: number;
  limit: number;
  status?: EnrollmentStatus;
  cohortId?: string;
  search?: string;
}

/**
 * A course's learners (seed 002 §List Course Students): everyone for its instructor, staff
 * and platform administrators; organization readers see their organization's enrollments;
 * department and team readers the learners they reach.
 */
export async function courseRoster(ctx: Ctx, courseId: string, query: RosterQuery) {
  const course = await visibleCourse(ctx, courseId);
  const access = await ctx.actor.access();
  const team = await courseTeam(ctx, course);
  const staff = can(access, "enrollments:read", {
    organizationId: course.organization_id,
    assigneeIds: [team.instructorId, ...team.staff],
  });
  let q = base(ctx).where("e.course_id", "=", courseId);
  if (!staff) {
    const { organizations, learners } = await reachableLearners(ctx, access, "enrollments:read");
    q = q.where((eb) =>
      eb.or([
        ...(organizations.length ? [eb("e.organization_id", "in", organizations)] : []),
        ...(learners.length ? [eb("e.user_id", "in", learners)] : []),
        eb.val(false),
      ]),
    );
  }
  if (query.status) q = q.where("e.status", "=", query.status);
  if (query.cohortId) q = q.where("e.cohort_id", "=", query.cohortId);
  if (query.search) {
    const pattern = likePattern(query.search);
    // A restricted person's row is listed without their name: a search by name skips it.
    q = q.where((eb) =>
      eb.and([
        eb.or([
          eb("u.email", "ilike", pattern),
          eb("u.first_name", "ilike", pattern),
          eb("u.last_name", "ilike", pattern),
        ]),
        eb.not(restrictedSql("e.user_id", { column: "e.organization_id" })),
      ]),
    );
  }
  return paginate(q, query, { column: "u.last_name", direction: "asc" }, "e.id");
}

/**
 * Whom an organization-side reader reaches with `ability` outside the course team: whole
 * organizations (organization scope) and, for narrower scopes, the learners of their
 * departments and teams.
 */
export async function reachableLearners(
  ctx: Ctx,
  access: ActorAccess,
  ability: "enrollments:read" | "enrollments:approve" | "certificates:read" | "reports:read",
): Promise<{ organizations: string[]; learners: string[] }> {
  const [resource, action] = ability.split(":");
  const orgIds = [
    ...new Set(
      access.grants
        .filter((g) => g.resource === resource && g.action === action && g.organizationId)
        .map((g) => g.organizationId as string),
    ),
  ];
  const organizations: string[] = [];
  const learners: string[] = [];
  for (const org of orgIds) {
    const v = memberVisibility(access, org, ability);
    if (v.everyone) {
      organizations.push(org);
      continue;
    }
    const rows = await ctx.db
      .selectFrom("organization_members as m")
      .select("m.user_id")
      .where("m.organization_id", "=", org)
      .where(visibleMembersWhere(v, { userId: "m.user_id", departmentId: "m.department_id" }))
      .execute();
    learners.push(...rows.map((r) => r.user_id));
  }
  return { organizations, learners };
}

/** RFC 4180 CSV: fields with commas, quotes or line breaks are quoted, quotes doubled. */
