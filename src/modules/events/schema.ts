import type { Generated, Selectable } from "kysely";
import type { CreatedAt, JsonDefault, Timestamp } from "../../db/columns.js";

/** Row types of migrations/20261123000300_learning_events.sql. */

export interface LookupValuesTable {
  id: Generated<string>;
  organization_id: string | null;
  category: string;
  key: string;
  display_as: string;
  description: string | null;
  sort_order: Generated<number>;
  is_active: Generated<boolean>;
  is_system: Generated<boolean>;
  metadata: JsonDefault<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type EventSource = "internal" | "client" | "xapi" | "integration";

export interface LearningEventsTable {
  id: Generated<string>;
  organization_id: string | null;
  learner_id: string;
  event_type: string;
  course_id: string | null;
  cohort_id: string | null;
  content_id: string | null;
  enrollment_id: string | null;
  session_id: string | null;
  occurred_at: Timestamp;
  duration_seconds: number | null;
  context: JsonDefault<Record<string, unknown>>;
  data: JsonDefault<Record<string, unknown>>;
  source: Generated<EventSource>;
  day_key: string;
  week_key: string;
  month_key: string;
  quarter_key: string;
  year_key: number;
  created_at: CreatedAt;
}

export interface EventTables {
  lookup_values: LookupValuesTable;
  learning_events: LearningEventsTable;
}

export type LookupValueRow = Selectable<LookupValuesTable>;
export type LearningEventRow = Selectable<LearningEventsTable>;
