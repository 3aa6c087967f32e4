import type { Generated, Selectable } from "kysely";
import type { CreatedAt, Timestamp } from "../../db/columns.js";

/** Row types of migrations/20261123000400_cohorts.sql. */

export type CohortStatus = "scheduled" | "open" | "in-progress" | "completed" | "cancelled";

export interface CohortsTable {
  id: Generated<string>;
  course_id: string;
  organization_id: string | null;
  name: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  timezone: Generated<string>;
  capacity: number;
  enrolled_count: Generated<number>;
  waitlist_count: Generated<number>;
  /** Seats offered to the waitlist and not yet taken (see the enrollments migration). */
  reserved_count: Generated<number>;
  status: Generated<CohortStatus>;
  instructor_id: string | null;
  meeting_url: string | null;
  cancelled_reason: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface SessionRecordingsTable {
  id: Generated<string>;
  cohort_id: string;
  module_id: string | null;
  title: string;
  video_url: string;
  duration_seconds: Generated<number>;
  recorded_at: Timestamp | null;
  created_at: CreatedAt;
}

export type KitItemType = "slides" | "prompts" | "template" | "chatbot" | "worksheet";

export interface KitItemsTable {
  id: Generated<string>;
  course_id: string;
  title: string;
  type: KitItemType;
  url: string;
  description: string | null;
  position: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface CohortTables {
  cohorts: CohortsTable;
  session_recordings: SessionRecordingsTable;
  kit_items: KitItemsTable;
}

export type CohortRow = Selectable<CohortsTable>;
export type RecordingRow = Selectable<SessionRecordingsTable>;
export type KitItemRow = Selectable<KitItemsTable>;
