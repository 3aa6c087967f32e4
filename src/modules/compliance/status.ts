import { type RawBuilder, sql } from "kysely";
import type { Ctx } from "../../platform/context.js";
import { pagination } from "../../platform/http/pagination.js";
import { assertOrganizationAccess } from "./requirements.js";

/**
 * Compliance monitoring (seed 004 13.4.11): each person's standing on each requirement they
 * must meet, from the end of their chain of assignments and their exemptions, and summaries
 * with a score (share compliant among those not exempt) and violations (overdue and expired).
 * People who left a requirement's scope are no longer counted; their history stays.
 */

export const COMPLIANCE_STATUSES = [
  "compliant",
  "due-soon",
  "overdue",
  "expired",
  "exempt",
  "in-progress",
  "not-started",
] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];
/** How far ahead "due soon" looks. */
export const DUE_SOON_DAYS = 14;

/**
 * One row per person and requirement, with its status, for one organization (or every
 * organization, `null`, for the report base). `now` is the clock of the caller.
 */
export function statusRows(organizationId: string | null, now: Date): RawBuilder<unknown> {
  const soon = new Date(now.getTime() + DUE_SOON_DAYS * 86_400_000);
  const org = organizationId === null ? sql`true` : sql`a.organization_id = ${organizationId}`;
  const orgX = organizationId === null ? sql`true` : sql`x.organization_id = ${organizationId}`;
  return sql`(
    with latest as (
      select a.* from compliance_assignments a
      where ${org}
        and not exists (select 1 from compliance_assignments n where n.previous_assignment_id = a.id)
    ),
    active_exemptions as (
      select x.* from compliance_exemptions x
      where ${orgX} and x.revoked_at is null and (x.expires_at is null or x.expires_at > ${now})
    ),
    people as (
      select organization_id, requirement_id, user_id from latest where status <> 'out-of-scope'
      union
      select organization_id, requirement_id, user_id from active_exemptions
    )
    select
      p.organization_id, p.requirement_id, p.user_id,
      r.name as requirement_name, r.course_id, c.title as course_title,
      u.first_name, u.last_name, u.email,
      m.department_id, d.name as department_name, m.manager_user_id, m.location,
      a.id as assignment_id, a.cycle, a.assigned_at, a.due_at, a.completed_at, a.expires_at,
      a.certificate_id, a.enrollment_id, coalesce(e.progress_percent, 0) as progress_percent,
      x.id as exemption_id, x.reason as exemption_reason, x.approved_by as exemption_approved_by,
      nullif(concat(ap.first_name, ' ', ap.last_name), ' ') as exemption_approver_name,
      x.expires_at as exemption_expires_at,
      case
        when x.id is not null then 'exempt'
        when a.status = 'completed' and a.expires_at is not null and a.expires_at <= ${now} then 'expired'
        when a.status = 'completed' then 'compliant'
        when pa.status = 'completed' and pa.expires_at is not null and pa.expires_at <= ${now} then 'expired'
        when a.due_at <= ${now} then 'overdue'
        when a.due_at <= ${soon} then 'due-soon'
        when pa.status = 'completed' and pa.expires_at > ${now} then 'compliant'
        when e.status in ('active', 'suspended') and (e.started_at is not null or e.progress_percent > 0) then 'in-progress'
        else 'not-started'
      end as status
    from people p
    join compliance_requirements r on r.id = p.requirement_id
    join courses c on c.id = r.course_id
    join users u on u.id = p.user_id
    left join organization_members m on m.organization_id = p.organization_id and m.user_id = p.user_id
    left join departments d on d.id = m.department_id
    left join latest a on a.requirement_id = p.requirement_id and a.user_id = p.user_id and a.status <> 'out-of-scope'
    left join compliance_assignments pa on pa.id = a.previous_assignment_id
    left join enrollments e on e.id = a.enrollment_id
    left join active_exemptions x on x.requirement_id = p.requirement_id and x.user_id = p.user_id
    left join users ap on ap.id = x.approved_by
  )`;
}

/**
 * The rows of the report engine's compliance-assignment base: statusRows of one organization
 * with the requirement's compliance type and jurisdiction (handed to reports in src/app.ts).
 */
export function complianceReportRows(organizationId: string, now: Date): RawBuilder<unknown> {
  return sql`(select s.*, cr.compliance_type, cr.jurisdiction from ${statusRows(organizationId, now)} s join compliance_requirements cr on cr.id = s.requirement_id)`;
}

export interface StatusQuery {
  page: number;
  limit: number;
  requirementId?: string;
  departmentId?: string;
  userId?: string;
  status?: ComplianceStatus;
}

export interface StatusRow {
  organization_id: string;
  requirement_id: string;
  user_id: string;
  requirement_name: string;
  course_id: string;
  course_title: string;
  first_name: string;
  last_name: string;
  email: string;
  department_id: string | null;
  department_name: string | null;
  manager_user_id: string | null;
  location: string | null;
  assignment_id: string | null;
  cycle: number | null;
  assigned_at: Date | null;
  due_at: Date | null;
  completed_at: Date | null;
  expires_at: Date | null;
  certificate_id: string | null;
  enrollment_id: string | null;
  progress_percent: number;
  exemption_id: string | null;
  exemption_reason: string | null;
  exemption_approved_by: string | null;
  exemption_approver_name: string | null;
  exemption_expires_at: Date | null;
  status: ComplianceStatus;
}

function filters(query: Omit<StatusQuery, "page" | "limit">) {
  const where = [sql`true`];
  if (query.requirementId) where.push(sql`s.requirement_id = ${query.requirementId}`);
  if (query.departmentId) where.push(sql`s.department_id = ${query.departmentId}`);
  if (query.userId) where.push(sql`s.user_id = ${query.userId}`);
  if (query.status) where.push(sql`s.status = ${query.status}`);
  return sql.join(where, sql` and `);
}

const asDate = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

export async function listStatus(ctx: Ctx, organizationId: string, query: StatusQuery) {
  await assertOrganizationAccess(ctx, organizationId, "compliance:read");
  const now = ctx.clock.now();
  const result = await sql<StatusRow & { total: number | string }>`
    select s.*, count(*) over () as total from ${statusRows(organizationId, now)} s
    where ${filters(query)}
    order by s.requirement_name, s.last_name, s.first_name, s.user_id, s.requirement_id
    limit ${query.limit} offset ${(query.page - 1) * query.limit}`.execute(ctx.db);
  const total = Number(result.rows[0]?.total ?? 0);
  const rows = result.rows.map((r) => ({
    ...r,
    cycle: r.cycle === null ? null : Number(r.cycle),
    progress_percent: Number(r.progress_percent),
    assigned_at: asDate(r.assigned_at),
    due_at: asDate(r.due_at),
    completed_at: asDate(r.completed_at),
    expires_at: asDate(r.expires_at),
    exemption_expires_at: asDate(r.exemption_expires_at),
  }));
  return { rows, pagination: pagination(query, total) };
}

export interface SummaryRow {
  key: string | null;
  name: string | null;
  counts: Record<ComplianceStatus, number>;
  total: number;
  score: number | null;
  violations: number;
}

/** Counts per status, score and violations, per requirement or per department. */
export async function complianceSummary(
  ctx: Ctx,
  organizationId: string,
  by: "requirement" | "department",
  query: { requirementId?: string; departmentId?: string } = {},
): Promise<SummaryRow[]> {
  await assertOrganizationAccess(ctx, organizationId, "compliance:read");
  const now = ctx.clock.now();
  const key = by === "requirement" ? sql`s.requirement_id` : sql`s.department_id`;
  const name = by === "requirement" ? sql`s.requirement_name` : sql`s.department_name`;
  const result = await sql<{
    key: string | null;
    name: string | null;
    status: string;
    n: string | number;
  }>`
    select ${key} as key, ${name} as name, s.status, count(*) as n
    from ${statusRows(organizationId, now)} s
    where ${filters(query)}
    group by 1, 2, 3`.execute(ctx.db);
  const groups = new Map<string, SummaryRow>();
  for (const row of result.rows) {
    const id = row.key ?? "";
    let group = groups.get(id);
    if (!group) {
      group = {
        key: row.key,
        name: row.name,
        counts: Object.fromEntries(COMPLIANCE_STATUSES.map((s) => [s, 0])) as Record<
          ComplianceStatus,
          number
        >,
        total: 0,
        score: null,
        violations: 0,
      };
      groups.set(id, group);
    }
    group.counts[row.status as ComplianceStatus] += Number(row.n);
    group.total += Number(row.n);
  }
  for (const group of groups.values()) {
    const required = group.total - group.counts.exempt;
    group.score = required > 0 ? Math.round((group.counts.compliant / required) * 1000) / 10 : null;
    group.violations = group.counts.overdue + group.counts.expired;
  }
  return [...groups.values()].sort((a, b) => (a.name ?? "").localeCompare(b.name ?? ""));
}

/** A person's chain of assignments of one requirement, oldest first, with the reminders sent. */
export async function assignmentHistory(
  ctx: Ctx,
  organizationId: string,
  query: { requirementId?: string; userId?: string; page: number; limit: number },
) {
  await assertOrganizationAccess(ctx, organizationId, "compliance:read");
  let q = ctx.db
    .selectFrom("compliance_assignments as a")
    .innerJoin("compliance_requirements as r", "r.id", "a.requirement_id")
    .innerJoin("users as u", "u.id", "a.user_id")
    .selectAll("a")
    .select(["r.name as requirement_name", "u.first_name", "u.last_name"])
    .where("a.organization_id", "=", organizationId);
  if (query.requirementId) q = q.where("a.requirement_id", "=", query.requirementId);
  if (query.userId) q = q.where("a.user_id", "=", query.userId);
  const countRow = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  const rows = await q
    .orderBy("r.name")
    .orderBy("u.last_name")
    .orderBy("a.user_id")
    .orderBy("a.cycle")
    .limit(query.limit)
    .offset((query.page - 1) * query.limit)
    .execute();
  const reminders = rows.length
    ? await ctx.db
        .selectFrom("compliance_reminders")
        .selectAll()
        .where(
          "assignment_id",
          "in",
          rows.map((r) => r.id),
        )
        .orderBy("sent_at")
        .orderBy("id")
        .execute()
    : [];
  return {
    rows: rows.map((r) => ({ ...r, reminders: reminders.filter((x) => x.assignment_id === r.id) })),
    pagination: pagination(query, Number(countRow.n)),
  };
}
