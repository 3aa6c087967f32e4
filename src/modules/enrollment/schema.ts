import type { Generated, Selectable } from "kysely";
import type { CreatedAt, JsonDefault, Timestamp } from "../../db/schema.js";

/** Row types of migrations/20261123000500_enrollments.sql. */

export type EnrollmentStatus =
  | "pending-payment"
  | "active"
  | "completed"
  | "suspended"
  | "dropped"
  | "expired";
export type EnrollmentSource =
  | "self"
  | "approval"
  | "access-code"
  | "paid"
  | "admin"
  | "manager"
  | "compliance"
  | "learning-path"
  | "seat"
  | "integration"
  | "waitlist";
export type PaymentStatus = "not-required" | "pending" | "completed" | "failed" | "refunded";

export interface EnrollmentsTable {
  id: Generated<string>;
  user_id: string;
  course_id: string;
  cohort_id: string | null;
  organization_id: string | null;
  status: Generated<EnrollmentStatus>;
  source: Generated<EnrollmentSource>;
  assigned_by: string | null;
  due_at: Timestamp | null;
  is_mandatory: Generated<boolean>;
  is_compliance: Generated<boolean>;
  enrolled_at: CreatedAt;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  suspended_at: Timestamp | null;
  suspended_reason: string | null;
  dropped_at: Timestamp | null;
  dropped_reason: string | null;
  access_expires_at: Timestamp | null;
  progress_percent: Generated<number>;
  time_spent_seconds: Generated<number>;
  last_accessed_at: Timestamp | null;
  payment_status: Generated<PaymentStatus>;
  payment_provider: string | null;
  checkout_id: string | null;
  payment_reference: string | null;
  amount: number | null;
  currency: string | null;
  access_code_id: string | null;
  metadata: JsonDefault<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type WaitlistStatus =
  | "waiting"
  | "offered"
  | "enrolled"
  | "expired"
  | "declined"
  | "cancelled";

export interface WaitlistEntriesTable {
  id: Generated<string>;
  user_id: string;
  course_id: string;
  cohort_id: string;
  organization_id: string | null;
  position: number;
  status: Generated<WaitlistStatus>;
  offered_at: Timestamp | null;
  offer_expires_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface EnrollmentTables {
  enrollments: EnrollmentsTable;
  waitlist_entries: WaitlistEntriesTable;
}

export type EnrollmentRow = Selectable<EnrollmentsTable>;
export type WaitlistRow = Selectable<WaitlistEntriesTable>;
