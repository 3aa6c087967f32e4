import { z } from "zod";
import { isoDateTime } from "../../platform/http/envelope.js";
import type { EnrollResult } from "./enroll.js";
import type { EnrollmentView } from "./queries.js";
import type {
  AccessCodeRow,
  EnrollmentRequestRow,
  EnrollmentRow,
  PaymentRow,
  SeatAllocationRow,
  WaitlistRow,
} from "./schema.js";

/** The API shapes of enrollment objects, shared by the module's route files. */

export const iso = isoDateTime;
export const STATUSES = [
  "pending-payment",
  "active",
  "completed",
  "suspended",
  "dropped",
  "expired",
] as const;

export const enrollmentSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    courseId: z.uuid(),
    cohortId: z.uuid().nullable(),
    organizationId: z.uuid().nullable(),
    status: z.enum(STATUSES),
    source: z.string(),
    assignedBy: z.uuid().nullable(),
    dueAt: iso().nullable(),
    isMandatory: z.boolean(),
    isCompliance: z.boolean(),
    enrolledAt: iso(),
    startedAt: iso().nullable(),
    completedAt: iso().nullable(),
    droppedAt: iso().nullable(),
    accessExpiresAt: iso().nullable(),
    officeHoursUntil: iso().nullable(),
    chatbotAccessUntil: iso().nullable(),
    progressPercent: z.number(),
    lessonsCompleted: z.number().int(),
    lessonsTotal: z.number().int(),
    timeSpentSeconds: z
      .number()
      .int()
      .nullable()
      .describe("Null when the learner keeps their activity from the viewer (privacy settings)"),
    lastAccessedAt: iso()
      .nullable()
      .describe(
        "Null before the first visit, or when the learner keeps their activity from the viewer",
      ),
    paymentStatus: z.string(),
    paymentId: z.uuid().nullable(),
  })
  .meta({ id: "Enrollment" });

export function presentEnrollment(e: EnrollmentRow) {
  return {
    id: e.id,
    userId: e.user_id,
    courseId: e.course_id,
    cohortId: e.cohort_id,
    organizationId: e.organization_id,
    status: e.status,
    source: e.source,
    assignedBy: e.assigned_by,
    dueAt: e.due_at?.toISOString() ?? null,
    isMandatory: e.is_mandatory,
    isCompliance: e.is_compliance,
    enrolledAt: e.enrolled_at.toISOString(),
    startedAt: e.started_at?.toISOString() ?? null,
    completedAt: e.completed_at?.toISOString() ?? null,
    droppedAt: e.dropped_at?.toISOString() ?? null,
    accessExpiresAt: e.access_expires_at?.toISOString() ?? null,
    officeHoursUntil: e.office_hours_until?.toISOString() ?? null,
    chatbotAccessUntil: e.chatbot_access_until?.toISOString() ?? null,
    progressPercent: Number(e.progress_percent),
    lessonsCompleted: e.lessons_completed,
    lessonsTotal: e.lessons_total,
    timeSpentSeconds: e.time_spent_seconds,
    lastAccessedAt: e.last_accessed_at?.toISOString() ?? null,
    paymentStatus: e.payment_status,
    paymentId: e.payment_id,
  };
}

/**
 * An enrollment as a viewer other than its learner sees it: without study time and last visit
 * when the learner keeps their activity from managers (docs/privacy.md).
 */
export function withoutActivity<
  T extends { timeSpentSeconds: number | null; lastAccessedAt: string | null },
>(view: T, hidden: boolean): T {
  return hidden ? { ...view, timeSpentSeconds: null, lastAccessedAt: null } : view;
}

export const enrollmentViewSchema = enrollmentSchema
  .extend({
    learner: z
      .object({ name: z.string().nullable(), email: z.string().nullable() })
      .describe("Null name and address when the learner's processing is restricted"),
    restricted: z
      .boolean()
      .describe(
        "The learner's processing is restricted (a data subject request): their name, address and activity are left out",
      ),
    activityHidden: z
      .boolean()
      .describe(
        "Study time and last visit are left out (null): the learner keeps their activity from the viewer, or is restricted",
      ),
    course: z.object({ title: z.string(), code: z.string(), slug: z.string() }),
    cohortName: z.string().nullable(),
  })
  .meta({ id: "EnrollmentView" });

export function presentView(e: EnrollmentView) {
  return {
    ...presentEnrollment(e),
    learner: {
      name: `${e.first_name} ${e.last_name}` as string | null,
      email: e.email as string | null,
    },
    restricted: false,
    activityHidden: false,
    course: { title: e.course_title, code: e.course_code, slug: e.course_slug },
    cohortName: e.cohort_name,
  };
}

export const waitlistSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    courseId: z.uuid(),
    cohortId: z.uuid(),
    position: z.number().int(),
    status: z.enum(["waiting", "offered", "enrolled", "expired", "declined", "cancelled"]),
    offeredAt: iso().nullable(),
    offerExpiresAt: iso().nullable(),
    createdAt: iso(),
  })
  .meta({ id: "WaitlistEntry" });

export function presentEntry(w: WaitlistRow) {
  return {
    id: w.id,
    userId: w.user_id,
    courseId: w.course_id,
    cohortId: w.cohort_id,
    position: w.position,
    status: w.status,
    offeredAt: w.offered_at?.toISOString() ?? null,
    offerExpiresAt: w.offer_expires_at?.toISOString() ?? null,
    createdAt: w.created_at.toISOString(),
  };
}

export const enrollResult = z.object({
  result: z.enum(["enrolled", "waitlisted"]),
  enrollment: enrollmentSchema.optional(),
  waitlistEntry: waitlistSchema.optional(),
});

export function presentResult(r: EnrollResult) {
  return r.kind === "enrolled"
    ? { result: "enrolled" as const, enrollment: presentEnrollment(r.enrollment) }
    : { result: "waitlisted" as const, waitlistEntry: presentEntry(r.entry) };
}

export const requestSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    courseId: z.uuid(),
    cohortId: z.uuid().nullable(),
    status: z.enum(["pending", "approved", "rejected", "withdrawn"]),
    reason: z.string().nullable(),
    reviewedBy: z.uuid().nullable(),
    reviewedAt: iso().nullable(),
    reviewNotes: z.string().nullable(),
    enrollmentId: z.uuid().nullable(),
    createdAt: iso(),
    learner: z.object({ name: z.string(), email: z.string() }).optional(),
    courseTitle: z.string().optional(),
  })
  .meta({ id: "EnrollmentRequest" });

export function presentRequest(
  r: EnrollmentRequestRow & {
    first_name?: string;
    last_name?: string;
    email?: string;
    course_title?: string;
  },
) {
  return {
    id: r.id,
    userId: r.user_id,
    courseId: r.course_id,
    cohortId: r.cohort_id,
    status: r.status,
    reason: r.reason,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at?.toISOString() ?? null,
    reviewNotes: r.review_notes,
    enrollmentId: r.enrollment_id,
    createdAt: r.created_at.toISOString(),
    ...(r.email ? { learner: { name: `${r.first_name} ${r.last_name}`, email: r.email } } : {}),
    ...(r.course_title ? { courseTitle: r.course_title } : {}),
  };
}

export const accessCodeSchema = z
  .object({
    id: z.uuid(),
    courseId: z.uuid(),
    cohortId: z.uuid().nullable(),
    code: z.string(),
    description: z.string().nullable(),
    maxUses: z.number().int().nullable(),
    usedCount: z.number().int(),
    remainingUses: z.number().int().nullable(),
    validFrom: iso(),
    validUntil: iso().nullable(),
    isActive: z.boolean(),
    createdAt: iso(),
  })
  .meta({ id: "AccessCode" });

export function presentCode(c: AccessCodeRow) {
  return {
    id: c.id,
    courseId: c.course_id,
    cohortId: c.cohort_id,
    code: c.code,
    description: c.description,
    maxUses: c.max_uses,
    usedCount: c.used_count,
    remainingUses: c.max_uses === null ? null : c.max_uses - c.used_count,
    validFrom: c.valid_from.toISOString(),
    validUntil: c.valid_until?.toISOString() ?? null,
    isActive: c.is_active,
    createdAt: c.created_at.toISOString(),
  };
}

export const paymentSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    courseId: z.uuid(),
    cohortId: z.uuid().nullable(),
    organizationId: z.uuid().nullable(),
    enrollmentId: z.uuid().nullable(),
    provider: z.enum(["stripe", "local", "invoice"]),
    checkoutId: z.string().nullable(),
    checkoutUrl: z.string().nullable().describe("Where the payer goes to pay (null for invoices)"),
    successUrl: z
      .string()
      .nullable()
      .describe(
        "Where the payer returns after paying (an address of the site; `{CHECKOUT_SESSION_ID}` stands for `checkoutId`)",
      ),
    cancelUrl: z.string().nullable().describe("Where the payer returns after cancelling"),
    paymentReference: z.string().nullable(),
    invoiceNumber: z.string().nullable(),
    amount: z.number().int().describe("Minor units (cents)"),
    currency: z.string(),
    status: z.enum(["pending", "completed", "failed", "expired", "refunded", "partially-refunded"]),
    refundedAmount: z.number().int(),
    failureReason: z.string().nullable(),
    expiresAt: iso().nullable(),
    completedAt: iso().nullable(),
    refundedAt: iso().nullable(),
    createdAt: iso(),
  })
  .meta({ id: "Payment" });

export function presentPayment(p: PaymentRow) {
  return {
    id: p.id,
    userId: p.user_id,
    courseId: p.course_id,
    cohortId: p.cohort_id,
    organizationId: p.organization_id,
    enrollmentId: p.enrollment_id,
    provider: p.provider,
    checkoutId: p.checkout_id,
    checkoutUrl: p.checkout_url,
    successUrl: p.success_url,
    cancelUrl: p.cancel_url,
    paymentReference: p.payment_reference,
    invoiceNumber: p.invoice_number,
    amount: p.amount,
    currency: p.currency,
    status: p.status,
    refundedAmount: p.refunded_amount,
    failureReason: p.failure_reason,
    expiresAt: p.expires_at?.toISOString() ?? null,
    completedAt: p.completed_at?.toISOString() ?? null,
    refundedAt: p.refunded_at?.toISOString() ?? null,
    createdAt: p.created_at.toISOString(),
  };
}

/** A payment in a list, with who paid and for which course. */
export const paymentViewSchema = paymentSchema
  .extend({
    payer: z.object({ name: z.string(), email: z.string() }),
    course: z.object({ title: z.string() }),
  })
  .meta({ id: "PaymentView" });

export function presentPaymentView(
  p: PaymentRow & { first_name: string; last_name: string; email: string; course_title: string },
) {
  return {
    ...presentPayment(p),
    payer: { name: `${p.first_name} ${p.last_name}`, email: p.email },
    course: { title: p.course_title },
  };
}

export const allocationSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    courseId: z.uuid(),
    courseTitle: z.string().optional(),
    seatsPurchased: z.number().int(),
    seatsUsed: z.number().int(),
    seatsAvailable: z.number().int(),
    unitPrice: z.number().int().nullable(),
    currency: z.string().nullable(),
    invoiceReference: z.string().nullable(),
    validUntil: iso().nullable(),
    createdAt: iso(),
  })
  .meta({ id: "SeatAllocation" });

export function presentAllocation(a: SeatAllocationRow & { course_title?: string }) {
  return {
    id: a.id,
    organizationId: a.organization_id,
    courseId: a.course_id,
    ...(a.course_title ? { courseTitle: a.course_title } : {}),
    seatsPurchased: a.seats_purchased,
    seatsUsed: a.seats_used,
    seatsAvailable: a.seats_purchased - a.seats_used,
    unitPrice: a.unit_price,
    currency: a.currency,
    invoiceReference: a.invoice_reference,
    validUntil: a.valid_until?.toISOString() ?? null,
    createdAt: a.created_at.toISOString(),
  };
}
