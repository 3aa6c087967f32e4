import type { Ctx } from "../../platform/context.js";
import type { DomainEvents } from "../../platform/events.js";
import { defineWebhookEvent } from "../../platform/webhook-events.js";

/**
 * The first event types of the webhook catalog (docs/webhooks.md). Other modules define
 * theirs the same way (src/platform/webhook-events.ts). `data` is the domain event's payload
 * without its organization, which the delivery names beside it.
 */

function withOrganization<T extends { organizationId: string | null }>(payload: T) {
  const { organizationId, ...data } = payload;
  return Promise.resolve(organizationId ? { organizationId, data } : null);
}

const ENROLLMENT = {
  enrollmentId: "The enrollment",
  userId: "The learner",
  courseId: "The course",
};

defineWebhookEvent({
  type: "enrollment.created",
  description: "A person was enrolled in a course (or an ended enrollment was opened again)",
  fields: {
    ...ENROLLMENT,
    source: "How: self, admin, manager, compliance, access-code, integration, …",
    status: "active, or pending-payment while a payment is due",
  },
  build: (_ctx, payload) => withOrganization(payload),
});

defineWebhookEvent({
  type: "enrollment.completed",
  description: "A learner completed a course (every lesson, or marked complete by staff)",
  fields: ENROLLMENT,
  build: async (ctx: Ctx, payload: DomainEvents["enrollment.completed"]) => {
    const row = await ctx.db
      .selectFrom("enrollments")
      .select(["organization_id", "completed_at"])
      .where("id", "=", payload.enrollmentId)
      .executeTakeFirst();
    if (!row?.organization_id) return null;
    return {
      organizationId: row.organization_id,
      data: { ...payload, completedAt: row.completed_at?.toISOString() ?? null },
    };
  },
});

defineWebhookEvent({
  type: "certificate.issued",
  description: "A certificate was issued for a completed course",
  fields: {
    certificateId: "The certificate",
    certificateNumber: "Its public number (verification at /certificates/{number}/verify)",
    ...ENROLLMENT,
    expiresAt: "When it expires; null when it does not",
  },
  build: (_ctx, payload) => withOrganization(payload),
});

defineWebhookEvent({
  type: "certificate.revoked",
  description: "A certificate was revoked",
  fields: {
    certificateId: "The certificate",
    certificateNumber: "Its public number",
    userId: "The learner",
    courseId: "The course",
    reason: "Why, as the person who revoked it gave it",
  },
  build: (_ctx, payload) => withOrganization(payload),
});

defineWebhookEvent({
  type: "quiz.graded",
  description: "A quiz attempt was graded (at submission, by a grader, or regraded)",
  fields: {
    attemptId: "The attempt",
    quizId: "The quiz",
    ...ENROLLMENT,
    score: "The score in percent; null when the attempt has no score",
    passed: "Whether the attempt passed; null when the quiz has no passing score",
    regrade: "true when an earlier grade was changed",
  },
  build: (_ctx, payload) => withOrganization(payload),
});

defineWebhookEvent({
  type: "integration.sync-failed",
  description: "A sync run of an LMS or HR integration failed",
  fields: {
    integrationId: "The integration",
    runId: "The failed run",
    error: "What went wrong, in one sentence",
  },
  build: (_ctx, payload) => withOrganization(payload),
});
