import type { Generated, Selectable } from "kysely";
import type { CreatedAt, TextArray, Timestamp } from "../../db/columns.js";

/** Row types of migrations/20261123001000_feedback.sql. */

export interface CourseRatingsTable {
  id: Generated<string>;
  course_id: string;
  user_id: string;
  enrollment_id: string;
  rating: number;
  review_title: string | null;
  review_content: string | null;
  is_verified_purchase: Generated<boolean>;
  instructor_response: string | null;
  instructor_response_at: Timestamp | null;
  responded_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type AnnouncementAudience = "all" | "cohort" | "users";
export type AnnouncementPriority = "low" | "normal" | "high" | "urgent";

export interface AnnouncementsTable {
  id: Generated<string>;
  course_id: string;
  author_id: string | null;
  title: string;
  content: string;
  priority: Generated<AnnouncementPriority>;
  is_published: Generated<boolean>;
  publish_at: Timestamp;
  expires_at: Timestamp | null;
  audience: Generated<AnnouncementAudience>;
  cohort_id: string | null;
  user_ids: TextArray;
  read_count: Generated<number>;
  notified_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface AnnouncementReadsTable {
  announcement_id: string;
  user_id: string;
  read_at: CreatedAt;
}

export interface FeedbackTables {
  course_ratings: CourseRatingsTable;
  announcements: AnnouncementsTable;
  announcement_reads: AnnouncementReadsTable;
}

export type RatingRow = Selectable<CourseRatingsTable>;
export type AnnouncementRow = Selectable<AnnouncementsTable>;
