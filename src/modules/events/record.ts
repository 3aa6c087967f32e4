import { sql } from "kysely";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { parseUserAgent } from "../identity/user-agent.js";
import type { EventSource, LearningEventRow } from "./schema.js";

export interface EventInput {
  type: string;
  learnerId: string;
  organizationId?: string | null;
  courseId?: string | null;
  cohortId?: string | null;
  contentId?: string | null;
  enrollmentId?: string | null;
  sessionId?: string | null;
  occurredAt?: Date;
  durationSeconds?: number | null;
  data?: Record<string, unknown>;
  context?: Record<string, unknown>;
  source?: EventSource;
}

/** Active `activity-event` keys per organization (global ones under ""), for validation. */
export async function activeEventTypes(
  ctx: Ctx,
  organizationIds: Array<string | null>,
): Promise<Map<string, Set<string>>> {
  const orgs = [...new Set(organizationIds.filter((o): o is string => !!o))];
  const rows = await ctx.db
    .selectFrom("lookup_values")
    .select(["organization_id", "key"])
    .where("category", "=", "activity-event")
    .where("is_active", "=", true)
    .where((eb) =>
      eb.or([
        eb("organization_id", "is", null),
        ...(orgs.length ? [eb("organization_id", "in", orgs)] : []),
      ]),
    )
    .execute();
  const global = new Set(rows.filter((r) => !r.organization_id).map((r) => r.key));
  const byOrg = new Map<string, Set<string>>([["", global]]);
  for (const org of orgs) {
    byOrg.set(
      org,
      new Set([...global, ...rows.filter((r) => r.organization_id === org).map((r) => r.key)]),
    );
  }
  return byOrg;
}

/** Context recorded with events that arrive through a request: address and device. */
export function requestContext(ctx: Ctx): Record<string, unknown> {
  const device = parseUserAgent(ctx.meta.userAgent);
  return {
    ipAddress: ctx.meta.ip,
    userAgent: ctx.meta.userAgent,
    deviceType: device.deviceType,
    browser: device.browser,
    os: device.os,
  };
}

/**
 * Writes learning events (seed 000 §3.2.1), in one statement (so all or none are stored, in
 * or outside a transaction). Each type must be an active `activity-event` lookup value
 * (global or the event's organization's); aggregation keys are computed in the
 * organization's time zone, or the learner's when there is none (the same keys as
 * aggregationKeys). Rows come back in the order of the inputs.
 */
export async function recordEvents(ctx: Ctx, inputs: EventInput[]): Promise<LearningEventRow[]> {
  if (!inputs.length) return [];
  const { rows } = await sql<LearningEventRow>`
    with ${recordingEvents(ctx, inputs)}
    select * from recorded_events`.execute(ctx.db);
  if (rows.length === inputs.length) return rows;
  return refuseUnknownEvents(ctx, inputs);
}

/**
 * The common table expressions that write `inputs` (see recordEvents), ending in
 * `recorded_events` (the stored rows, in the order of the inputs; none when any type is
 * unknown). A statement that records events along with its own change starts with
 * `with ${recordingEvents(ctx, inputs)}, …`, counts `recorded_events`, and calls
 * refuseUnknownEvents when fewer were stored than given.
 */
export function recordingEvents(ctx: Ctx, inputs: EventInput[]) {
  const now = ctx.clock.now();
  // One JSON parameter holds every event: the statement's text is the same for any number of
  // events, and jsonb_to_recordset (unlike unnest, whose row count the planner reads from the
  // array) lets PostgreSQL keep one generic plan for it instead of planning every call.
  const events = inputs.map((i, n) => ({
    n,
    organization_id: i.organizationId ?? null,
    learner_id: i.learnerId,
    event_type: i.type,
    course_id: i.courseId ?? null,
    cohort_id: i.cohortId ?? null,
    content_id: i.contentId ?? null,
    enrollment_id: i.enrollmentId ?? null,
    session_id: i.sessionId ?? null,
    occurred_at: (i.occurredAt ?? now).toISOString(),
    duration_seconds: i.durationSeconds ?? null,
    context: i.context ?? {},
    data: i.data ?? {},
    source: i.source ?? "internal",
  }));
  return sql`
    event_input as (
      select * from jsonb_to_recordset(${JSON.stringify(events)}::jsonb) as i (
        n integer, organization_id uuid, learner_id uuid, event_type text, course_id uuid,
        cohort_id uuid, content_id uuid, enrollment_id uuid, session_id text,
        occurred_at timestamptz, duration_seconds integer, context jsonb, data jsonb, source text)
    ),
    -- Time zones are looked up per event (by primary key): the planner cannot know how many
    -- events the parameter holds, and joins would have it scan every person and organization.
    event_resolved as (
      select i.*,
             i.occurred_at at time zone coalesce(
               (select o.timezone from organizations o where o.id = i.organization_id),
               case when i.organization_id is null
                    then (select u.timezone from users u where u.id = i.learner_id) end,
               'UTC') as local_time,
             exists (select 1 from lookup_values v
                     where v.category = 'activity-event' and v.is_active and v.key = i.event_type
                       and (v.organization_id is null or v.organization_id = i.organization_id)) as known
      from event_input i
    ),
    recorded_events as (
      insert into learning_events (organization_id, learner_id, event_type, course_id, cohort_id,
                                   content_id, enrollment_id, session_id, occurred_at,
                                   duration_seconds, context, data, source, day_key, week_key,
                                   month_key, quarter_key, year_key, created_at)
      select organization_id, learner_id, event_type, course_id, cohort_id, content_id,
             enrollment_id, session_id, occurred_at, duration_seconds, context, data, source,
             local_time::date, to_char(local_time, 'IYYY-"W"IW'), to_char(local_time, 'YYYY-MM'),
             to_char(local_time, 'YYYY-"Q"Q'), extract(year from local_time)::integer, ${now}
      from event_resolved
      where not exists (select 1 from event_resolved where not known)
      order by n
      returning *
    )`;
}

/** Throws VALIDATION_ERROR naming the first of `inputs` whose type is unknown or inactive. */
export async function refuseUnknownEvents(ctx: Ctx, inputs: EventInput[]): Promise<never> {
  const types = await activeEventTypes(
    ctx,
    inputs.map((i) => i.organizationId ?? null),
  );
  const unknown = inputs.find(
    (i) => !(types.get(i.organizationId ?? "") ?? types.get(""))?.has(i.type),
  );
  throw new AppError("VALIDATION_ERROR", `Unknown or inactive event type ${unknown?.type}`, {
    field: "type",
  });
}
