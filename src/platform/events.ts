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
  /**
   * Someone read people's personal data in a manager or administrator view (a member's page,
   * a transcript, a list of learners): the access log records it (modules/privacy).
   */
  "personal-data.read": {
    organizationId: string | null;
    subjectUserIds: string[];
    what: string;
    detail?: string | null;
  };
}

type Handler<C, K extends keyof DomainEvents> = (ctx: C, payload: DomainEvents[K]) => Promise<void>;

/**
 * The in-process event bus. `C` is the context handlers receive (the application's `Ctx`, see
 * `context.ts`); the bus only passes it on, so this file does not depend on what a context holds.
 */
export class EventBus<C> {
  private readonly handlers = new Map<keyof DomainEvents, Array<Handler<C, never>>>();

  /** Registers a handler for one event; handlers run in registration order. */
  on<K extends keyof DomainEvents>(name: K, handler: Handler<C, K>): void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as Handler<C, never>);
    this.handlers.set(name, list);
  }

  /** Runs every handler in order with the caller's context (and so its transaction). */
  async emit<K extends keyof DomainEvents>(
    ctx: C,
    name: K,
    payload: DomainEvents[K],
  ): Promise<void> {
    for (const handler of this.handlers.get(name) ?? []) {
      await (handler as Handler<C, K>)(ctx, payload);
    }
  }
}
