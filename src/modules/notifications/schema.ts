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

export interface ChannelChoice {
  email?: boolean;
  inApp?: boolean;
}

export interface NotificationPreferencesTable {
  user_id: string;
  email_enabled: Generated<boolean>;
  in_app_enabled: Generated<boolean>;
  preferences: JsonDefault<Record<string, ChannelChoice>>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface NotificationTables {
  notifications: NotificationsTable;
  notification_preferences: NotificationPreferencesTable;
}

export type NotificationRow = Selectable<NotificationsTable>;
export type NotificationPreferencesRow = Selectable<NotificationPreferencesTable>;
