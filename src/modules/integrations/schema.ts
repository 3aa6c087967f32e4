import type { Generated, Selectable } from "kysely";
import type { CreatedAt, Json, JsonDefault, TextArray, Timestamp } from "../../db/columns.js";
import type { LmsType } from "./connectors/types.js";

/** Row types of migrations/20261205000110_lms_integrations.sql. */

export const INTEGRATION_METHODS = [
  "api",
  "lti",
  "scorm",
  "xapi",
  "sftp",
  "file-upload",
  "webhook",
  "database-link",
  "manual-entry",
] as const;
export type IntegrationMethod = (typeof INTEGRATION_METHODS)[number];

export const AUTH_TYPES = ["none", "api-token", "oauth2-client-credentials", "basic"] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export const DATA_FORMATS = ["json", "xml", "csv", "xlsx"] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

export const SYNC_FREQUENCIES = ["on-demand", "cron"] as const;
export type SyncFrequency = (typeof SYNC_FREQUENCIES)[number];

export const DIRECTIONS = ["import", "export", "both"] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const CONNECTION_STATUSES = [
  "connected",
  "disconnected",
  "error",
  "testing",
  "maintenance",
] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export interface LmsIntegrationsTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  code: string;
  lms_type: LmsType;
  method: IntegrationMethod;
  auth_type: Generated<AuthType>;
  base_url: string | null;
  api_version: Generated<string>;
  data_format: Generated<DataFormat>;
  encoding: Generated<string>;
  sync_frequency: Generated<SyncFrequency>;
  sync_cron: string | null;
  direction: Generated<Direction>;
  is_active: Generated<boolean>;
  connection_status: Generated<ConnectionStatus>;
  last_tested_at: Timestamp | null;
  last_error: string | null;
  last_sync_at: Timestamp | null;
  last_successful_sync_at: Timestamp | null;
  error_count: Generated<number>;
  max_retries: Generated<number>;
  timeout_seconds: Generated<number>;
  rate_limit_per_hour: Generated<number>;
  options: JsonDefault<Record<string, unknown>>;
  /** The credential fields that are not secret, with `kind`; null when none are stored. */
  credentials_public: Json<Record<string, string>> | null;
  /** The secret fields as sealed JSON (platform/secrets.ts). */
  credentials_sealed: string | null;
  credentials_key_id: string | null;
  field_mappings: JsonDefault<unknown[]>;
  validation_rules: JsonDefault<unknown[]>;
  transformation_rules: JsonDefault<unknown[]>;
  owner_ids: TextArray;
  /** Monitoring (migrations/20261205000300_integration_sync.sql). */
  sla_hours: number | null;
  incident_after_failures: Generated<number>;
  created_by: string | null;
  updated_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: Timestamp | null;
}

export type LmsIntegrationRow = Selectable<LmsIntegrationsTable>;

export interface IntegrationTables {
  lms_integrations: LmsIntegrationsTable;
}
