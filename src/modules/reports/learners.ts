import { sql } from "kysely";
import { likePattern } from "../../db/values.js";
import type { Ctx } from "../../platform/context.js";
import { paginate, sortOf } from "../../platform/http/pagination.js";
import { restrictedSql } from "../access/learner-privacy.js";
import { OPEN_STATUSES } from "../enrollment/assignments.js";
import { runScope } from "./service.js";

/**
 * Each learner a reader reaches in an organization, with where they stand: enrollments
 * (completed of all, overdue), required compliance training (of it, how much is overdue),
 * the average best score of their graded quizzes and their valid certificates. The manager's
 * and administrator's overview; one learner's detail is their transcript (realtime.ts).
 * Counts cover the organization's enrollments that were not withdrawn.
 */

export const LEARNER_SORTS = ["name", "overdue", "progress"] as const;

export interface LearnerSummaryQuery {
  page: number;
  limit: number;
  sort: string;
  search?: string;
  departmentId?: string;
  teamId?: string;
  /** Only learners with something overdue. */
  overdue?: boolean;
}

/** Open enrollments past their due date, of learner `<alias>.user_id` in the organization. */
const overdueOf = (
  organizationId: string,
  alias: string,
  now: Date,
  complianceOnly = false,
) => sql<number>`(
  select count(*)::int from enrollments e
  where e.user_id = ${sql.ref(`${alias}.user_id`)} and e.organization_id = ${organizationId}
    ${complianceOnly ? sql`and e.is_compliance` : sql``}
    and e.due_at < ${now} and e.status in (${sql.join(OPEN_STATUSES)}))`;

/** The average progress of learner `<alias>.user_id`'s enrollments in the organization. */
const averageProgressOf = (organizationId: string, alias: string) => sql<number>`(
  select coalesce(avg(e.progress_percent), 0)::float from enrollments e
  where e.user_id = ${sql.ref(`${alias}.user_id`)} and e.organization_id = ${organizationId}
    and e.status <> 'dropped')`;

export async function learnerSummaries(
  ctx: Ctx,
  organizationId: string,
  query: LearnerSummaryQuery,
) {
  const scope = await runScope(ctx, organizationId);
  // Lyceum's clock, not the database's: due dates and expiries are judged as everywhere else.
  const now = ctx.clock.now();
  let q = ctx.db
    .selectFrom("organization_members as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .leftJoin("departments as d", "d.id", "m.department_id")
    .select([
      "m.user_id",
      "u.first_name",
      "u.last_name",
      "u.email",
      "d.id as department_id",
      "d.name as department_name",
      sql<string>`u.last_name || ' ' || u.first_name`.as("sort_name"),
    ])
    .where("m.organization_id", "=", organizationId)
    .where("m.status", "=", "active");
  if (scope.learners) {
    const learners = scope.learners;
    q = q.where((eb) => (learners.length ? eb("m.user_id", "in", learners) : eb.val(false)));
  }
  if (query.departmentId) q = q.where("m.department_id", "=", query.departmentId);
  if (query.teamId) {
    const teamId = query.teamId;
    q = q.where(
      "m.user_id",
      "in",
      ctx.db.selectFrom("team_members").select("user_id").where("team_id", "=", teamId),
    );
  }
  if (query.search) {
    const pattern = likePattern(query.search.trim());
    // A restricted person is listed without their name: a search by name skips them.
    q = q.where((eb) =>
      eb.and([
        eb.or([
          eb("u.email", "ilike", pattern),
          eb(sql`u.first_name || ' ' || u.last_name`, "ilike", pattern),
        ]),
        eb.not(restrictedSql("m.user_id", organizationId)),
      ]),
    );
  }
  if (query.overdue) q = q.where(sql<boolean>`${overdueOf(organizationId, "m", now)} > 0`);
  // Bare names: the page's query orders by its output columns, the decorated one by p's.
  const order = sortOf(query.sort, {
    name: "sort_name",
    overdue: "overdue",
    progress: "average_progress",
  });
  // A computed sort key is selected in the page's own query, so the page is cut by it.
  if (order.column === "overdue") q = q.select(overdueOf(organizationId, "m", now).as("overdue"));
  if (order.column === "average_progress")
    q = q.select(averageProgressOf(organizationId, "m").as("average_progress"));
  const { rows, pagination } = await paginate(q, query, order, "user_id", (page) =>
    ctx.db
      .selectFrom(page.as("p"))
      .selectAll("p")
      .select([
        sql<number>`(select count(*)::int from enrollments e
            where e.user_id = p.user_id and e.organization_id = ${organizationId}
              and e.status <> 'dropped')`.as("enrollments"),
        sql<number>`(select count(*)::int from enrollments e
            where e.user_id = p.user_id and e.organization_id = ${organizationId}
              and e.status = 'completed')`.as("completed"),
        averageProgressOf(organizationId, "p").as("progress"),
        overdueOf(organizationId, "p", now).as("overdue_count"),
        sql<number>`(select count(*)::int from enrollments e
            where e.user_id = p.user_id and e.organization_id = ${organizationId}
              and e.is_compliance and e.status <> 'dropped')`.as("compliance_required"),
        overdueOf(organizationId, "p", now, true).as("compliance_overdue"),
        sql<number | null>`(select avg(r.best_score)::float from quiz_results r
            join enrollments e on e.id = r.enrollment_id
            where e.user_id = p.user_id and e.organization_id = ${organizationId}
              and r.passed is not null)`.as("average_score"),
        sql<number>`(select count(*)::int from certificates x
            join enrollments e on e.id = x.enrollment_id
            where e.user_id = p.user_id and e.organization_id = ${organizationId}
              and x.revoked_at is null and (x.expires_at is null or x.expires_at > ${now}))`.as(
          "certificates",
        ),
      ]),
  );
  // The decorated page keeps the member columns; its type only knows what it added.
  return { rows: rows as Array<(typeof rows)[number] & MemberColumns>, pagination };
}

interface MemberColumns {
  user_id: string;
  first_name: string;
  last_name: string;
  email: string;
  department_id: string | null;
  department_name: string | null;
}
