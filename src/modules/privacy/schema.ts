import type { Generated, Selectable } from "kysely";
import type { CreatedAt, JsonDefault, Timestamp } from "../../db/columns.js";

/** Row types of migrations/20261207000500_privacy_retention.sql. */

export const PRIVACY_REQUEST_TYPES = ["export", "erasure", "restriction"] as const;
export type PrivacyRequestType = (typeof PRIVACY_REQUEST_TYPES)[number];
export const PRIVACY_REQUEST_STATUSES = [
  "requested",
  "processing",
  "completed",
  "rejected",
  "lifted",
] as const;
export type PrivacyRequestStatus = (typeof PRIVACY_REQUEST_STATUSES)[number];

export interface PrivacyRequestsTable {
  id: Generated<string>;
  organization_id: string | null;
  type: PrivacyRequestType;
  status: Generated<PrivacyRequestStatus>;
  subject_user_id: string;
  requested_by: string | null;
  reason: string | null;
  scope: Generated<"organization" | "account">;
  decided_by: string | null;
  decision_note: string | null;
  file_key: string | null;
  file_size: number | null;
  file_checksum: string | null;
  summary: JsonDefault<Record<string, unknown>>;
  error: string | null;
  completed_at: Timestamp | null;
  expires_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface AuditChainCheckpointsTable {
  chain_key: string;
  seq: number | string;
  hash: string;
  archive_id: string | null;
  created_at: CreatedAt;
}

export const RETENTION_CATEGORIES = [
  "learning-events",
  "audit-logs",
  "report-files",
  "mail",
  "sessions",
  "departed-people",
  "notifications",
] as const;
export type RetentionCategory = (typeof RETENTION_CATEGORIES)[number];
export const RETENTION_ACTIONS = ["delete", "archive", "anonymize", "aggregate"] as const;
export type RetentionAction = (typeof RETENTION_ACTIONS)[number];

export interface RetentionPoliciesTable {
  id: Generated<string>;
  organization_id: string;
  category: RetentionCategory;
  action: RetentionAction;
  retain_days: number;
  review_every_days: Generated<number>;
  next_review_at: Timestamp;
  last_reviewed_at: Timestamp | null;
  last_reviewed_by: string | null;
  enabled: Generated<boolean>;
  last_run_at: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface RetentionArchivesTable {
  id: Generated<string>;
  organization_id: string;
  policy_id: string | null;
  category: string;
  action: string;
  range_from: Timestamp | null;
  range_to: Timestamp;
  row_count: number;
  file_key: string | null;
  file_size: number | null;
  checksum: string | null;
  created_at: CreatedAt;
}

export interface PrivacyAccessLogsTable {
  id: Generated<string>;
  organization_id: string | null;
  viewer_user_id: string | null;
  viewer_api_key_id: string | null;
  subject_user_id: string;
  what: string;
  detail: string | null;
  ip_address: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
}

export interface PrivacySettingsTable {
  user_id: string;
  show_scores: Generated<boolean>;
  show_activity: Generated<boolean>;
  show_certificates: Generated<boolean>;
  updated_at: CreatedAt;
}

export interface PrivacyTables {
  privacy_requests: PrivacyRequestsTable;
  audit_chain_checkpoints: AuditChainCheckpointsTable;
  retention_policies: RetentionPoliciesTable;
  retention_archives: RetentionArchivesTable;
  privacy_access_logs: PrivacyAccessLogsTable;
  privacy_settings: PrivacySettingsTable;
}

export type PrivacyRequestRow = Selectable<PrivacyRequestsTable>;
export type RetentionPolicyRow = Selectable<RetentionPoliciesTable>;
export type RetentionArchiveRow = Selectable<RetentionArchivesTable>;
export type AccessLogRow = Selectable<PrivacyAccessLogsTable>;
