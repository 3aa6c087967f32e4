import { z } from "zod";
import { done, envelope, listEnvelope, ok, okEmpty, okList } from "../../platform/http/envelope.js";
import { pageQuery } from "../../platform/http/pagination.js";
import { type App, idParam } from "../../platform/http/server.js";
import { webhookEventTypes } from "../../platform/webhook-events.js";
import { listDeliveries } from "./deliveries.js";
import { redeliver, sendTest, visibleDelivery } from "./delivery.js";
import {
  createEndpoint,
  deleteEndpoint,
  listEndpoints,
  rotateSecret,
  updateEndpoint,
  visibleEndpoint,
} from "./endpoints.js";
import "./event-types.js";
import {
  presentDelivery,
  presentDeliveryDetail,
  presentWebhook,
  webhookDeliveryDetailSchema,
  webhookDeliverySchema,
  webhookSchema,
} from "./presenter.js";
import { ENDPOINT_STATUSES, OUTBOUND_DELIVERY_STATUSES } from "./schema.js";

const fields = {
  url: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .describe("Where events are POSTed; a public address unless the deployment allows others"),
  description: z.string().trim().max(2000).nullable(),
  eventTypes: z
    .array(z.string().max(100))
    .min(1)
    .max(100)
    .describe("Event types from GET /webhook-event-types"),
};

const withSecret = z
  .object({
    webhook: webhookSchema,
    secret: z.string().describe("The signing secret. Shown only now: store it safely."),
  })
  .meta({ id: "WebhookWithSecret" });

const eventTypeSchema = z
  .object({
    type: z.string(),
    description: z.string(),
    fields: z.record(z.string(), z.string()).describe("The fields of the delivery's data"),
  })
  .meta({ id: "WebhookEventType" });

/** Outbound webhooks (issue 16 §5, docs/webhooks.md). */
export async function outboundWebhookRoutes(app: App): Promise<void> {
  const tags = ["Webhooks"];
  const access = { permission: "integrations:manage" } as const;
  const params = idParam("webhookId");

  app.get(
    "/api/v1/webhook-event-types",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "The events webhooks can subscribe to, with their payload fields",
        response: { 200: envelope(z.array(eventTypeSchema)) },
      },
    },
    async () =>
      ok(
        webhookEventTypes().map((e) => ({
          type: e.type,
          description: e.description,
          fields: e.fields,
        })),
      ),
  );

  app.get(
    "/api/v1/organizations/:organizationId/webhooks",
    {
      config: { access },
      schema: {
        tags,
        summary: "The organization's webhooks",
        params: idParam("organizationId"),
        querystring: pageQuery(["createdAt"], { sort: "-createdAt" }).extend({
          status: z.enum(ENDPOINT_STATUSES).optional(),
        }),
        response: { 200: listEnvelope(webhookSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listEndpoints(
        request.ctx,
        request.params.organizationId,
        request.query,
      );
      return okList(rows.map(presentWebhook), pagination);
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/webhooks",
    {
      config: { access },
      schema: {
        tags,
        summary: "Add a webhook",
        description:
          "The answer holds the signing secret once; it is stored encrypted and never shown again (rotate it to get a new one).",
        params: idParam("organizationId"),
        body: z.object(fields).partial({ description: true }).strict(),
        response: { 201: envelope(withSecret) },
      },
    },
    async (request, reply) => {
      const { endpoint, secret } = await createEndpoint(
        request.ctx,
        request.params.organizationId,
        request.body,
      );
      reply.code(201);
      return ok({ webhook: presentWebhook(endpoint), secret });
    },
  );

  app.get(
    "/api/v1/webhooks/:webhookId",
    {
      config: { access },
      schema: { tags, summary: "One webhook", params, response: { 200: envelope(webhookSchema) } },
    },
    async (request) =>
      ok(presentWebhook(await visibleEndpoint(request.ctx, request.params.webhookId))),
  );

  app.patch(
    "/api/v1/webhooks/:webhookId",
    {
      config: { access },
      schema: {
        tags,
        summary: "Change, disable or enable a webhook",
        description:
          "status disabled stops deliveries (those waiting are given up); status active enables it again with its failure count reset. A webhook of an API key changes with the key.",
        params,
        body: z
          .object({ ...fields, status: z.enum(ENDPOINT_STATUSES) })
          .partial()
          .strict(),
        response: { 200: envelope(webhookSchema) },
      },
    },
    async (request) =>
      ok(presentWebhook(await updateEndpoint(request.ctx, request.params.webhookId, request.body))),
  );

  app.delete(
    "/api/v1/webhooks/:webhookId",
    {
      config: { access },
      schema: {
        tags,
        summary: "Remove a webhook and its deliveries",
        params,
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteEndpoint(request.ctx, request.params.webhookId);
      return done();
    },
  );

  app.post(
    "/api/v1/webhooks/:webhookId/rotate-secret",
    {
      config: { access },
      schema: {
        tags,
        summary: "Replace a webhook's signing secret",
        description: "The old secret stops at once; the new one is shown only in this answer.",
        params,
        response: { 200: envelope(withSecret) },
      },
    },
    async (request) => {
      const { endpoint, secret } = await rotateSecret(request.ctx, request.params.webhookId);
      return ok({ webhook: presentWebhook(endpoint), secret });
    },
  );

  app.post(
    "/api/v1/webhooks/:webhookId/test",
    {
      config: { access },
      schema: {
        tags,
        summary: "Send a test event (webhook.ping) now",
        description: "Answers the delivery with the receiver's answer.",
        params,
        response: { 200: envelope(webhookDeliverySchema) },
      },
    },
    async (request) => ok(presentDelivery(await sendTest(request.ctx, request.params.webhookId))),
  );

  app.get(
    "/api/v1/webhooks/:webhookId/deliveries",
    {
      config: { access },
      schema: {
        tags,
        summary: "A webhook's deliveries, newest first",
        params,
        querystring: pageQuery(["createdAt"], { sort: "-createdAt" }).extend({
          status: z.enum(OUTBOUND_DELIVERY_STATUSES).optional(),
          eventType: z.string().max(100).optional(),
        }),
        response: { 200: listEnvelope(webhookDeliverySchema) },
      },
    },
    async (request) => {
      const endpoint = await visibleEndpoint(request.ctx, request.params.webhookId);
      const { rows, pagination } = await listDeliveries(request.ctx, endpoint.id, request.query);
      return okList(rows.map(presentDelivery), pagination);
    },
  );

  app.get(
    "/api/v1/webhook-deliveries/:webhookDeliveryId",
    {
      config: { access },
      schema: {
        tags,
        summary: "One delivery with the body sent and the answer received",
        params: idParam("webhookDeliveryId"),
        response: { 200: envelope(webhookDeliveryDetailSchema) },
      },
    },
    async (request) =>
      ok(
        presentDeliveryDetail(await visibleDelivery(request.ctx, request.params.webhookDeliveryId)),
      ),
  );

  app.post(
    "/api/v1/webhook-deliveries/:webhookDeliveryId/redeliver",
    {
      config: { access },
      schema: {
        tags,
        summary: "Send a delivery's event again",
        description:
          "A new delivery with the same event id and body, sent by the worker at once; the original stays as it was.",
        params: idParam("webhookDeliveryId"),
        response: { 201: envelope(webhookDeliverySchema) },
      },
    },
    async (request, reply) => {
      const copy = await redeliver(request.ctx, request.params.webhookDeliveryId);
      reply.code(201);
      return ok(presentDelivery(copy));
    },
  );
}
