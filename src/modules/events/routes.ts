import { z } from "zod";
import type { AppEvents, Ctx } from "../../platform/context.js";
import { envelope, isoDateTime, listEnvelope, ok, okList } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import { paginate } from "../../platform/http/pagination.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import { activeOrganizationIds } from "../organizations/memberships.js";
import { memberVisibility } from "../organizations/visibility.js";
import { INGEST_PERMISSION, ingestEvents, MAX_BATCH } from "./ingest.js";
import { createLookupValue, listLookupValues, updateLookupValue } from "./lookups.js";
import { recordEvents, requestContext } from "./record.js";
import type { LearningEventRow, LookupValueRow } from "./schema.js";

const iso = isoDateTime;
const kebab = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "kebab-case, e.g. webinar-attended")
  .max(100);

const lookupSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid().nullable(),
    category: z.string(),
    key: z.string(),
    displayAs: z.string(),
    description: z.string().nullable(),
    sortOrder: z.number().int(),
    isActive: z.boolean(),
    isSystem: z.boolean(),
    metadata: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "LookupValue" });

function presentLookup(v: LookupValueRow) {
  return {
    id: v.id,
    organizationId: v.organization_id,
    category: v.category,
    key: v.key,
    displayAs: v.display_as,
    description: v.description,
    sortOrder: v.sort_order,
    isActive: v.is_active,
    isSystem: v.is_system,
    metadata: v.metadata,
  };
}

const eventSchema = z
  .object({
    id: z.uuid(),
    type: z.string(),
    learnerId: z.uuid(),
    organizationId: z.uuid().nullable(),
    courseId: z.uuid().nullable(),
    cohortId: z.uuid().nullable(),
    contentId: z.uuid().nullable(),
    enrollmentId: z.uuid().nullable(),
    sessionId: z.string().nullable(),
    occurredAt: iso(),
    durationSeconds: z.number().int().nullable(),
    source: z.enum(["internal", "client", "xapi", "integration"]),
    context: z.record(z.string(), z.unknown()),
    data: z.record(z.string(), z.unknown()),
    aggregation: z.object({
      dayKey: z.string(),
      weekKey: z.string(),
      monthKey: z.string(),
      quarterKey: z.string(),
      yearKey: z.number().int(),
    }),
  })
  .meta({ id: "LearningEvent" });

function presentEvent(e: LearningEventRow) {
  return {
    id: e.id,
    type: e.event_type,
    learnerId: e.learner_id,
    organizationId: e.organization_id,
    courseId: e.course_id,
    cohortId: e.cohort_id,
    contentId: e.content_id,
    enrollmentId: e.enrollment_id,
    sessionId: e.session_id,
    occurredAt: e.occurred_at.toISOString(),
    durationSeconds: e.duration_seconds,
    source: e.source,
    context: e.context,
    data: e.data,
    aggregation: {
      dayKey: e.day_key,
      weekKey: e.week_key,
      monthKey: e.month_key,
      quarterKey: e.quarter_key,
      yearKey: e.year_key,
    },
  };
}

const eventFilters = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  type: z.string().max(100).optional(),
  courseId: ref("course").optional(),
  from: iso().optional(),
  to: iso().optional(),
});

async function queryEvents(
  ctx: Ctx,
  filters: z.infer<typeof eventFilters> & {
    organizationId?: string;
    learnerIds?: string[] | "all";
  },
) {
  let q = ctx.db.selectFrom("learning_events").selectAll();
  if (filters.organizationId) q = q.where("organization_id", "=", filters.organizationId);
  if (filters.learnerIds !== "all" && filters.learnerIds) {
    if (!filters.learnerIds.length)
      return {
        rows: [] as LearningEventRow[],
        pagination: {
          page: 1,
          limit: filters.limit,
          total: 0,
          totalPages: 1,
          hasNext: false,
          hasPrev: false,
        },
      };
    q = q.where("learner_id", "in", filters.learnerIds);
  }
  if (filters.type) q = q.where("event_type", "=", filters.type);
  if (filters.courseId) q = q.where("course_id", "=", filters.courseId);
  if (filters.from) q = q.where("occurred_at", ">=", new Date(filters.from));
  if (filters.to) q = q.where("occurred_at", "<", new Date(filters.to));
  return paginate(q, filters, { column: "occurred_at", direction: "desc" }, "id");
}

/**
 * Sign-ins and sign-outs are learning events too (seed 000's `login` and `logout`). A session
 * belongs to the person, not to one organization, so the event is recorded once for each
 * organization where they are an active member — each organization's activity reports count
 * it once — or once without an organization for someone who belongs to none.
 */
export function subscribeEventRecording(events: AppEvents): void {
  const record = async (ctx: Ctx, type: "login" | "logout", userId: string, sessionId: string) => {
    const organizations = await activeOrganizationIds(ctx.db, userId);
    const event = { type, learnerId: userId, sessionId, context: requestContext(ctx) };
    await recordEvents(
      ctx,
      organizations.length
        ? organizations.map((organizationId) => ({ ...event, organizationId }))
        : [event],
    );
  };
  events.on("user.signed-in", (ctx, { userId, sessionId }) =>
    record(ctx, "login", userId, sessionId),
  );
  events.on("user.signed-out", (ctx, { userId, sessionId }) =>
    record(ctx, "logout", userId, sessionId),
  );
}

/** Lookup values (seed 000 §3.2.2) and the learning event stream (§3.2.1). */
export async function eventRoutes(app: App): Promise<void> {
  const tags = ["Learning events"];

  app.get(
    "/api/v1/lookup-values",
    {
      config: { access: { public: true, identify: true } },
      schema: {
        tags,
        summary: "Extensible enums: event types, report types, measure types …",
        description:
          "Global values, plus an organization's own with `organizationId` (members only).",
        querystring: z.object({
          category: kebab.optional(),
          organizationId: ref("organization").optional(),
          includeInactive: z
            .enum(["true", "false"])
            .transform((v) => v === "true")
            .optional(),
        }),
        response: { 200: envelope(z.array(lookupSchema)) },
      },
    },
    async (request) => ok((await listLookupValues(request.ctx, request.query)).map(presentLookup)),
  );

  const lookupBody = z.object({
    category: kebab,
    key: kebab,
    displayAs: z.string().trim().min(1).max(200),
    description: z.string().max(2000).nullable().optional(),
    sortOrder: z.number().int().min(0).max(100_000).optional(),
    isActive: z.boolean().optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  });

  app.post(
    "/api/v1/lookup-values",
    {
      config: { access: { permission: "lookup-values:manage", platform: true, apiKeys: false } },
      schema: {
        tags,
        summary: "Add a platform-wide lookup value",
        body: lookupBody,
        response: { 201: envelope(lookupSchema) },
      },
    },
    async (request, reply) => {
      const value = await createLookupValue(request.ctx, null, request.body);
      reply.code(201);
      return ok(presentLookup(value));
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/lookup-values",
    {
      config: { access: { permission: "lookup-values:manage" } },
      schema: {
        tags,
        summary: "Add a lookup value for one organization",
        description:
          "E.g. a custom event type `webinar-attended` that only this organization records.",
        params: z.object({ organizationId: z.uuid() }),
        body: lookupBody,
        response: { 201: envelope(lookupSchema) },
      },
    },
    async (request, reply) => {
      const value = await createLookupValue(
        request.ctx,
        request.params.organizationId,
        request.body,
      );
      reply.code(201);
      return ok(presentLookup(value));
    },
  );

  app.patch(
    "/api/v1/lookup-values/:lookupValueId",
    {
      config: { access: { permission: "lookup-values:manage" } },
      schema: {
        tags,
        summary: "Rename, reorder, or (de)activate a lookup value",
        description: "Deactivated event types are refused for new events; past events keep them.",
        params: idParam("lookupValueId"),
        body: lookupBody.omit({ category: true, key: true }).partial().strict(),
        response: { 200: envelope(lookupSchema) },
      },
    },
    async (request) =>
      ok(
        presentLookup(
          await updateLookupValue(request.ctx, request.params.lookupValueId, request.body),
        ),
      ),
  );

  app.post(
    "/api/v1/learning-events/batch",
    {
      config: { access: { permission: INGEST_PERMISSION } },
      schema: {
        tags,
        summary: "Record a batch of learning events",
        description: `Up to ${MAX_BATCH} events. Each is validated and authorized on its own; valid ones are stored, and \`results\` says per item whether it was accepted (with its id) or rejected (with an error code).`,
        body: z.object({
          events: z
            .array(z.unknown())
            .min(1)
            .max(MAX_BATCH)
            .describe("Items shaped like LearningEventInput"),
        }),
        response: {
          200: envelope(
            z.object({
              accepted: z.number().int(),
              rejected: z.number().int(),
              results: z.array(
                z.object({
                  index: z.number().int(),
                  status: z.enum(["accepted", "rejected"]),
                  id: z.uuid().optional(),
                  error: z
                    .object({ code: z.string(), message: z.string(), field: z.string().optional() })
                    .optional(),
                }),
              ),
            }),
          ),
        },
      },
    },
    async (request) => ok(await ingestEvents(request.ctx, request.body.events)),
  );

  app.get(
    "/api/v1/learning-events/mine",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "My learning events",
        querystring: eventFilters,
        response: { 200: listEnvelope(eventSchema) },
      },
    },
    async (request) => {
      if (request.actor.kind !== "user") throw new AppError("UNAUTHENTICATED", "Sign in first");
      const { rows, pagination } = await queryEvents(request.ctx, {
        ...request.query,
        learnerIds: [request.actor.userId],
      });
      return okList(rows.map(presentEvent), pagination);
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/learning-events",
    {
      config: { access: { permission: "learning-events:read" } },
      schema: {
        tags,
        summary: "An organization's learning events",
        description:
          "Everyone's for organization-wide readers; managers and department administrators see the people they reach.",
        params: z.object({ organizationId: z.uuid() }),
        querystring: eventFilters.extend({ learnerId: ref("user").optional() }),
        response: { 200: listEnvelope(eventSchema) },
      },
    },
    async (request) => {
      const ctx = request.ctx;
      const organizationId = request.params.organizationId;
      const visibility = memberVisibility(
        await ctx.actor.access(),
        organizationId,
        "learning-events:read",
      );
      let learnerIds: string[] | "all" = "all";
      if (!visibility.everyone) {
        const members = await ctx.db
          .selectFrom("organization_members as m")
          .select("m.user_id")
          .where("m.organization_id", "=", organizationId)
          .where((eb) =>
            eb.or([
              ...(visibility.departments.length
                ? [eb("m.department_id", "in", visibility.departments)]
                : []),
              ...(visibility.teams.length
                ? [
                    eb(
                      "m.user_id",
                      "in",
                      eb
                        .selectFrom("team_members")
                        .select("user_id")
                        .where("team_id", "in", visibility.teams),
                    ),
                  ]
                : []),
              ...(visibility.self ? [eb("m.user_id", "=", visibility.self)] : []),
              eb.val(false),
            ]),
          )
          .execute();
        learnerIds = members.map((m) => m.user_id);
      }
      if (request.query.learnerId)
        learnerIds =
          learnerIds === "all" || learnerIds.includes(request.query.learnerId)
            ? [request.query.learnerId]
            : [];
      const { rows, pagination } = await queryEvents(ctx, {
        ...request.query,
        organizationId,
        learnerIds,
      });
      return okList(rows.map(presentEvent), pagination);
    },
  );
}
