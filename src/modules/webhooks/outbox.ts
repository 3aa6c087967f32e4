import type { AppEvents, Ctx } from "../../platform/context.js";
import { newId } from "../../platform/ids.js";
import { enqueueJob } from "../../platform/jobs/queue.js";
import { webhookEventTypes } from "../../platform/webhook-events.js";
import { syncApiKeyEndpoint } from "./endpoints.js";
import "./event-types.js";
import type { WebhookPayload } from "./schema.js";

export const DELIVER_JOB = "webhooks.deliver";

/** Queues the sending job (one at a time), due at once. */
export async function nudgeDeliveries(ctx: Ctx): Promise<void> {
  await enqueueJob(
    ctx.db,
    DELIVER_JOB,
    {},
    { dedupeKey: DELIVER_JOB, runAt: ctx.clock.now(), maxAttempts: 3 },
  );
}

/** One event for the outbox: its organization and the data its deliveries carry. */
export interface OutboxEvent {
  organizationId: string;
  data: Record<string, unknown>;
}

/**
 * Writes one delivery of an event for every active endpoint of the organization subscribed
 * to its type, in the caller's transaction (an outbox: nothing is sent before it commits, and
 * nothing is sent for a change that rolls back). Answers how many were written.
 */
export function enqueueEvent(
  ctx: Ctx,
  organizationId: string,
  type: string,
  data: Record<string, unknown>,
): Promise<number> {
  return enqueueEvents(ctx, type, [{ organizationId, data }]);
}

/**
 * `enqueueEvent` for many events of one type: the subscribed endpoints of all their
 * organizations are read in one statement and every delivery written in one more, so a bulk
 * enrollment of 500 people costs two statements, not a thousand.
 */
export async function enqueueEvents(
  ctx: Ctx,
  type: string,
  events: OutboxEvent[],
): Promise<number> {
  const organizationIds = [...new Set(events.map((e) => e.organizationId))];
  if (!organizationIds.length) return 0;
  const endpoints = await ctx.db
    .selectFrom("webhook_endpoints")
    .select(["id", "organization_id"])
    .where("organization_id", "in", organizationIds)
    .where("status", "=", "active")
    .where((eb) => eb(eb.val(type), "=", eb.fn.any("event_types")))
    .execute();
  if (!endpoints.length) return 0;
  const now = ctx.clock.now();
  const rows = events.flatMap((event) => {
    const subscribed = endpoints.filter((e) => e.organization_id === event.organizationId);
    if (!subscribed.length) return [];
    const payload: WebhookPayload = {
      id: newId(),
      type,
      createdAt: now.toISOString(),
      organizationId: event.organizationId,
      data: event.data,
    };
    return subscribed.map((e) => ({
      organization_id: event.organizationId,
      endpoint_id: e.id,
      event_id: payload.id,
      event_type: type,
      payload: JSON.stringify(payload),
      next_attempt_at: now,
      created_at: now,
      updated_at: now,
    }));
  });
  if (!rows.length) return 0;
  for (let i = 0; i < rows.length; i += 1000)
    await ctx.db
      .insertInto("webhook_deliveries")
      .values(rows.slice(i, i + 1000))
      .execute();
  await nudgeDeliveries(ctx);
  return rows.length;
}

/**
 * Subscribes outbound webhooks to every event type of the catalog, and API keys' endpoints to
 * changes of their keys. Called when the application is wired (app.ts), after every module
 * has defined its event types.
 */
export function subscribeWebhooks(events: AppEvents): void {
  for (const entry of webhookEventTypes()) {
    events.onMany(entry.type, async (ctx, payloads) => {
      const built: OutboxEvent[] = [];
      for (const payload of payloads) {
        const one = await entry.build(ctx, payload as never);
        if (one) built.push(one);
      }
      await enqueueEvents(ctx, entry.type, built);
    });
  }
  events.on("api-key.webhook-changed", (ctx, { apiKeyId, organizationId }) =>
    syncApiKeyEndpoint(ctx, apiKeyId, organizationId),
  );
}
