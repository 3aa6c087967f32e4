import { z } from "zod";
import {
  envelope,
  isoDateTime,
  listEnvelope,
  ok,
  okList,
} from "../../../platform/http/envelope.js";
import { AppError } from "../../../platform/http/errors.js";
import { pageQuery, queryFlag } from "../../../platform/http/pagination.js";
import { type App, idParam } from "../../../platform/http/server.js";
import { ref } from "../../../platform/references.js";
import { EXTERNAL_ENROLLMENT_STATUSES } from "../connectors/types.js";
import { visibleIntegration } from "../integrations.js";
import { integrationSchema, presentIntegration } from "../presenter.js";
import { requestSync, retryDeadLetters } from "./engine.js";
import {
  externalEnrollmentSchema,
  externalProgress,
  listExternalEnrollments,
  manualEnrollmentSchema,
  presentExternalEnrollment,
  progressSchema,
  recordExternalEnrollment,
  visibleExternalEnrollment,
} from "./external-enrollments.js";
import { integrationHealth } from "./monitoring.js";
import {
  deadLetterSchema,
  healthSchema,
  incidentSchema,
  presentDeadLetter,
  presentHealth,
  presentIncident,
  presentRecord,
  presentRun,
  syncRecordSchema,
  syncRunSchema,
} from "./presenter.js";
import { SYNC_ENTITIES } from "./schema.js";
import {
  discardDeadLetter,
  externalAnalytics,
  listDeadLetters,
  listIncidents,
  listRecords,
  listRuns,
  setMonitoring,
  visibleRun,
} from "./service.js";

/** Sync runs, their reports, dead letters, monitoring and external records (issue 15 §3, §5). */
export async function syncRoutes(app: App): Promise<void> {
  const tags = ["LMS integrations"];
  const access = { permission: "integrations:manage" } as const;
  const integration = idParam("integrationId");

  app.post(
    "/api/v1/lms-integrations/:integrationId/sync",
    {
      config: { access },
      schema: {
        tags,
        summary: "Start a sync run",
        description:
          "Queues a run that reads the external system's courses and enrollments into Lyceum (one run at a time per integration: SYNC_IN_PROGRESS otherwise). Incremental: it asks for what changed since the start of the last finished run, unless `full`. A dry run writes nothing and reports what it would change.",
        params: integration,
        body: z
          .object({
            dryRun: z.boolean().default(false),
            full: z.boolean().default(false).describe("Read everything, not only what changed"),
          })
          .strict(),
        response: { 202: envelope(syncRunSchema) },
      },
    },
    async (request, reply) => {
      const found = await visibleIntegration(request.ctx, request.params.integrationId);
      if (!found.is_active)
        throw new AppError("CONFLICT", "The integration is inactive: activate it to sync");
      if (found.direction === "export")
        throw new AppError("CONFLICT", "The integration only sends data out: nothing to read");
      const run = await requestSync(
        request.ctx,
        { id: found.id, organizationId: found.organization_id },
        request.body,
      );
      reply.code(202);
      return ok(presentRun(run));
    },
  );

  app.get(
    "/api/v1/lms-integrations/:integrationId/sync-runs",
    {
      config: { access },
      schema: {
        tags,
        summary: "An integration's sync runs, newest first",
        params: integration,
        querystring: pageQuery(["createdAt"], { sort: "-createdAt" }).extend({
          status: z
            .enum(["queued", "running", "succeeded", "partial", "failed", "cancelled"])
            .optional(),
          dryRun: queryFlag().optional(),
        }),
        response: { 200: listEnvelope(syncRunSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listRuns(
        request.ctx,
        request.params.integrationId,
        request.query,
      );
      return okList(rows.map(presentRun), pagination);
    },
  );

  app.get(
    "/api/v1/integration-sync-runs/:runId",
    {
      config: { access },
      schema: {
        tags,
        summary: "A sync run: its status, counts and where it is",
        params: idParam("runId"),
        response: { 200: envelope(syncRunSchema) },
      },
    },
    async (request) => ok(presentRun((await visibleRun(request.ctx, request.params.runId)).run)),
  );

  app.get(
    "/api/v1/integration-sync-runs/:runId/records",
    {
      config: { access },
      schema: {
        tags,
        summary: "A run's report: every record created, updated, skipped or failed, with why",
        description: "Unchanged records are counted on the run, not listed.",
        params: idParam("runId"),
        querystring: pageQuery(["createdAt", "externalId"], { sort: "createdAt" }).extend({
          outcome: z.enum(["created", "updated", "skipped", "failed"]).optional(),
          entity: z.enum(SYNC_ENTITIES).optional(),
          externalId: z.string().max(300).optional(),
        }),
        response: { 200: listEnvelope(syncRecordSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listRecords(
        request.ctx,
        request.params.runId,
        request.query,
      );
      return okList(rows.map(presentRecord), pagination);
    },
  );

  app.get(
    "/api/v1/lms-integrations/:integrationId/dead-letters",
    {
      config: { access },
      schema: {
        tags,
        summary: "Records that failed and wait to be tried again",
        params: integration,
        querystring: pageQuery(["createdAt", "updatedAt"], { sort: "-updatedAt" }).extend({
          status: z.enum(["open", "retried", "discarded"]).optional(),
        }),
        response: { 200: listEnvelope(deadLetterSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listDeadLetters(
        request.ctx,
        request.params.integrationId,
        request.query,
      );
      return okList(rows.map(presentDeadLetter), pagination);
    },
  );

  app.post(
    "/api/v1/lms-integrations/:integrationId/dead-letters/retry",
    {
      config: { access },
      schema: {
        tags,
        summary: "Try open dead letters again",
        description:
          "Stores the records again as they were received (people and courses found anew), in a run of its own with trigger `retry`. Without `ids`, every open dead letter of the integration.",
        params: integration,
        body: z
          .object({ ids: z.array(ref("integration-dead-letter")).min(1).max(1000).optional() })
          .strict(),
        response: { 200: envelope(syncRunSchema) },
      },
    },
    async (request) => {
      const found = await visibleIntegration(request.ctx, request.params.integrationId);
      const run = await retryDeadLetters(
        request.ctx,
        { id: found.id, organizationId: found.organization_id },
        request.body.ids,
      );
      return ok(presentRun(run));
    },
  );

  app.post(
    "/api/v1/integration-dead-letters/:deadLetterId/discard",
    {
      config: { access },
      schema: {
        tags,
        summary: "Give up on a dead letter",
        params: idParam("deadLetterId"),
        response: { 200: envelope(deadLetterSchema) },
      },
    },
    async (request) =>
      ok(presentDeadLetter(await discardDeadLetter(request.ctx, request.params.deadLetterId))),
  );

  app.get(
    "/api/v1/lms-integrations/:integrationId/health",
    {
      config: { access },
      schema: {
        tags,
        summary:
          "How an integration has been doing: success and error rates, latency, service level",
        params: integration,
        querystring: z.object({ windowDays: z.coerce.number().int().min(1).max(365).default(30) }),
        response: { 200: envelope(healthSchema) },
      },
    },
    async (request) => {
      const found = await visibleIntegration(request.ctx, request.params.integrationId);
      return ok(
        presentHealth(await integrationHealth(request.ctx, found, request.query.windowDays)),
      );
    },
  );

  app.get(
    "/api/v1/lms-integrations/:integrationId/incidents",
    {
      config: { access },
      schema: {
        tags,
        summary: "Incidents opened by repeated failures, newest first",
        params: integration,
        querystring: pageQuery(["openedAt"], { sort: "-openedAt" }).extend({
          status: z.enum(["open", "resolved"]).optional(),
        }),
        response: { 200: listEnvelope(incidentSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listIncidents(
        request.ctx,
        request.params.integrationId,
        request.query,
      );
      return okList(rows.map(presentIncident), pagination);
    },
  );

  app.put(
    "/api/v1/lms-integrations/:integrationId/monitoring",
    {
      config: { access },
      schema: {
        tags,
        summary: "Set an integration's service level and when failures open an incident",
        params: integration,
        body: z
          .object({
            slaHours: z
              .number()
              .int()
              .min(1)
              .max(8760)
              .nullable()
              .describe("A successful sync at least every so many hours; null: none"),
            incidentAfterFailures: z.number().int().min(1).max(100),
          })
          .strict(),
        response: { 200: envelope(integrationSchema) },
      },
    },
    async (request) => {
      const row = await setMonitoring(request.ctx, request.params.integrationId, request.body);
      return ok(presentIntegration(row, request.ctx.clock.now()));
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/lms-enrollments",
    {
      config: { access },
      schema: {
        tags,
        summary: "External enrollments: learning recorded in other systems",
        params: idParam("organizationId"),
        querystring: pageQuery(["enrolledAt", "completedAt", "syncedAt"], {
          sort: "-enrolledAt",
        }).extend({
          integrationId: ref("lms-integration").optional(),
          userId: ref("user").optional().describe("The employee"),
          courseId: ref("course").optional(),
          status: z
            .enum(EXTERNAL_ENROLLMENT_STATUSES)
            .optional()
            .describe("In the external system's terms"),
          dateFrom: isoDateTime().optional().describe("Enrolled at or after"),
          dateTo: isoDateTime().optional().describe("Enrolled before"),
          search: z.string().trim().min(1).max(100).optional(),
        }),
        response: { 200: listEnvelope(externalEnrollmentSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listExternalEnrollments(
        request.ctx,
        request.params.organizationId,
        request.query,
      );
      return okList(rows.map(presentExternalEnrollment), pagination);
    },
  );

  app.post(
    "/api/v1/lms-integrations/:integrationId/lms-enrollments",
    {
      config: { access },
      schema: {
        tags,
        summary: "Record an external enrollment by hand",
        description:
          "For systems without an API (manual entry): the course is mirrored into the catalog when new, and the record is stored as a sync would store it, keyed by its external id (sending it again updates it).",
        params: integration,
        body: manualEnrollmentSchema,
        response: { 200: envelope(externalEnrollmentSchema) },
      },
    },
    async (request) => {
      const id = await recordExternalEnrollment(
        request.ctx,
        request.params.integrationId,
        request.body,
      );
      return ok(presentExternalEnrollment(await visibleExternalEnrollment(request.ctx, id)));
    },
  );

  app.get(
    "/api/v1/lms-enrollments/:enrollmentId",
    {
      config: { access },
      schema: {
        tags,
        summary: "An external enrollment",
        params: idParam("enrollmentId"),
        response: { 200: envelope(externalEnrollmentSchema) },
      },
    },
    async (request) =>
      ok(
        presentExternalEnrollment(
          await visibleExternalEnrollment(request.ctx, request.params.enrollmentId),
        ),
      ),
  );

  app.get(
    "/api/v1/lms-progress/:enrollmentId",
    {
      config: { access },
      schema: {
        tags,
        summary: "An external enrollment's progress and the learning events it recorded",
        params: idParam("enrollmentId"),
        response: { 200: envelope(progressSchema) },
      },
    },
    async (request) => ok(await externalProgress(request.ctx, request.params.enrollmentId)),
  );

  app.get(
    "/api/v1/organizations/:organizationId/lms-analytics",
    {
      config: { access },
      schema: {
        tags,
        summary:
          "External learning per integration: enrollments, completions, scores, credits, cost, and how each integration is doing",
        params: idParam("organizationId"),
        response: {
          200: envelope(
            z
              .array(
                z.object({
                  integrationId: z.uuid(),
                  name: z.string(),
                  lmsType: z.string(),
                  enrollments: z.number().int(),
                  active: z.number().int(),
                  completed: z.number().int(),
                  completionRate: z.number().nullable(),
                  learners: z.number().int(),
                  courses: z.number().int(),
                  averageScore: z.number().nullable(),
                  credits: z.number(),
                  hoursSpent: z.number(),
                  costMinor: z.record(z.string(), z.number()).describe("Currency → minor units"),
                  health: healthSchema,
                }),
              )
              .meta({ id: "LmsAnalytics" }),
          ),
        },
      },
    },
    async (request) => {
      const rows = await externalAnalytics(request.ctx, request.params.organizationId);
      const out = [];
      for (const { lastSuccessfulSyncAt, slaHours, ...row } of rows)
        out.push({
          ...row,
          health: presentHealth(
            await integrationHealth(request.ctx, {
              id: row.integrationId,
              sla_hours: slaHours,
              last_successful_sync_at: lastSuccessfulSyncAt,
            }),
          ),
        });
      return ok(out);
    },
  );
}
