import type { Generated, Selectable } from "kysely";
import type { CreatedAt, Json, JsonDefault, TextArray, Timestamp } from "../../db/columns.js";

/** Row types of migrations/20261123001400_report_jobs.sql. */

export type ReportJobStatus =
  | "pending"
  | "queued"
  | "processing"
  | "ready"
  | "failed"
  | "cancelled"
  | "expired";
export type ReportPriority = "critical" | "high" | "normal" | "low" | "scheduled";
export type OutputFormat = "csv" | "json" | "excel" | "pdf";
/** A job's file may also be a ZIP, made by a producer (producers.ts). */
export type JobOutputFormat = OutputFormat | "zip";

export interface ReportJobsTable {
  id: Generated<string>;
  organization_id: string;
  created_by: string | null;
  name: string;
  report_type: Generated<string>;
  definition: Json;
  output_format: JobOutputFormat;
  status: Generated<ReportJobStatus>;
  priority: Generated<ReportPriority>;
  priority_rank: number;
  progress: Generated<number>;
  attempts: Generated<number>;
  max_retries: Generated<number>;
  cancel_requested: Generated<boolean>;
  locked_by: string | null;
  lease_expires_at: Timestamp | null;
  queued_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  error_code: string | null;
  error_message: string | null;
  retryable: boolean | null;
  file_key: string | null;
  file_name: string | null;
  content_type: string | null;
  file_size: number | null;
  file_checksum: string | null;
  row_count: number | null;
  metrics: JsonDefault<Record<string, number>>;
  download_count: Generated<number>;
  last_downloaded_at: Timestamp | null;
  expires_at: Timestamp | null;
  duplicated_from: string | null;
  template_id: string | null;
  schedule_id: string | null;
  webhook_url: string | null;
  webhook_secret: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

/** Row types of migrations/20261123001500_report_templates.sql. */

export type TemplateVisibility = "private" | "team" | "department" | "organization" | "global";

export interface ReportTemplatesTable {
  id: Generated<string>;
  family_id: string;
  organization_id: string | null;
  name: string;
  description: string | null;
  slug: string;
  report_type: "predefined" | "custom";
  predefined_type: string | null;
  definition: Json;
  default_output_format: Generated<OutputFormat>;
  category: Generated<string>;
  tags: TextArray;
  icon: string | null;
  color: string | null;
  is_system: Generated<boolean>;
  visibility: Generated<TemplateVisibility>;
  department_id: string | null;
  team_id: string | null;
  shared_with: TextArray;
  required_permissions: TextArray;
  usage_count: Generated<number>;
  last_used_at: Timestamp | null;
  last_used_by: string | null;
  version: Generated<number>;
  previous_version_id: string | null;
  is_latest: Generated<boolean>;
  created_by: string | null;
  updated_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: Timestamp | null;
}

/** Row types of migrations/20261123001600_report_schedules.sql. */

export type Frequency =
  | "once"
  | "daily"
  | "weekly"
  | "biweekly"
  | "monthly"
  | "quarterly"
  | "yearly"
  | "cron";

export interface ReportSchedulesTable {
  id: Generated<string>;
  organization_id: string;
  template_id: string;
  name: string;
  description: string | null;
  frequency: Frequency;
  cron_expression: string | null;
  timezone: string;
  day_of_week: number | null;
  day_of_month: number | null;
  month_of_year: number | null;
  time_of_day: Generated<string>;
  start_date: Timestamp | null;
  end_date: Timestamp | null;
  filter_overrides: JsonDefault<Record<string, unknown>>;
  output_format: Generated<OutputFormat>;
  is_active: Generated<boolean>;
  next_run_at: Timestamp | null;
  last_run_at: Timestamp | null;
  last_run_job_id: string | null;
  last_run_status: "success" | "failed" | null;
  run_count: Generated<number>;
  failure_count: Generated<number>;
  consecutive_failures: Generated<number>;
  notify_on_complete: Generated<boolean>;
  notify_on_failure: Generated<boolean>;
  visibility: Generated<Exclude<TemplateVisibility, "global">>;
  webhook_url: string | null;
  webhook_secret: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: Timestamp | null;
}

export interface ReportTables {
  report_jobs: ReportJobsTable;
  report_templates: ReportTemplatesTable;
  report_schedules: ReportSchedulesTable;
}

export type ReportScheduleRow = Selectable<ReportSchedulesTable>;

export type ReportTemplateRow = Selectable<ReportTemplatesTable>;

export type ReportJobRow = Selectable<ReportJobsTable>;
