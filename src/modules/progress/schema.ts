import type { Generated, Selectable } from "kysely";
import type { CreatedAt, JsonDefault, Timestamp } from "../../db/columns.js";

/** Row types of migrations/20261123000800_progress.sql. */

export interface Bookmark {
  id: string;
  position: number;
  note: string | null;
  createdAt: string;
}

export interface LessonProgressTable {
  id: Generated<string>;
  enrollment_id: string;
  user_id: string;
  course_id: string;
  module_id: string;
  lesson_id: string;
  status: Generated<"in-progress" | "completed">;
  started_at: Timestamp;
  completed_at: Timestamp | null;
  last_position: Generated<number>;
  completion_percent: Generated<number>;
  time_spent_seconds: Generated<number>;
  last_activity_at: Timestamp;
  notes: string | null;
  bookmarks: JsonDefault<Bookmark[]>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface ModuleProgressTable {
  id: Generated<string>;
  enrollment_id: string;
  user_id: string;
  module_id: string;
  lessons_completed: Generated<number>;
  lessons_total: Generated<number>;
  time_spent_seconds: Generated<number>;
  completion_percent: Generated<number>;
  unlocked_at: Timestamp | null;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface ProgressTables {
  lesson_progress: LessonProgressTable;
  module_progress: ModuleProgressTable;
}

export type LessonProgressRow = Selectable<LessonProgressTable>;
export type ModuleProgressRow = Selectable<ModuleProgressTable>;
