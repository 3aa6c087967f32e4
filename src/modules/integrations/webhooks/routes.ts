import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { envelope, listEnvelope, ok, okList } from "../../../platform/http/envelope.js";
import { AppError } from "../../../platform/http/errors.js";
import { pageQuery } from "../../../platform/http/pagination.js";
import { type App, idParam } from "../../../platform/http/server.js";
import {
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_S,
} from "../../../platform/net/signature.js";
import {
  authenticateDelivery,
  deliverySchema,
  listDeliveries,
  presentDelivery,
  storeDelivery,
} from "./deliveries.js";
import { MAX_BODY_BYTES, MAX_RECORDS, webhookDeliverySchema } from "./payload.js";
import { DELIVERY_STATUSES } from "./schema.js";
import {
  ROTATION_GRACE_MS,
  rotateWebhookSecret,
  webhookIntegration,
  webhookSecretSchema,
} from "./secrets.js";

const tags = ["LMS integrations"];

/** An inbound-webhook integration's signing secret and its deliveries, for its administrators. */
export async function webhookRoutes(app: App): Promise<void> {
  const access = { permission: "integrations:manage" } as const;
  const params = idParam("integrationId");

  app.post(
    "/api/v1/lms-integrations/:integrationId/webhook-secret",
    {
      config: { access },
      schema: {
        tags,
        summary: "Generate (or rotate) an inbound webhook's signing secret",
        description: `Answers a new random secret once; it is stored encrypted and never shown again (the integration shows only whether one is set). After a rotation the previous secret is still accepted for ${ROTATION_GRACE_MS / 3_600_000} hours, so the sending system can switch without a refused delivery. Only for integrations of type inbound-webhook (CONFLICT otherwise). Audited, without the secret.`,
        params,
        body: z.object({}).strict(),
        response: { 201: envelope(webhookSecretSchema) },
      },
    },
    async (request, reply) => {
      const answer = await rotateWebhookSecret(request.ctx, request.params.integrationId);
      reply.code(201);
      return ok(answer);
    },
  );

  app.get(
    "/api/v1/lms-integrations/:integrationId/webhook-deliveries",
    {
      config: { access },
      schema: {
        tags,
        summary: "An inbound webhook's deliveries, newest first",
        description:
          "What the sending system pushed and what became of it: each delivery is received, then read by a sync run (runId; its report has the outcome of every record) and ends processed or failed. The payload itself is not listed.",
        params,
        querystring: pageQuery(["receivedAt"], { sort: "-receivedAt" }).extend({
          status: z.enum(DELIVERY_STATUSES).optional(),
        }),
        response: { 200: listEnvelope(deliverySchema) },
      },
    },
    async (request) => {
      const integration = await webhookIntegration(request.ctx, request.params.integrationId);
      const { rows, pagination } = await listDeliveries(request.ctx, integration.id, request.query);
      return okList(rows.map(presentDelivery), pagination);
    },
  );
}

/** What the signature check found, for the handler of the same request. */
const verified = new WeakMap<
  FastifyRequest,
  { id: string; organizationId: string; size: number }
>();

const receivedSchema = deliverySchema.extend({
  duplicate: z
    .boolean()
    .describe("True when this delivery id was received before: nothing was done again"),
});

/**
 * The receiving end of inbound webhooks: no session or API key, the signature over the raw
 * body is the authentication. Its own scope keeps JSON bodies as raw bytes.
 */
export async function webhookReceiveRoutes(app: App): Promise<void> {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) =>
    done(null, body),
  );

  app.post(
    "/api/v1/integration-webhooks/:integrationId",
    {
      config: { access: { public: true }, errors: ["WEBHOOK_UNAUTHENTICATED", "RATE_LIMITED"] },
      bodyLimit: MAX_BODY_BYTES,
      schema: {
        tags,
        summary: "Receive a delivery from an external learning system (inbound webhook)",
        description: `Authenticated by its signature only (docs/integrations.md, "Inbound webhooks"): header \`Lyceum-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>\` (several v1 allowed while rotating), the timestamp within ${SIGNATURE_TOLERANCE_S} seconds of Lyceum's clock. Anything that does not prove the sender (unknown or inactive integration, no secret, a missing, wrong or stale signature) answers the same 401 WEBHOOK_UNAUTHENTICATED. The delivery is stored and answered 202; a sync run reads it soon after, applying the integration's rules and matching people by email among the organization's members (nobody is created). A delivery id received before answers 200 with the first delivery and nothing is processed again. At most ${MAX_RECORDS} courses and ${MAX_RECORDS} enrollments, and ${MAX_BODY_BYTES / 1024} KiB, per delivery (413 beyond).`,
        params: idParam("integrationId"),
        headers: z
          .object({
            [SIGNATURE_HEADER]: z.string().optional().describe("t=<unix seconds>,v1=<hex HMAC>"),
            [DELIVERY_HEADER]: z
              .string()
              .optional()
              .describe("The delivery's id; when sent, it must equal the body's id"),
          })
          .passthrough(),
        body: webhookDeliverySchema,
        response: { 200: envelope(receivedSchema), 202: envelope(receivedSchema) },
      },
      preValidation: async (request) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const integration = await authenticateDelivery(request.ctx, {
          integrationId: (request.params as { integrationId: string }).integrationId,
          rawBody: raw,
          signature: request.headers[SIGNATURE_HEADER],
          ip: request.ip,
        });
        verified.set(request, { ...integration, size: raw.length });
        try {
          request.body = JSON.parse(raw.toString("utf8")) as never;
        } catch {
          throw new AppError("INVALID_JSON", "The delivery's body is not JSON");
        }
      },
    },
    async (request, reply) => {
      const integration = verified.get(request);
      if (!integration) throw new AppError("WEBHOOK_UNAUTHENTICATED", "Not verified");
      const { delivery, duplicate } = await storeDelivery(request.ctx, integration, request.body, {
        deliveryHeader: request.headers[DELIVERY_HEADER],
        sizeBytes: integration.size,
      });
      reply.code(duplicate ? 200 : 202);
      return ok({ ...presentDelivery(delivery), duplicate });
    },
  );
}
