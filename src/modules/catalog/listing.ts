import { type ExpressionBuilder, sql } from "kysely";
import type { Database } from "../../db/schema.js";
import { likePattern } from "../../db/values.js";
import type { Ctx } from "../../platform/context.js";
import { paginate } from "../../platform/http/pagination.js";
import type { ActorAccess } from "../../platform/policy/engine.js";
import type { CourseLevel, CourseStatus, Delivery, EnrollmentType } from "./schema.js";

export const COURSE_SORTS = ["newest", "oldest", "popular", "rating", "price", "title"] as const;

export interface CourseListQuery {
  page: number;
  limit: number;
  sort: (typeof COURSE_SORTS)[number];
  search?: string;
  category?: string;
  level?: CourseLevel;
  language?: string;
  tag?: string;
  priceMin?: number;
  priceMax?: number;
  free?: boolean;
  enrollmentType?: EnrollmentType;
  delivery?: Delivery;
  status?: CourseStatus;
  organizationId?: string;
  instructorId?: string;
  featured?: boolean;
  /** Only the courses the actor may edit (any status, never deleted ones). */
  editable?: boolean;
  includeDeleted?: boolean;
}

const ORDER: Record<CourseListQuery["sort"], { column: string; direction: "asc" | "desc" }> = {
  newest: { column: "c.created_at", direction: "desc" },
  oldest: { column: "c.created_at", direction: "asc" },
  popular: { column: "c.enrolled_count", direction: "desc" },
  rating: { column: "c.rating_average", direction: "desc" },
  price: { column: "c.price_amount", direction: "asc" },
  title: { column: "c.title", direction: "asc" },
};

type CourseEb = ExpressionBuilder<Database & { c: Database["courses"] }, "c">;

/** The courses the actor may see in the catalog (the rule of listCourses), before any filter. */
async function visibleCourses(ctx: Ctx, includeDeleted: boolean) {
  const access = await ctx.actor.access();
  const everything =
    !!access.system ||
    access.grants.some(
      (g) =>
        g.resource === "courses" &&
        (g.action === "read" || g.action === "manage") &&
        g.scope === "all",
    );
  const orgWide = [
    ...new Set(
      access.grants
        .filter(
          (g) =>
            g.resource === "courses" &&
            (g.action === "read" || g.action === "manage") &&
            g.scope === "organization" &&
            !g.departmentId &&
            !g.teamId,
        )
        .map((g) => g.organizationId as string),
    ),
  ];
  const userId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const apiKeyOrg = ctx.actor.kind === "api-key" ? ctx.actor.organizationId : null;

  let q = ctx.db.selectFrom("courses as c");
  if (!(everything && includeDeleted)) q = q.where("c.deleted_at", "is", null);
  if (!everything) {
    q = q.where((eb: CourseEb) =>
      eb.or([
        eb.and([eb("c.status", "=", "published"), eb("c.organization_id", "is", null)]),
        ...(userId
          ? [
              eb.and([
                eb("c.status", "=", "published"),
                eb(
                  "c.organization_id",
                  "in",
                  eb
                    .selectFrom("organization_members as om")
                    .select("om.organization_id")
                    .where("om.user_id", "=", userId)
                    .where("om.status", "=", "active"),
                ),
              ]),
              eb("c.instructor_id", "=", userId),
              eb(
                "c.id",
                "in",
                eb
                  .selectFrom("course_staff as cs")
                  .select("cs.course_id")
                  .where("cs.user_id", "=", userId),
              ),
            ]
          : []),
        ...(apiKeyOrg
          ? [eb.and([eb("c.status", "=", "published"), eb("c.organization_id", "=", apiKeyOrg)])]
          : []),
        ...(orgWide.length ? [eb("c.organization_id", "in", orgWide)] : []),
      ]),
    );
  }
  return q;
}

/**
 * The courses the actor may edit, as a filter: the rule of `can(access, "courses:manage",
 * courseTarget(course, team, "editors"))` (policy.ts) written in SQL, grant by grant. `own`
 * reaches the courses one teaches, `assigned` those one edits as staff (`can_edit_content`),
 * `organization` an organization's courses, `all` every course; grants for one department or
 * team reach no course, as courses belong to neither.
 */
function editableBy(access: ActorAccess) {
  return (eb: CourseEb) => {
    if (access.system) return eb.lit(true);
    const userId = access.userId;
    const reach = (scope: string) => {
      if (scope === "own" && userId) return eb("c.instructor_id", "=", userId);
      if (scope === "assigned" && userId)
        return eb(
          "c.id",
          "in",
          eb
            .selectFrom("course_staff as cs")
            .select("cs.course_id")
            .where("cs.user_id", "=", userId)
            .where("cs.can_edit_content", "=", true),
        );
      return null;
    };
    const reaches = access.grants
      .filter((g) => g.resource === "courses" && g.action === "manage")
      .flatMap((g) => {
        if (g.scope === "all") return [eb.lit(true)];
        // A platform-level grant below `all` reaches only one's own or assigned courses.
        if (g.organizationId === null) return [reach(g.scope)].filter((r) => r !== null);
        const inOrganization = eb("c.organization_id", "=", g.organizationId);
        if (g.scope === "organization") return g.departmentId || g.teamId ? [] : [inOrganization];
        const mine = reach(g.scope);
        return mine ? [eb.and([inOrganization, mine])] : [];
      });
    return reaches.length ? eb.or(reaches) : eb.lit(false);
  };
}

/**
 * The catalog as the actor may see it (seed 002 §List Courses): published platform courses
 * for everyone; published courses of the organizations one belongs to; drafts and archived
 * courses for their instructor and staff and for those who read courses organization-wide;
 * everything, deleted courses on request, for platform administrators.
 */
export async function listCourses(ctx: Ctx, query: CourseListQuery) {
  let visible = await visibleCourses(ctx, !!query.includeDeleted && !query.editable);
  if (query.editable) visible = visible.where(editableBy(await ctx.actor.access()));
  let q = visible
    .innerJoin("users as u", "u.id", "c.instructor_id")
    .selectAll("c")
    .select([
      "u.first_name as instructor_first_name",
      "u.last_name as instructor_last_name",
      "u.avatar_file_id as instructor_avatar_file_id",
      (eb) =>
        eb
          .selectFrom("modules as m")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("m.course_id", "=", "c.id")
          .where("m.is_published", "=", true)
          .as("module_count"),
      (eb) =>
        eb
          .selectFrom("lessons as l")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("l.course_id", "=", "c.id")
          .where("l.is_published", "=", true)
          .as("lesson_count"),
    ]);
  if (query.search) {
    const pattern = likePattern(query.search.trim());
    const term = query.search.trim().toLowerCase();
    q = q.where((eb) =>
      eb.or([
        eb("c.title", "ilike", pattern),
        eb("c.description", "ilike", pattern),
        eb("c.code", "ilike", pattern),
        eb(sql<string>`${term}`, "=", sql<string>`any(c.tags)`),
      ]),
    );
  }
  if (query.category) q = q.where("c.category", "=", query.category);
  if (query.level) q = q.where("c.level", "=", query.level);
  if (query.language) q = q.where("c.language", "=", query.language);
  if (query.tag)
    q = q.where(sql<string>`${query.tag.toLowerCase()}`, "=", sql<string>`any(c.tags)`);
  if (query.priceMin !== undefined) q = q.where("c.price_amount", ">=", query.priceMin);
  if (query.priceMax !== undefined) q = q.where("c.price_amount", "<=", query.priceMax);
  if (query.free !== undefined) q = q.where("c.price_amount", query.free ? "=" : ">", 0);
  if (query.enrollmentType) q = q.where("c.enrollment_type", "=", query.enrollmentType);
  if (query.delivery) q = q.where("c.delivery", "=", query.delivery);
  if (query.status) q = q.where("c.status", "=", query.status);
  if (query.organizationId) q = q.where("c.organization_id", "=", query.organizationId);
  if (query.instructorId) q = q.where("c.instructor_id", "=", query.instructorId);
  if (query.featured !== undefined) q = q.where("c.is_featured", "=", query.featured);
  return paginate(q, query, ORDER[query.sort], "c.id");
}

/**
 * The categories of the catalog the actor sees, with how many courses each holds, for a
 * category filter that offers only what exists.
 */
export async function listCategories(
  ctx: Ctx,
): Promise<Array<{ category: string; count: number }>> {
  const rows = await (await visibleCourses(ctx, false))
    .where("c.category", "is not", null)
    .where("c.category", "<>", "")
    .select(["c.category", (eb) => eb.fn.countAll<string>().as("n")])
    .groupBy("c.category")
    .orderBy("c.category")
    .execute();
  return rows.map((r) => ({ category: r.category as string, count: Number(r.n) }));
}

export type CourseListRow = Awaited<ReturnType<typeof listCourses>>["rows"][number];
