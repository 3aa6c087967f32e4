/**
 * Domain events that one module raises and others react to, inside the same transaction.
 * Modules stay independent: identity says "this email is verified"; organizations decides
 * what that means for domain auto-join.
 */
export interface DomainEvents {
  "user.registered": { userId: string; email: string };
  "user.email-verified": { userId: string; email: string };
  "user.signed-in": { userId: string; sessionId: string };
  "user.signed-out": { userId: string; sessionId: string };
  /** A learner finished a course (all lessons, or marked complete by staff). */
  "enrollment.completed": { enrollmentId: string; userId: string; courseId: string };
  /** A learner passed a course's certification quiz for the first time. */
  "quiz.certification-passed": { enrollmentId: string; quizId: string; attemptId: string };
  /** A person was enrolled in a course (or an ended enrollment was opened again). */
  "enrollment.created": {
    enrollmentId: string;
    userId: string;
    courseId: string;
    organizationId: string | null;
    source: string;
    status: string;
  };
  /** A certificate was issued for an enrollment. */
  "certificate.issued": {
    certificateId: string;
    certificateNumber: string;
    enrollmentId: string;
    userId: string;
    courseId: string;
    organizationId: string | null;
    expiresAt: string | null;
  };
  /** A certificate was revoked. */
  "certificate.revoked": {
    certificateId: string;
    certificateNumber: string;
    userId: string;
    courseId: string;
    organizationId: string | null;
    reason: string;
  };
  /** A quiz attempt reached "graded" (at submit, after manual grading, or a regrade). */
  "quiz.graded": {
    attemptId: string;
    quizId: string;
    enrollmentId: string;
    userId: string;
    courseId: string;
    organizationId: string | null;
    score: number | null;
    passed: boolean | null;
    regrade: boolean;
  };
  /** A sync run of an integration ended failed. */
  "integration.sync-failed": {
    integrationId: string;
    runId: string;
    organizationId: string;
    error: string | null;
  };
  /** An API key was created, or its webhook fields, state or existence changed. */
  "api-key.webhook-changed": { apiKeyId: string; organizationId: string };
  /** A person joined or left an organization, or their department, team, dates or place changed. */
  "organization.membership-changed": { organizationId: string; userId: string };
  /**
   * Someone read people's personal data in a manager or administrator view (a member's page,
   * a transcript, a list of learners): the access log records it (modules/privacy).
   */
  "personal-data.read": {
    organizationId: string | null;
    subjectUserIds: string[];
    what: string;
    detail?: string | null;
    /** Who learns of it, when not the caller (a manager a reminder escalates to). */
    viewerUserId?: string | null;
  };
}

type Handler<C, K extends keyof DomainEvents> = (ctx: C, payload: DomainEvents[K]) => Promise<void>;
type BatchHandler<C, K extends keyof DomainEvents> = (
  ctx: C,
  payloads: Array<DomainEvents[K]>,
) => Promise<void>;

/** A registered handler: of one payload at a time, or of every payload of an emission at once. */
type Registered<C> =
  | { many: false; handler: Handler<C, never> }
  | { many: true; handler: BatchHandler<C, never> };

/**
 * The in-process event bus. `C` is the context handlers receive (the application's `Ctx`, see
 * `context.ts`); the bus only passes it on, so this file does not depend on what a context holds.
 */
export class EventBus<C> {
  private readonly handlers = new Map<keyof DomainEvents, Array<Registered<C>>>();

  private register<K extends keyof DomainEvents>(name: K, entry: Registered<C>): void {
    const list = this.handlers.get(name) ?? [];
    list.push(entry);
    this.handlers.set(name, list);
  }

  /** Registers a handler for one event; handlers run in registration order. */
  on<K extends keyof DomainEvents>(name: K, handler: Handler<C, K>): void {
    this.register(name, { many: false, handler: handler as Handler<C, never> });
  }

  /**
   * Registers a handler that takes every payload of an emission at once (`emitMany`), so it can
   * read and write for all of them in a few statements; `emit` hands it a list of one.
   */
  onMany<K extends keyof DomainEvents>(name: K, handler: BatchHandler<C, K>): void {
    this.register(name, { many: true, handler: handler as BatchHandler<C, never> });
  }

  /** Runs every handler in order with the caller's context (and so its transaction). */
  async emit<K extends keyof DomainEvents>(
    ctx: C,
    name: K,
    payload: DomainEvents[K],
  ): Promise<void> {
    await this.emitMany(ctx, name, [payload]);
  }

  /**
   * Emits the same event for many payloads (a slice of bulk enrollments): handlers run in
   * registration order; a batch handler once with every payload, any other once per payload.
   */
  async emitMany<K extends keyof DomainEvents>(
    ctx: C,
    name: K,
    payloads: Array<DomainEvents[K]>,
  ): Promise<void> {
    if (!payloads.length) return;
    for (const entry of this.handlers.get(name) ?? []) {
      if (entry.many) await (entry.handler as BatchHandler<C, K>)(ctx, payloads);
      else for (const payload of payloads) await (entry.handler as Handler<C, K>)(ctx, payload);
    }
  }
}
