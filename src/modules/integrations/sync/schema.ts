import type { Generated, Selectable } from "kysely";
import type { CreatedAt, Json, Timestamp } from "../../../db/columns.js";

/** Row types of migrations/20261205000300_integration_sync.sql and 20261206000100_integration_sync_sources.sql. */

export type SyncRunStatus = "queued" | "running" | "succeeded" | "partial" | "failed" | "cancelled";
export const SYNC_TRIGGERS = ["manual", "schedule", "retry", "upload", "sftp", "webhook"] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];
export const SYNC_ENTITIES = ["course", "enrollment", "person", "completion"] as const;
export type SyncEntity = (typeof SYNC_ENTITIES)[number];

/**
 * Where a run reads from when its records arrive rather than being pulled from the external
 * system's API: a file (uploaded or found on an SFTP server), an inbound webhook's deliveries.
 * Null: the integration's connector. The kinds are registered in target.ts.
 */
export interface SyncSource {
  kind: string;
  [key: string]: unknown;
}
export type SyncRecordOutcome = "created" | "updated" | "skipped" | "failed";

/** Where a run is: saved with each page it commits, so a run taken over resumes there. */
export interface SyncCursor {
  phase: "courses" | "enrollments" | "done";
  /** The next page of courses (the connector's cursor), null for the first. */
  coursePage: string | null;
  /** External ids of the courses seen, in order: their enrollments are read one course at a time. */
  courses: string[];
  courseIndex: number;
  /** The next page of the current course's enrollments. */
  enrollmentPage: string | null;
}

export interface IntegrationSyncRunsTable {
  id: Generated<string>;
  organization_id: string;
  integration_id: string;
  direction: Generated<"import" | "export">;
  dry_run: Generated<boolean>;
  trigger: SyncTrigger;
  requested_by: string | null;
  status: Generated<SyncRunStatus>;
  cursor: Json<SyncCursor> | null;
  source: Json<SyncSource> | null;
  since: Timestamp | null;
  created_count: Generated<number>;
  updated_count: Generated<number>;
  unchanged_count: Generated<number>;
  skipped_count: Generated<number>;
  failed_count: Generated<number>;
  pages: Generated<number>;
  remote_calls: Generated<number>;
  remote_ms: Generated<number>;
  error: string | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface IntegrationSyncRecordsTable {
  id: Generated<string>;
  run_id: string;
  organization_id: string;
  entity: SyncEntity;
  external_id: string;
  outcome: SyncRecordOutcome;
  reason: string | null;
  changes: Json<Record<string, [unknown, unknown]>> | null;
  created_at: CreatedAt;
}

export interface IntegrationDeadLettersTable {
  id: Generated<string>;
  organization_id: string;
  integration_id: string;
  run_id: string | null;
  entity: SyncEntity;
  external_id: string;
  payload: Json<unknown>;
  error: string;
  attempts: Generated<number>;
  status: Generated<"open" | "retried" | "discarded">;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface IntegrationIncidentsTable {
  id: Generated<string>;
  organization_id: string;
  integration_id: string;
  status: Generated<"open" | "resolved">;
  failures: Generated<number>;
  last_error: string | null;
  first_run_id: string | null;
  last_run_id: string | null;
  resolved_run_id: string | null;
  opened_at: Timestamp;
  resolved_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface SyncTables {
  integration_sync_runs: IntegrationSyncRunsTable;
  integration_sync_records: IntegrationSyncRecordsTable;
  integration_dead_letters: IntegrationDeadLettersTable;
  integration_incidents: IntegrationIncidentsTable;
}

export type SyncRunRow = Selectable<IntegrationSyncRunsTable>;
export type SyncRecordRow = Selectable<IntegrationSyncRecordsTable>;
export type DeadLetterRow = Selectable<IntegrationDeadLettersTable>;
export type IncidentRow = Selectable<IntegrationIncidentsTable>;
