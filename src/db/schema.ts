import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { AssessmentTables, AttemptTables } from "../modules/assessments/schema.js";
import type { CatalogTables } from "../modules/catalog/schema.js";
import type { CertificateTables } from "../modules/certificates/schema.js";
import type { CohortTables } from "../modules/cohorts/schema.js";
import type { ComplianceTables } from "../modules/compliance/schema.js";
import type { EnrollmentTables } from "../modules/enrollment/schema.js";
import type { EventTables } from "../modules/events/schema.js";
import type { FeedbackTables } from "../modules/feedback/schema.js";
import type { SecurityTables } from "../modules/identity/security-schema.js";
import type { ExportTables } from "../modules/integrations/exports/schema.js";
import type { FileImportTables } from "../modules/integrations/files/schema.js";
import type { IntegrationTables } from "../modules/integrations/schema.js";
import type { SyncTables } from "../modules/integrations/sync/schema.js";
import type { WebhookTables } from "../modules/integrations/webhooks/schema.js";
import type { NotificationTables } from "../modules/notifications/schema.js";
import type { OrganizationTables } from "../modules/organizations/schema.js";
import type { PrivacyTables } from "../modules/privacy/schema.js";
import type { ProgressTables } from "../modules/progress/schema.js";
import type { ReportTables } from "../modules/reports/schema.js";
import type { ScimTables } from "../modules/scim/schema.js";
import type { OutboundWebhookTables } from "../modules/webhooks/schema.js";
import type { WorkflowTables } from "../modules/workflows/schema.js";
import type { CreatedAt, Json, JsonDefault, TextArray, Timestamp } from "./columns.js";

/**
 * Row types of every table, as Kysely sees them. Each block mirrors a migration in
 * `migrations/`; keep them in step when a migration changes a table.
 */

export interface OrganizationsTable {
  id: Generated<string>;
  name: string;
  slug: string;
  auto_join: Generated<boolean>;
  auto_join_role: Generated<string>;
  contact_email: string | null;
  contact_name: string | null;
  status: Generated<"pending-payment" | "active" | "suspended">;
  seats_purchased: number | null;
  seats_used: Generated<number>;
  timezone: Generated<string>;
  locale: Generated<string>;
  stripe_customer_id: string | null;
  stripe_invoice_id: string | null;
  settings: JsonDefault<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: Timestamp | null;
  /** While in the future, retention never deletes or anonymizes the organization's data. */
  legal_hold_until: Timestamp | null;
}

export type UserStatus = "active" | "suspended" | "deactivated";

export interface UsersTable {
  id: Generated<string>;
  email: string;
  email_verified: Generated<boolean>;
  email_verified_at: Timestamp | null;
  pending_email: string | null;
  password_hash: string | null;
  first_name: string;
  last_name: string;
  display_name: string | null;
  avatar_file_id: string | null;
  bio: string | null;
  phone: string | null;
  date_of_birth: string | null;
  gender: string | null;
  country: string | null;
  timezone: Generated<string>;
  preferred_language: Generated<string>;
  status: Generated<UserStatus>;
  suspended_at: Timestamp | null;
  suspended_reason: string | null;
  last_login_at: Timestamp | null;
  login_count: Generated<number>;
  failed_login_attempts: Generated<number>;
  locked_until: Timestamp | null;
  password_changed_at: Timestamp | null;
  must_change_password: Generated<boolean>;
  metadata: JsonDefault<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: Timestamp | null;
}

export interface EmailVerificationsTable {
  id: Generated<string>;
  user_id: string;
  email: string;
  token_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface UserSessionsTable {
  id: Generated<string>;
  user_id: string;
  transport: Generated<"bearer" | "cookie">;
  device_name: string | null;
  device_type: string | null;
  browser: string | null;
  browser_version: string | null;
  os: string | null;
  os_version: string | null;
  ip_address: string | null;
  user_agent: string | null;
  location: Json<Record<string, unknown>> | null;
  last_accessed_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  revoked_reason: string | null;
  created_at: CreatedAt;
  mfa_verified_at: Timestamp | null;
}

export interface RefreshTokensTable {
  id: Generated<string>;
  session_id: string;
  token_hash: string;
  expires_at: Timestamp;
  rotated_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface PasswordResetsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  requested_ip: string | null;
  created_at: CreatedAt;
}

export interface DepartmentsTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  code: string | null;
  description: string | null;
  parent_id: string | null;
  head_user_id: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface TeamsTable {
  id: Generated<string>;
  organization_id: string;
  department_id: string | null;
  name: string;
  description: string | null;
  manager_user_id: string | null;
  is_active: Generated<boolean>;
  /** The HR system's id of the group (SCIM externalId). */
  external_id: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface OrganizationMembersTable {
  id: Generated<string>;
  organization_id: string;
  user_id: string;
  status: Generated<"active" | "suspended">;
  department_id: string | null;
  title: string | null;
  employee_id: string | null;
  manager_user_id: string | null;
  /** A date column, read as YYYY-MM-DD (migrations/20261207000300_compliance.sql). */
  hire_date: string | null;
  location: string | null;
  source: Generated<"admin" | "invite" | "domain" | "seed" | "integration">;
  /** The HR system's id of the person (SCIM externalId). */
  external_id: string | null;
  /** The account was created by this organization's provisioning. */
  account_provisioned: Generated<boolean>;
  /** A provisioning deactivation gave the organization's seat back. */
  seat_released: Generated<boolean>;
  joined_at: CreatedAt;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  organization_id: string;
  role: Generated<"member" | "lead">;
  joined_at: CreatedAt;
}

/** What became of an invitation; `expired` is also a pending one past its expiry. */
export type InviteStatus = "pending" | "accepted" | "declined" | "expired" | "revoked";

export interface OrganizationInvitesTable {
  id: Generated<string>;
  organization_id: string;
  email: string;
  token_hash: string;
  role_key: Generated<string>;
  department_id: string | null;
  team_id: string | null;
  cohort_id: string | null;
  message: string | null;
  /** Roles besides `role_key` given on acceptance. */
  extra_role_keys: TextArray;
  title: string | null;
  employee_id: string | null;
  status: Generated<InviteStatus>;
  expires_at: Timestamp;
  invited_by: string | null;
  accepted_at: Timestamp | null;
  accepted_user_id: string | null;
  /** When the invited person declined (status `declined`). */
  declined_at: Timestamp | null;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface PermissionsTable {
  key: string;
  resource: string;
  action: string;
  scope: string;
  description: string;
  created_at: CreatedAt;
}

export type DataAccessLevel = "all" | "organization" | "department" | "team" | "own" | "none";

export interface RolesTable {
  id: Generated<string>;
  organization_id: string | null;
  key: string;
  name: string;
  description: string | null;
  is_system: Generated<boolean>;
  data_access_level: Generated<DataAccessLevel>;
  priority: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface RolePermissionsTable {
  role_id: string;
  permission_key: string;
  granted_at: CreatedAt;
  granted_by: string | null;
}

export interface UserRolesTable {
  id: Generated<string>;
  user_id: string;
  role_id: string;
  organization_id: string | null;
  department_id: string | null;
  team_id: string | null;
  assigned_by: string | null;
  assigned_at: CreatedAt;
  expires_at: Timestamp | null;
}

export type ApiKeyAccessLevel = "read-only" | "read-write" | "admin" | "full-access";

export interface ApiKeysTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  description: string | null;
  key_prefix: string;
  key_hash: string;
  scopes: TextArray;
  access_level: Generated<ApiKeyAccessLevel>;
  api_version: Generated<string>;
  rate_limit_per_hour: Generated<number>;
  rate_limit_per_day: Generated<number>;
  allowed_methods: TextArray;
  allowed_ips: TextArray;
  webhook_url: string | null;
  webhook_events: TextArray;
  is_active: Generated<boolean>;
  is_internal: Generated<boolean>;
  expires_at: Timestamp | null;
  created_by: string | null;
  last_used_at: Timestamp | null;
  last_used_ip: string | null;
  usage_count: Generated<number>;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface ApiKeyUsageTable {
  api_key_id: string;
  window_kind: "hour" | "day";
  window_start: Timestamp;
  count: Generated<number>;
}

/** One window of an abuse limit (see platform/limits.ts); `subject` is a SHA-256. */
export interface RateLimitCountersTable {
  kind: string;
  subject: string;
  window_start: Timestamp;
  count: Generated<number>;
  expires_at: Timestamp;
}

export interface AuditLogsTable {
  id: Generated<string>;
  organization_id: string | null;
  actor_type: "user" | "api-key" | "system" | "scim-token";
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  actor_scim_token_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: Json | null;
  after: Json | null;
  ip_address: string | null;
  user_agent: string | null;
  request_id: string | null;
  created_at: CreatedAt;
  justification: string | null;
  risk_level: AuditRiskLevel | null;
  data_sensitivity: AuditSensitivity | null;
  regulatory_impact: AuditRegulatoryImpact | null;
  /** The record's place in its organization's chain; null until sealed (platform/audit/chain.ts). */
  chain_seq: number | null;
  prev_hash: string | null;
  hash: string | null;
  sealed_at: Timestamp | null;
  /** Set when an erasure replaced personal values in before/after (modules/privacy). */
  redacted_at: Timestamp | null;
  redacted_by_request_id: string | null;
}

export const AUDIT_RISK_LEVELS = ["low", "medium", "high", "critical"] as const;
export type AuditRiskLevel = (typeof AUDIT_RISK_LEVELS)[number];
export const AUDIT_SENSITIVITIES = [
  "public",
  "internal",
  "confidential",
  "restricted",
  "pii",
  "learning-data",
] as const;
export type AuditSensitivity = (typeof AUDIT_SENSITIVITIES)[number];
export const AUDIT_REGULATORY_IMPACTS = [
  "none",
  "gdpr",
  "industry-standards",
  "company-policy",
  "educational-compliance",
] as const;
export type AuditRegulatoryImpact = (typeof AUDIT_REGULATORY_IMPACTS)[number];

export interface AuditChainHeadsTable {
  chain_key: string;
  seq: number;
  hash: string;
  updated_at: CreatedAt;
}

export interface SystemLogsTable {
  id: Generated<string>;
  level: Generated<"debug" | "info" | "warn" | "error">;
  event: string;
  user_id: string | null;
  organization_id: string | null;
  ip_address: string | null;
  user_agent: string | null;
  request_id: string | null;
  request_method: string | null;
  request_path: string | null;
  response_status: number | null;
  message: string | null;
  metadata: JsonDefault<Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface FileUploadsTable {
  id: Generated<string>;
  organization_id: string | null;
  uploaded_by: string | null;
  purpose: string;
  file_name: string;
  file_size: number;
  mime_type: string;
  storage_provider: Generated<string>;
  storage_key: string;
  checksum_sha256: string;
  metadata: JsonDefault<Record<string, unknown>>;
  created_at: CreatedAt;
  deleted_at: Timestamp | null;
}

export interface MailOutboxTable {
  id: Generated<string>;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  template: string;
  user_id: string | null;
  organization_id: string | null;
  status: Generated<"queued" | "sending" | "sent" | "failed">;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  next_attempt_at: CreatedAt;
  last_error: string | null;
  provider: string | null;
  provider_message_id: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

export type JobStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

export interface JobsTable {
  id: Generated<string>;
  name: string;
  payload: JsonDefault<Record<string, unknown>>;
  status: Generated<JobStatus>;
  priority: Generated<number>;
  run_at: CreatedAt;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  lease_expires_at: Timestamp | null;
  locked_by: string | null;
  last_error: string | null;
  result: Json | null;
  dedupe_key: string | null;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  updated_at: CreatedAt;
}

/** Every table; each domain module contributes its own block (see its schema.ts). */
export interface Database
  extends AssessmentTables,
    AttemptTables,
    CatalogTables,
    CertificateTables,
    CohortTables,
    EnrollmentTables,
    EventTables,
    FeedbackTables,
    IntegrationTables,
    SyncTables,
    FileImportTables,
    ExportTables,
    NotificationTables,
    OrganizationTables,
    ProgressTables,
    ReportTables,
    ScimTables,
    WebhookTables,
    OutboundWebhookTables,
    SecurityTables,
    ComplianceTables,
    PrivacyTables,
    WorkflowTables {
  organizations: OrganizationsTable;
  users: UsersTable;
  email_verifications: EmailVerificationsTable;
  user_sessions: UserSessionsTable;
  refresh_tokens: RefreshTokensTable;
  password_resets: PasswordResetsTable;
  departments: DepartmentsTable;
  teams: TeamsTable;
  organization_members: OrganizationMembersTable;
  team_members: TeamMembersTable;
  organization_invites: OrganizationInvitesTable;
  permissions: PermissionsTable;
  roles: RolesTable;
  role_permissions: RolePermissionsTable;
  user_roles: UserRolesTable;
  api_keys: ApiKeysTable;
  api_key_usage: ApiKeyUsageTable;
  rate_limit_counters: RateLimitCountersTable;
  audit_logs: AuditLogsTable;
  audit_chain_heads: AuditChainHeadsTable;
  system_logs: SystemLogsTable;
  file_uploads: FileUploadsTable;
  mail_outbox: MailOutboxTable;
  jobs: JobsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type OrganizationRow = Selectable<OrganizationsTable>;
export type RoleRow = Selectable<RolesTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type SessionRow = Selectable<UserSessionsTable>;
export type AuditLogRow = Selectable<AuditLogsTable>;
