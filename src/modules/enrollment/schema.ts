import type { Generated, Selectable } from "kysely";
import type { CreatedAt, JsonDefault, Timestamp } from "../../db/columns.js";

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
  seat_allocation_id: string | null;
  payment_id: string | null;
  office_hours_until: Timestamp | null;
  chatbot_access_until: Timestamp | null;
  lessons_completed: Generated<number>;
  lessons_total: Generated<number>;
  metadata: JsonDefault<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  /** Set on enrollments an integration brought in (source `integration`); see enrollment/external.ts. */
  integration_id: string | null;
  external_id: string | null;
  external_status: ExternalStatus | null;
  score: number | null;
  max_score: number | null;
  passing_score: number | null;
  grade: string | null;
  credits: number | null;
  instructor_name: string | null;
  attempts: number | null;
  certified_at: Timestamp | null;
  certificate_url: string | null;
  external_updated_at: Timestamp | null;
  synced_at: Timestamp | null;
}

/** What an external system says of an enrollment (seed 003 §3.2), kebab-case. */
export type ExternalStatus =
  | "not-started"
  | "in-progress"
  | "completed"
  | "failed"
  | "dropped"
  | "on-hold"
  | "expired"
  | "certified";

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

/** Row types of migrations/20261123000700_enrollment_paths.sql. */

export type RequestStatus = "pending" | "approved" | "rejected" | "withdrawn";

export interface EnrollmentRequestsTable {
  id: Generated<string>;
  user_id: string;
  course_id: string;
  cohort_id: string | null;
  organization_id: string | null;
  status: Generated<RequestStatus>;
  reason: string | null;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  review_notes: string | null;
  enrollment_id: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface AccessCodesTable {
  id: Generated<string>;
  course_id: string;
  cohort_id: string | null;
  organization_id: string | null;
  code: string;
  description: string | null;
  max_uses: number | null;
  used_count: Generated<number>;
  valid_from: CreatedAt;
  valid_until: Timestamp | null;
  is_active: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type PaymentProviderName = "stripe" | "local" | "invoice";
export type PaymentRecordStatus =
  | "pending"
  | "completed"
  | "failed"
  | "expired"
  | "refunded"
  | "partially-refunded";

export interface PaymentsTable {
  id: Generated<string>;
  user_id: string;
  course_id: string;
  cohort_id: string | null;
  organization_id: string | null;
  enrollment_id: string | null;
  provider: PaymentProviderName;
  checkout_id: string | null;
  checkout_url: string | null;
  /** Where the payer returns after paying, and after cancelling (addresses of PUBLIC_URL). */
  success_url: string | null;
  cancel_url: string | null;
  payment_reference: string | null;
  invoice_number: string | null;
  amount: number;
  currency: string;
  status: Generated<PaymentRecordStatus>;
  refunded_amount: Generated<number>;
  refund_reference: string | null;
  failure_reason: string | null;
  expires_at: Timestamp | null;
  completed_at: Timestamp | null;
  refunded_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface PaymentEventsTable {
  id: Generated<string>;
  provider: string;
  event_id: string;
  type: string;
  payment_id: string | null;
  outcome: string;
  received_at: CreatedAt;
}

export interface CourseSeatAllocationsTable {
  id: Generated<string>;
  organization_id: string;
  course_id: string;
  seats_purchased: number;
  seats_used: Generated<number>;
  unit_price: number | null;
  currency: string | null;
  invoice_reference: string | null;
  valid_until: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface EnrollmentTables {
  enrollments: EnrollmentsTable;
  waitlist_entries: WaitlistEntriesTable;
  enrollment_requests: EnrollmentRequestsTable;
  access_codes: AccessCodesTable;
  payments: PaymentsTable;
  payment_events: PaymentEventsTable;
  course_seat_allocations: CourseSeatAllocationsTable;
}

export type EnrollmentRow = Selectable<EnrollmentsTable>;
export type WaitlistRow = Selectable<WaitlistEntriesTable>;
export type EnrollmentRequestRow = Selectable<EnrollmentRequestsTable>;
export type AccessCodeRow = Selectable<AccessCodesTable>;
export type PaymentRow = Selectable<PaymentsTable>;
export type SeatAllocationRow = Selectable<CourseSeatAllocationsTable>;
