import type { Generated, Selectable } from "kysely";
import type { CreatedAt, Json, Timestamp } from "../../../db/columns.js";

/** Row types of migrations/20261206000300_integration_webhooks.sql. */

export const DELIVERY_STATUSES = ["received", "processed", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface IntegrationWebhookSecretsTable {
  integration_id: string;
  organization_id: string;
  /** The current signing secret, sealed (platform/secrets.ts) for the integration's row. */
  secret_sealed: string;
  secret_key_id: string;
  /** The secret before the last rotation, accepted until `previous_expires_at`. */
  previous_sealed: string | null;
  previous_key_id: string | null;
  previous_expires_at: Timestamp | null;
  rotated_at: Timestamp;
  rotated_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface IntegrationWebhookDeliveriesTable {
  id: Generated<string>;
  organization_id: string;
  integration_id: string;
  /** The sender's id of the delivery (`Lyceum-Delivery`, or the body's `id`). */
  delivery_id: string;
  event_type: string;
  occurred_at: Timestamp | null;
  received_at: Timestamp;
  status: Generated<DeliveryStatus>;
  payload: Json<unknown>;
  size_bytes: number;
  course_count: Generated<number>;
  enrollment_count: Generated<number>;
  run_id: string | null;
  error: string | null;
  processed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type WebhookSecretRow = Selectable<IntegrationWebhookSecretsTable>;
export type WebhookDeliveryRow = Selectable<IntegrationWebhookDeliveriesTable>;

export interface WebhookTables {
  integration_webhook_secrets: IntegrationWebhookSecretsTable;
  integration_webhook_deliveries: IntegrationWebhookDeliveriesTable;
}
