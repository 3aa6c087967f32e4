import { z } from "zod";
import { done, envelope, listEnvelope, ok, okEmpty, okList } from "../../platform/http/envelope.js";
import { pageQuery, queryFlag } from "../../platform/http/pagination.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import { previewMapping, testConnection } from "./connection.js";
import { LMS_TYPES } from "./connectors/types.js";
import { credentialsInputSchema } from "./credentials.js";
import {
  createIntegration,
  listIntegrations,
  removeIntegration,
  updateIntegration,
  visibleIntegration,
} from "./integrations.js";
import { integrationSchema, presentIntegration } from "./presenter.js";
import {
  fieldMappingsSchema,
  TARGET_FIELDS,
  transformationRulesSchema,
  validationRulesSchema,
} from "./rules.js";
import {
  AUTH_TYPES,
  CONNECTION_STATUSES,
  DATA_FORMATS,
  DIRECTIONS,
  INTEGRATION_METHODS,
  SYNC_FREQUENCIES,
} from "./schema.js";
import { webhookSecretStatus } from "./webhooks/secrets.js";

const fields = {
  name: z.string().trim().min(1).max(200),
  code: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$/,
      "Up to 50 letters, digits, dots, dashes and underscores",
    )
    .describe("Unique within the organization"),
  lmsType: z.enum(LMS_TYPES),
  method: z.enum(INTEGRATION_METHODS),
  authType: z.enum(AUTH_TYPES),
  credentials: credentialsInputSchema
    .nullable()
    .describe(
      "Replaces the stored credentials entirely; null erases them; leaving the field out keeps them. Secret fields are never returned.",
    ),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable()
    .describe("The system's address, e.g. https://moodle.example.org"),
  apiVersion: z.string().trim().min(1).max(20),
  dataFormat: z.enum(DATA_FORMATS),
  encoding: z.string().trim().min(1).max(20),
  syncFrequency: z.enum(SYNC_FREQUENCIES),
  syncCron: z
    .string()
    .trim()
    .min(9)
    .max(100)
    .nullable()
    .describe(
      "For syncFrequency cron: five or six fields, read in the organization's time zone; at most every 5 minutes",
    ),
  direction: z.enum(DIRECTIONS),
  isActive: z.boolean(),
  maxRetries: z.number().int().min(0).max(10),
  timeoutSeconds: z.number().int().min(1).max(600),
  rateLimitPerHour: z.number().int().min(1).max(1_000_000),
  options: z
    .record(z.string(), z.unknown())
    .describe("System-specific settings, e.g. Canvas accountId"),
  fieldMappings: fieldMappingsSchema,
  transformationRules: transformationRulesSchema,
  validationRules: validationRulesSchema,
  ownerIds: z.array(ref("user")).max(50).describe("Members told about the integration's failures"),
};

const createBody = z
  .object(fields)
  .partial()
  .required({ name: true, code: true, lmsType: true, method: true });

const testAnswerSchema = z
  .object({
    ok: z.boolean(),
    connectionStatus: z.enum(CONNECTION_STATUSES),
    message: z.string().nullable().describe("What went wrong, in one sentence; null when ok"),
    errorKind: z
      .string()
      .nullable()
      .describe(
        "auth, forbidden, rate-limited, timeout, unreachable, not-found, malformed, remote, unsupported, not-configured",
      ),
    checks: z.array(z.object({ step: z.string(), ok: z.boolean(), message: z.string() })),
    system: z.object({ name: z.string().optional(), version: z.string().optional() }).nullable(),
    latencyMs: z.number().nullable(),
    testedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: "LmsConnectionTest" });

const previewSchema = z
  .object({
    record: z.record(z.string(), z.unknown()),
    problems: z.array(z.object({ field: z.string(), rule: z.string(), message: z.string() })),
  })
  .meta({ id: "LmsMappingPreview" });

/** Integration configurations (issue 15 §1; seed 003 §3.1 and §9.1, seed 004 13.4.2). */
export async function integrationRoutes(app: App): Promise<void> {
  const tags = ["LMS integrations"];
  const params = idParam("integrationId");
  const access = { permission: "integrations:manage" } as const;

  app.get(
    "/api/v1/organizations/:organizationId/lms-integrations",
    {
      config: { access },
      schema: {
        tags,
        summary: "The organization's integrations with external learning systems",
        params: idParam("organizationId"),
        querystring: pageQuery(["createdAt", "name", "code", "lastTestedAt"], {
          sort: "-createdAt",
        }).extend({
          isActive: queryFlag().optional(),
          lmsType: z.enum(LMS_TYPES).optional(),
          connectionStatus: z.enum(CONNECTION_STATUSES).optional(),
        }),
        response: { 200: listEnvelope(integrationSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listIntegrations(
        request.ctx,
        request.params.organizationId,
        request.query,
      );
      const now = request.ctx.clock.now();
      return okList(
        rows.map((r) => presentIntegration(r, now)),
        pagination,
      );
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/lms-integrations",
    {
      config: { access },
      schema: {
        tags,
        summary: "Connect an external learning system",
        description:
          "Credentials are encrypted before they are stored and never returned: responses show only which are set. Field mappings, transformation and validation rules are checked here (docs/integrations.md) and refused at the path of the bad rule.",
        params: idParam("organizationId"),
        body: createBody,
        response: { 201: envelope(integrationSchema) },
      },
    },
    async (request, reply) => {
      const row = await createIntegration(request.ctx, request.params.organizationId, request.body);
      reply.code(201);
      return ok(presentIntegration(row, request.ctx.clock.now()));
    },
  );

  app.get(
    "/api/v1/lms-integrations/:integrationId",
    {
      config: { access },
      schema: {
        tags,
        summary: "An integration's configuration (secrets only as set or not)",
        params,
        response: { 200: envelope(integrationSchema) },
      },
    },
    async (request) => {
      const row = await visibleIntegration(request.ctx, request.params.integrationId);
      return ok({
        ...presentIntegration(row, request.ctx.clock.now()),
        ...(row.lms_type === "inbound-webhook"
          ? { webhookSecret: await webhookSecretStatus(request.ctx, row.id) }
          : {}),
      });
    },
  );

  app.put(
    "/api/v1/lms-integrations/:integrationId",
    {
      config: { access },
      schema: {
        tags,
        summary: "Replace an integration's configuration",
        description:
          "Every field the body leaves out returns to its default, except credentials, which are kept unless sent (null erases them).",
        params,
        body: createBody,
        response: { 200: envelope(integrationSchema) },
      },
    },
    async (request) => {
      const row = await updateIntegration(
        request.ctx,
        request.params.integrationId,
        request.body,
        true,
      );
      return ok(presentIntegration(row, request.ctx.clock.now()));
    },
  );

  app.patch(
    "/api/v1/lms-integrations/:integrationId",
    {
      config: { access },
      schema: {
        tags,
        summary: "Change some of an integration's fields",
        description:
          "Credentials sent replace the stored ones; null erases them; left out, they are kept. `connectionStatus` may be set to maintenance or disconnected by hand.",
        params,
        body: z
          .object({
            ...fields,
            connectionStatus: z.enum(["maintenance", "disconnected"]),
          })
          .partial()
          .strict(),
        response: { 200: envelope(integrationSchema) },
      },
    },
    async (request) => {
      const row = await updateIntegration(
        request.ctx,
        request.params.integrationId,
        request.body,
        false,
      );
      return ok(presentIntegration(row, request.ctx.clock.now()));
    },
  );

  app.delete(
    "/api/v1/lms-integrations/:integrationId",
    {
      config: { access },
      schema: {
        tags,
        summary: "Remove an integration",
        description:
          "The integration disappears from the API, its stored credentials are erased and its code is free again. What was imported through it keeps naming it as its source. To pause one instead, set isActive to false.",
        params,
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await removeIntegration(request.ctx, request.params.integrationId);
      return done();
    },
  );

  app.post(
    "/api/v1/lms-integrations/:integrationId/test-connection",
    {
      config: { access },
      schema: {
        tags,
        summary: "Test the connection: what worked and what did not, in words",
        description:
          "Calls the system with the stored credentials and answers each check (reach, authenticate, read …). A failure is an answer with ok false and the reason, not an error. The connection status, test time and error are stored and audited.",
        params,
        response: { 200: envelope(testAnswerSchema) },
      },
    },
    async (request) => ok(await testConnection(request.ctx, request.params.integrationId)),
  );

  app.post(
    "/api/v1/lms-integrations/:integrationId/mapping-preview",
    {
      config: { access },
      schema: {
        tags,
        summary: "Apply the rules to a sample external record",
        description: `Answers the Lyceum record the integration's field mappings, transformation rules and validation rules make of the sample, and every problem found. Rules sent with the sample are used instead of the stored ones (to try them before saving). Nothing is stored. Lyceum fields: ${TARGET_FIELDS.join(", ")}.`,
        params,
        body: z.object({
          record: z
            .record(z.string(), z.unknown())
            .describe("One record as the external system sends it"),
          fieldMappings: fieldMappingsSchema.optional(),
          transformationRules: transformationRulesSchema.optional(),
          validationRules: validationRulesSchema.optional(),
        }),
        response: { 200: envelope(previewSchema) },
      },
    },
    async (request) => {
      const { record, ...rules } = request.body;
      return ok(await previewMapping(request.ctx, request.params.integrationId, record, rules));
    },
  );
}
