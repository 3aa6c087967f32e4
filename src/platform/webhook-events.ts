import type { Ctx } from "./context.js";
import type { DomainEvents } from "./events.js";

/**
 * The catalog of events an organization can subscribe webhooks to (docs/webhooks.md). Each
 * entry names a domain event (src/platform/events.ts), describes it and its payload's fields,
 * and turns the event into what is sent: the organization it belongs to and the `data` of the
 * delivery (null when the event belongs to no organization, e.g. a platform course).
 *
 * Modules add their events with `defineWebhookEvent` when they are loaded (the webhooks
 * module defines the first ones in src/modules/webhooks/event-types.ts); the webhooks module
 * subscribes to every entry when the application is wired, so a module only has to define its
 * entry and emit its domain event.
 */
export interface WebhookEventType<K extends keyof DomainEvents = keyof DomainEvents> {
  type: K;
  description: string;
  /** The fields of `data`, each with a sentence saying what it holds. */
  fields: Record<string, string>;
  build(
    ctx: Ctx,
    payload: DomainEvents[K],
  ): Promise<{ organizationId: string; data: Record<string, unknown> } | null>;
}

const CATALOG = new Map<string, WebhookEventType>();

/** Adds an event type to the catalog; defining the same type twice is a programming error. */
export function defineWebhookEvent<K extends keyof DomainEvents>(entry: WebhookEventType<K>): void {
  if (CATALOG.has(entry.type)) throw new Error(`webhook event ${entry.type} is defined twice`);
  CATALOG.set(entry.type, entry as unknown as WebhookEventType);
}

/** Every event type, in the order they were defined. */
export function webhookEventTypes(): readonly WebhookEventType[] {
  return [...CATALOG.values()];
}

export function isWebhookEventType(type: string): boolean {
  return CATALOG.has(type);
}
