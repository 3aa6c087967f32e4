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
  // The writing itself is the database's record_learning_events (migrations), which the
  // lesson completion's fast path calls as well.
  return sql`
    recorded_events as (
      select * from record_learning_events(${JSON.stringify(events)}::jsonb, ${now}::timestamptz)
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
