import type { Ctx } from "../../platform/context.js";
import { paginate } from "../../platform/http/pagination.js";
import { can, widestScope } from "../../platform/policy/engine.js";
import { courseTeam, visibleCourse } from "../catalog/policy.js";
import { likePattern } from "../identity/users.js";
import { memberVisibility } from "../organizations/members.js";
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
    const orgIds = [
      ...new Set(
        access.grants
          .filter((g) => g.resource === "enrollments" && g.action === "read" && g.organizationId)
          .map((g) => g.organizationId as string),
      ),
    ];
    const whole = orgIds.filter(
      (o) => widestScope(access, "enrollments:read", o) === "organization",
    );
    const partial = orgIds.filter((o) => !whole.includes(o));
    const reachable: string[] = [];
    for (const org of partial) {
      const v = memberVisibility(access, org, "enrollments:read");
      if (v.everyone) continue;
      const rows = await ctx.db
        .selectFrom("organization_members as m")
        .select("m.user_id")
        .where("m.organization_id", "=", org)
        .where((eb) =>
          eb.or([
            ...(v.departments.length ? [eb("m.department_id", "in", v.departments)] : []),
            ...(v.teams.length
              ? [
                  eb(
                    "m.user_id",
                    "in",
                    eb.selectFrom("team_members").select("user_id").where("team_id", "in", v.teams),
                  ),
                ]
              : []),
            ...(v.self ? [eb("m.user_id", "=", v.self)] : []),
            eb.val(false),
          ]),
        )
        .execute();
      reachable.push(...rows.map((r) => r.user_id));
    }
    q = q.where((eb) =>
      eb.or([
        ...(whole.length ? [eb("e.organization_id", "in", whole)] : []),
        ...(reachable.length ? [eb("e.user_id", "in", reachable)] : []),
        eb.val(false),
      ]),
    );
  }
  if (query.status) q = q.where("e.status", "=", query.status);
  if (query.cohortId) q = q.where("e.cohort_id", "=", query.cohortId);
  if (query.search) {
    const pattern = likePattern(query.search);
    q = q.where((eb) =>
      eb.or([
        eb("u.email", "ilike", pattern),
        eb("u.first_name", "ilike", pattern),
        eb("u.last_name", "ilike", pattern),
      ]),
    );
  }
  return paginate(q, query, { column: "u.last_name", direction: "asc" }, "e.id");
}

/** RFC 4180 CSV: fields with commas, quotes or line breaks are quoted, quotes doubled. */
export function toCsv(header: string[], rows: Array<Array<string | number | null>>): string {
  const field = (v: string | number | null) => {
    const text = v === null ? "" : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [header, ...rows].map((r) => r.map(field).join(",")).join("\r\n") + "\r\n";
}
