import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { parseUserAgent } from "../identity/user-agent.js";
import { aggregationKeys } from "./aggregation.js";
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

/** The time zone an event's keys are computed in: its organization's, else the learner's. */
async function timeZones(
  ctx: Ctx,
  inputs: EventInput[],
): Promise<{ orgs: Map<string, string>; users: Map<string, string> }> {
  const orgIds = [...new Set(inputs.map((i) => i.organizationId).filter((o): o is string => !!o))];
  const userIds = [...new Set(inputs.filter((i) => !i.organizationId).map((i) => i.learnerId))];
  const [orgs, users] = await Promise.all([
    orgIds.length
      ? ctx.db
          .selectFrom("organizations")
          .select(["id", "timezone"])
          .where("id", "in", orgIds)
          .execute()
      : [],
    userIds.length
      ? ctx.db.selectFrom("users").select(["id", "timezone"]).where("id", "in", userIds).execute()
      : [],
  ]);
  return {
    orgs: new Map(orgs.map((o) => [o.id, o.timezone])),
    users: new Map(users.map((u) => [u.id, u.timezone])),
  };
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
 * Writes learning events (seed 000 §3.2.1) in the caller's transaction. Each type must be an
 * active `activity-event` lookup value (global or the event's organization's); aggregation
 * keys are computed in the organization's time zone, or the learner's when there is none.
 */
export async function recordEvents(ctx: Ctx, inputs: EventInput[]): Promise<LearningEventRow[]> {
  if (!inputs.length) return [];
  const [types, zones] = await Promise.all([
    activeEventTypes(
      ctx,
      inputs.map((i) => i.organizationId ?? null),
    ),
    timeZones(ctx, inputs),
  ]);
  const now = ctx.clock.now();
  const rows = inputs.map((input) => {
    const allowed = types.get(input.organizationId ?? "") ?? types.get("");
    if (!allowed?.has(input.type)) {
      throw new AppError("VALIDATION_ERROR", `Unknown or inactive event type ${input.type}`, {
        field: "type",
      });
    }
    const occurredAt = input.occurredAt ?? now;
    const zone =
      (input.organizationId
        ? zones.orgs.get(input.organizationId)
        : zones.users.get(input.learnerId)) ?? "UTC";
    const keys = aggregationKeys(occurredAt, zone);
    return {
      organization_id: input.organizationId ?? null,
      learner_id: input.learnerId,
      event_type: input.type,
      course_id: input.courseId ?? null,
      cohort_id: input.cohortId ?? null,
      content_id: input.contentId ?? null,
      enrollment_id: input.enrollmentId ?? null,
      session_id: input.sessionId ?? null,
      occurred_at: occurredAt,
      duration_seconds: input.durationSeconds ?? null,
      context: JSON.stringify(input.context ?? {}),
      data: JSON.stringify(input.data ?? {}),
      source: input.source ?? "internal",
      day_key: keys.dayKey,
      week_key: keys.weekKey,
      month_key: keys.monthKey,
      quarter_key: keys.quarterKey,
      year_key: keys.yearKey,
      created_at: now,
    };
  });
  return ctx.db.insertInto("learning_events").values(rows).returningAll().execute();
}
