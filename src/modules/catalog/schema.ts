import type { Generated, Selectable } from "kysely";
import type { CreatedAt, Json, JsonDefault, TextArray, Timestamp } from "../../db/columns.js";

/** Row types of the catalog tables (migrations/20261123000200_catalog.sql). */

export type CourseStatus = "draft" | "published" | "archived";
export type CourseLevel = "beginner" | "intermediate" | "advanced" | "all-levels";
export type EnrollmentType = "open" | "approval" | "invite" | "paid";
export type Delivery = "self-paced" | "cohort-based";

export interface CoursesTable {
  id: Generated<string>;
  organization_id: string | null;
  code: string;
  slug: string;
  title: string;
  subtitle: string | null;
  description: Generated<string>;
  syllabus: string | null;
  instructor_id: string;
  category: string | null;
  sub_category: string | null;
  level: Generated<CourseLevel>;
  language: Generated<string>;
  thumbnail_url: string | null;
  intro_video_url: string | null;
  price_amount: Generated<number>;
  currency: Generated<string>;
  enrollment_type: Generated<EnrollmentType>;
  capacity: number | null;
  delivery: Generated<Delivery>;
  status: Generated<CourseStatus>;
  prerequisite_course_ids: TextArray;
  tags: TextArray;
  learning_outcomes: TextArray;
  requirements: TextArray;
  target_audience: string | null;
  duration_minutes: Generated<number>;
  completion_certificate: Generated<boolean>;
  allow_discussion: Generated<boolean>;
  is_featured: Generated<boolean>;
  settings: JsonDefault<Record<string, unknown>>;
  rating_average: Generated<number>;
  rating_count: Generated<number>;
  enrolled_count: Generated<number>;
  completed_count: Generated<number>;
  published_at: Timestamp | null;
  archived_at: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: Timestamp | null;
  /** A course mirrored read-only from an external system: its integration and its id there. */
  integration_id: string | null;
  external_id: string | null;
  external_url: string | null;
}

export interface CourseStaffTable {
  id: Generated<string>;
  course_id: string;
  user_id: string;
  role: "co-instructor" | "teaching-assistant";
  can_edit_content: Generated<boolean>;
  can_grade: Generated<boolean>;
  can_manage_enrollments: Generated<boolean>;
  assigned_by: string | null;
  assigned_at: CreatedAt;
}

export type SessionType = "S" | "W" | "MM" | "CAP" | "IO";
export type UnlockType = "immediate" | "scheduled" | "sequential" | "prerequisites";

export interface ModulesTable {
  id: Generated<string>;
  course_id: string;
  title: string;
  description: string | null;
  position: number;
  is_published: Generated<boolean>;
  unlock_type: Generated<UnlockType>;
  unlock_at: Timestamp | null;
  prerequisite_module_ids: TextArray;
  estimated_duration_minutes: number | null;
  session_type: SessionType | null;
  day_number: number | null;
  order_in_day: number | null;
  outcomes: TextArray;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type LessonType =
  | "video"
  | "text"
  | "pdf"
  | "audio"
  | "interactive"
  | "live-session"
  | "external-link";

export interface LessonsTable {
  id: Generated<string>;
  module_id: string;
  course_id: string;
  title: string;
  description: string | null;
  content_type: LessonType;
  content: Json<Record<string, unknown>>;
  position: number;
  duration_minutes: Generated<number>;
  min_time_seconds: Generated<number>;
  is_preview: Generated<boolean>;
  is_published: Generated<boolean>;
  allow_comments: Generated<boolean>;
  attachments: JsonDefault<Array<Record<string, unknown>>>;
  transcript: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface CatalogTables {
  courses: CoursesTable;
  course_staff: CourseStaffTable;
  modules: ModulesTable;
  lessons: LessonsTable;
}

export type CourseRow = Selectable<CoursesTable>;
export type ModuleRow = Selectable<ModulesTable>;
export type LessonRow = Selectable<LessonsTable>;
export type StaffRow = Selectable<CourseStaffTable>;
