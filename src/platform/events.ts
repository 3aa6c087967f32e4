import type { Ctx } from "./context.js";

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
}

type Handler<K extends keyof DomainEvents> = (ctx: Ctx, payload: DomainEvents[K]) => Promise<void>;

export class EventBus {
  private readonly handlers = new Map<keyof DomainEvents, Array<Handler<never>>>();

  on<K extends keyof DomainEvents>(name: K, handler: Handler<K>): void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as Handler<never>);
    this.handlers.set(name, list);
  }

  /** Runs every handler in order with the caller's context (and so its transaction). */
  async emit<K extends keyof DomainEvents>(
    ctx: Ctx,
    name: K,
    payload: DomainEvents[K],
  ): Promise<void> {
    for (const handler of this.handlers.get(name) ?? []) {
      await (handler as Handler<K>)(ctx, payload);
    }
  }
}
