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

/**
 * Writes one delivery of an event for every active endpoint of the organization subscribed
 * to its type, in the caller's transaction (an outbox: nothing is sent before it commits, and
 * nothing is sent for a change that rolls back). Answers how many were written.
 */
export async function enqueueEvent(
  ctx: Ctx,
  organizationId: string,
  type: string,
  data: Record<string, unknown>,
): Promise<number> {
  const endpoints = await ctx.db
    .selectFrom("webhook_endpoints")
    .select("id")
    .where("organization_id", "=", organizationId)
    .where("status", "=", "active")
    .where((eb) => eb(eb.val(type), "=", eb.fn.any("event_types")))
    .execute();
  if (!endpoints.length) return 0;
  const now = ctx.clock.now();
  const payload: WebhookPayload = {
    id: newId(),
    type,
    createdAt: now.toISOString(),
    organizationId,
    data,
  };
  await ctx.db
    .insertInto("webhook_deliveries")
    .values(
      endpoints.map((e) => ({
        organization_id: organizationId,
        endpoint_id: e.id,
        event_id: payload.id,
        event_type: type,
        payload: JSON.stringify(payload),
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  await nudgeDeliveries(ctx);
  return endpoints.length;
}

/**
 * Subscribes outbound webhooks to every event type of the catalog, and API keys' endpoints to
 * changes of their keys. Called when the application is wired (app.ts), after every module
 * has defined its event types.
 */
export function subscribeWebhooks(events: AppEvents): void {
  for (const entry of webhookEventTypes()) {
    events.on(entry.type, async (ctx, payload) => {
      const built = await entry.build(ctx, payload as never);
      if (built) await enqueueEvent(ctx, built.organizationId, entry.type, built.data);
    });
  }
  events.on("api-key.webhook-changed", (ctx, { apiKeyId, organizationId }) =>
    syncApiKeyEndpoint(ctx, apiKeyId, organizationId),
  );
}
