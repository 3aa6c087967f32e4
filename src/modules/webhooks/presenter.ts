import { z } from "zod";
import { isoDateTime } from "../../platform/http/envelope.js";
import {
  ENDPOINT_STATUSES,
  OUTBOUND_DELIVERY_STATUSES,
  type OutboundDeliveryRow,
  type WebhookEndpointRow,
} from "./schema.js";

const iso = isoDateTime;

export const webhookSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()),
    status: z.enum(ENDPOINT_STATUSES),
    disabledReason: z.string().nullable(),
    disabledAt: iso().nullable(),
    consecutiveFailures: z.number().int(),
    failingSince: iso().nullable(),
    lastDeliveryAt: iso().nullable(),
    apiKeyId: z
      .uuid()
      .nullable()
      .describe("Set when the webhook follows an API key's webhookUrl and webhookEvents"),
    createdBy: z.uuid().nullable(),
    createdAt: iso(),
    updatedAt: iso(),
  })
  .meta({ id: "Webhook" });

export function presentWebhook(row: WebhookEndpointRow): z.infer<typeof webhookSchema> {
  return {
    id: row.id,
    organizationId: row.organization_id,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types,
    status: row.status,
    disabledReason: row.disabled_reason,
    disabledAt: row.disabled_at?.toISOString() ?? null,
    consecutiveFailures: row.consecutive_failures,
    failingSince: row.failing_since?.toISOString() ?? null,
    lastDeliveryAt: row.last_delivery_at?.toISOString() ?? null,
    apiKeyId: row.api_key_id,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export const webhookDeliverySchema = z
  .object({
    id: z.uuid(),
    webhookId: z.uuid(),
    eventId: z.uuid(),
    eventType: z.string(),
    status: z.enum(OUTBOUND_DELIVERY_STATUSES),
    attempts: z.number().int(),
    nextAttemptAt: iso().nullable(),
    lastAttemptAt: iso().nullable(),
    responseStatus: z.number().int().nullable(),
    durationMs: z.number().int().nullable(),
    error: z.string().nullable(),
    deliveredAt: iso().nullable(),
    createdAt: iso(),
  })
  .meta({ id: "WebhookDelivery" });

export const webhookDeliveryDetailSchema = webhookDeliverySchema
  .extend({
    request: z.object({
      body: z.record(z.string(), z.unknown()).describe("The JSON body sent (docs/webhooks.md)"),
    }),
    responseBody: z.string().nullable().describe("The first 2 KiB of the receiver's answer"),
  })
  .meta({ id: "WebhookDeliveryDetail" });

export function presentDelivery(row: OutboundDeliveryRow): z.infer<typeof webhookDeliverySchema> {
  return {
    id: row.id,
    webhookId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
    lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
    responseStatus: row.response_status,
    durationMs: row.duration_ms,
    error: row.error,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

export function presentDeliveryDetail(
  row: OutboundDeliveryRow,
): z.infer<typeof webhookDeliveryDetailSchema> {
  return {
    ...presentDelivery(row),
    request: { body: row.payload as unknown as Record<string, unknown> },
    responseBody: row.response_body,
  };
}
