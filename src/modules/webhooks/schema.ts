import type { Generated, Selectable } from "kysely";
import type { CreatedAt, Json, TextArray, Timestamp } from "../../db/columns.js";

/** Row types of migrations/20261207000100_outbound_webhooks.sql. */

export const ENDPOINT_STATUSES = ["active", "disabled"] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];
export const OUTBOUND_DELIVERY_STATUSES = ["pending", "delivered", "failed", "dead"] as const;
export type OutboundDeliveryStatus = (typeof OUTBOUND_DELIVERY_STATUSES)[number];

export interface WebhookEndpointsTable {
  id: Generated<string>;
  organization_id: string;
  url: string;
  description: string | null;
  event_types: TextArray;
  secret_sealed: string;
  secret_key_id: string;
  status: Generated<EndpointStatus>;
  disabled_reason: string | null;
  disabled_at: Timestamp | null;
  consecutive_failures: Generated<number>;
  failing_since: Timestamp | null;
  last_delivery_at: Timestamp | null;
  api_key_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

/** The body sent for a delivery (docs/webhooks.md). */
export interface WebhookPayload {
  id: string;
  type: string;
  createdAt: string;
  organizationId: string;
  data: Record<string, unknown>;
}

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  organization_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  payload: Json<WebhookPayload>;
  status: Generated<OutboundDeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  last_attempt_at: Timestamp | null;
  response_status: number | null;
  response_body: string | null;
  duration_ms: number | null;
  error: string | null;
  delivered_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type OutboundDeliveryRow = Selectable<WebhookDeliveriesTable>;

export interface OutboundWebhookTables {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
