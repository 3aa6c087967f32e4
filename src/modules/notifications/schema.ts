import type { Generated, Selectable } from "kysely";
import type { CreatedAt, JsonDefault, Timestamp } from "../../db/columns.js";

/** Row types of the notifications tables (platform spine + 20261123000600_notifications.sql). */

export type NotificationPriority = "low" | "normal" | "high" | "urgent";

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  organization_id: string | null;
  type: string;
  title: string;
  body: string | null;
  data: JsonDefault<Record<string, unknown>>;
  priority: Generated<NotificationPriority>;
  action_url: string | null;
  read_at: Timestamp | null;
  clicked_at: Timestamp | null;
  expires_at: Timestamp | null;
  created_at: CreatedAt;
}

export type DigestFrequency = "immediate" | "daily" | "weekly";

export interface ChannelChoice {
  email?: boolean;
  inApp?: boolean;
  sms?: boolean;
  push?: boolean;
  digest?: DigestFrequency;
}

export interface NotificationPreferencesTable {
  user_id: string;
  email_enabled: Generated<boolean>;
  in_app_enabled: Generated<boolean>;
  preferences: JsonDefault<Record<string, ChannelChoice>>;
  digest: Generated<DigestFrequency>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type TemplateChannel = "email" | "in-app" | "sms" | "push";
export type TemplateStatus = "draft" | "pending-approval" | "active" | "retired";

/** 20261207000400_notification_templates.sql */
export interface NotificationTemplatesTable {
  id: Generated<string>;
  organization_id: string | null;
  type: string;
  channel: TemplateChannel;
  language: string;
  version: number;
  status: Generated<TemplateStatus>;
  subject: string;
  body: string;
  created_by: string | null;
  submitted_by: string | null;
  submitted_at: Timestamp | null;
  approved_by: string | null;
  approved_at: Timestamp | null;
  rejected_by: string | null;
  rejected_at: Timestamp | null;
  rejection_reason: string | null;
  retired_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface NotificationSettingsTable {
  organization_id: string;
  tracking_enabled: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type DeliveryStatus =
  | "held"
  | "queued"
  | "sent"
  | "failed"
  | "bounced"
  | "opened"
  | "clicked";

export interface NotificationDeliveriesTable {
  id: Generated<string>;
  notification_id: string | null;
  user_id: string;
  organization_id: string | null;
  type: string;
  channel: TemplateChannel;
  language: string;
  template_id: string | null;
  template_version: Generated<number>;
  status: Generated<DeliveryStatus>;
  reason: string | null;
  retries: Generated<number>;
  mail_outbox_id: string | null;
  tracking_token: string | null;
  provider_message_id: string | null;
  queued_at: CreatedAt;
  sent_at: Timestamp | null;
  failed_at: Timestamp | null;
  bounced_at: Timestamp | null;
  opened_at: Timestamp | null;
  clicked_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface NotificationDigestItemsTable {
  id: Generated<string>;
  user_id: string;
  organization_id: string | null;
  delivery_id: string | null;
  type: string;
  frequency: "daily" | "weekly";
  subject: string;
  body: string;
  action_path: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

export interface NotificationTables {
  notifications: NotificationsTable;
  notification_preferences: NotificationPreferencesTable;
  notification_templates: NotificationTemplatesTable;
  notification_settings: NotificationSettingsTable;
  notification_deliveries: NotificationDeliveriesTable;
  notification_digest_items: NotificationDigestItemsTable;
}

export type NotificationRow = Selectable<NotificationsTable>;
export type NotificationPreferencesRow = Selectable<NotificationPreferencesTable>;
export type NotificationTemplateRow = Selectable<NotificationTemplatesTable>;
export type NotificationDeliveryRow = Selectable<NotificationDeliveriesTable>;
