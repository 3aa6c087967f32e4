import { sql } from "kysely";
import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { newId } from "../../platform/ids.js";
import {
  AddressGuardError,
  assertPublicAddress,
  type Resolver,
} from "../../platform/net/address-guard.js";
import { signatureHeader } from "../../platform/net/signature.js";
import { holdersOf } from "../access/assignments.js";
import { notifyAll } from "../notifications/notify.js";
import { openSecret, visibleEndpoint, WEBHOOK_ABILITY } from "./endpoints.js";
import { nudgeDeliveries } from "./outbox.js";
import type { OutboundDeliveryRow, WebhookEndpointRow, WebhookPayload } from "./schema.js";

/** How long a receiver has to answer. */
export const TIMEOUT_MS = 10_000;
/** Attempts of one delivery before it is dead. */
export const MAX_ATTEMPTS = 8;
/** The wait after the first failed attempt; it doubles after each one, up to MAX_DELAY_MS. */
export const FIRST_DELAY_MS = 60_000;
export const MAX_DELAY_MS = 6 * 60 * 60_000;
/** Up to this share is added to each wait at random, so receivers are not hit in waves. */
export const JITTER = 0.1;
/** An endpoint is disabled after this many failed attempts in a row … */
export const DISABLE_AFTER_FAILURES = 15;
/** … or when it has failed without a success for this long. */
export const DISABLE_AFTER_MS = 3 * 24 * 60 * 60_000;
/** The part of a response body kept. */
export const RESPONSE_EXCERPT = 2048;
/** Deliveries older than this are deleted. */
export const RETENTION_DAYS = 30;
/** Deliveries sent by one run of the job at most. */
const BATCH = 50;

export const PING_TYPE = "webhook.ping";
const DISABLED_REASON = `Failed ${DISABLE_AFTER_FAILURES} times in a row, or for 3 days without a success`;

/** The wait before attempt `attempts + 1`, after `attempts` failed ones (without jitter). */
export function backoffMs(attempts: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
}

export interface SendOptions {
  /** Resolves host names for the address guard (tests). */
  resolve?: Resolver;
  /** Random source for the jitter (tests). */
  random?: () => number;
}

interface Answer {
  status: number | null;
  body: string | null;
  error: string | null;
  durationMs: number;
}

async function excerpt(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_EXCERPT * 4) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString("utf8").slice(0, RESPONSE_EXCERPT);
}

/** Sends one delivery's body to its endpoint and says what came back. Never throws. */
async function post(
  ctx: Ctx,
  endpoint: WebhookEndpointRow,
  delivery: OutboundDeliveryRow,
  options: SendOptions,
): Promise<Answer> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const url = new URL(endpoint.url);
    if (!ctx.config.webhooks.allowPrivateNetwork)
      await assertPublicAddress(url, "webhooks", "WEBHOOK_ALLOW_PRIVATE_NETWORK", options.resolve);
    const body = JSON.stringify(delivery.payload);
    const response = await fetch(url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        "content-type": "application/json",
        "user-agent": "Lyceum-Webhooks/1",
        "lyceum-signature": signatureHeader(openSecret(ctx, endpoint), body, ctx.clock.now()),
        "lyceum-event": delivery.event_type,
        "lyceum-delivery": delivery.id,
      },
      body,
    });
    const text = await excerpt(response).catch(() => "");
    const ok = response.status >= 200 && response.status < 300;
    return {
      status: response.status,
      body: text,
      error: ok
        ? null
        : response.status >= 300 && response.status < 400
          ? `The receiver answered ${response.status} (a redirect, which is not followed)`
          : `The receiver answered ${response.status}`,
      durationMs: took(),
    };
  } catch (error) {
    let message: string;
    if (error instanceof AddressGuardError) message = error.message;
    else if (error instanceof Error && error.name === "TimeoutError")
      message = `The receiver did not answer within ${TIMEOUT_MS / 1000} seconds`;
    else {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      message = `The receiver could not be reached${cause?.code ? ` (${cause.code})` : cause?.message ? ` (${cause.message})` : ""}`;
    }
    return { status: null, body: null, error: message.slice(0, 2000), durationMs: took() };
  }
}

/**
 * Makes one attempt at a delivery and records it: 2xx is delivered; anything else waits for
 * the next attempt (exponential backoff with jitter) or, after MAX_ATTEMPTS, is dead. The
 * endpoint counts failed attempts in a row and is disabled, its organization's integration
 * administrators told, after too many. Answers the delivery as stored.
 */
export async function attemptDelivery(
  ctx: Ctx,
  deliveryId: string,
  options: SendOptions = {},
): Promise<OutboundDeliveryRow | null> {
  const delivery = await ctx.db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("id", "=", deliveryId)
    .executeTakeFirst();
  if (!delivery || (delivery.status !== "pending" && delivery.status !== "failed")) return null;
  const endpoint = await ctx.db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("id", "=", delivery.endpoint_id)
    .executeTakeFirstOrThrow();
  const answer = await post(ctx, endpoint, delivery, options);
  const ok = answer.error === null;
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const attempts = delivery.attempts + 1;
    const dead = !ok && attempts >= MAX_ATTEMPTS;
    const wait = backoffMs(attempts) * (1 + JITTER * (options.random ?? Math.random)());
    const stored = await tx.db
      .updateTable("webhook_deliveries")
      .set({
        status: ok ? "delivered" : dead ? "dead" : "failed",
        attempts,
        last_attempt_at: now,
        next_attempt_at: ok || dead ? null : new Date(now.getTime() + Math.round(wait)),
        response_status: answer.status,
        response_body: answer.body,
        duration_ms: answer.durationMs,
        error: answer.error,
        delivered_at: ok ? now : null,
        updated_at: now,
      })
      .where("id", "=", deliveryId)
      .where("status", "in", ["pending", "failed"])
      .returningAll()
      .executeTakeFirst();
    if (!stored) return null;
    if (ok) {
      await tx.db
        .updateTable("webhook_endpoints")
        .set({ consecutive_failures: 0, failing_since: null, last_delivery_at: now })
        .where("id", "=", endpoint.id)
        .execute();
      return stored;
    }
    const after = await tx.db
      .updateTable("webhook_endpoints")
      .set({
        consecutive_failures: sql`consecutive_failures + 1`,
        failing_since: sql`coalesce(failing_since, ${now})`,
        last_delivery_at: now,
      })
      .where("id", "=", endpoint.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (
      after.status === "active" &&
      (after.consecutive_failures >= DISABLE_AFTER_FAILURES ||
        (after.failing_since && now.getTime() - after.failing_since.getTime() >= DISABLE_AFTER_MS))
    )
      await disableForFailures(tx, after);
    return stored;
  });
}

/** Deliveries still waiting when an endpoint is disabled are not sent any more. */
export async function settleWaiting(ctx: Ctx, endpointId: string, reason: string): Promise<void> {
  await ctx.db
    .updateTable("webhook_deliveries")
    .set({ status: "dead", next_attempt_at: null, error: reason, updated_at: ctx.clock.now() })
    .where("endpoint_id", "=", endpointId)
    .where("status", "in", ["pending", "failed"])
    .execute();
}

async function disableForFailures(ctx: Ctx, endpoint: WebhookEndpointRow): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db
    .updateTable("webhook_endpoints")
    .set({ status: "disabled", disabled_at: now, disabled_reason: DISABLED_REASON })
    .where("id", "=", endpoint.id)
    .execute();
  await settleWaiting(ctx, endpoint.id, "The webhook was disabled after repeated failures");
  await audit(ctx, {
    organizationId: endpoint.organization_id,
    action: "webhook.auto-disable",
    entityType: "webhook",
    entityId: endpoint.id,
    before: { status: "active" },
    after: {
      status: "disabled",
      disabled_reason: DISABLED_REASON,
      consecutive_failures: endpoint.consecutive_failures,
    },
  });
  const admins = await holdersOf(
    ctx.db,
    endpoint.organization_id,
    `${WEBHOOK_ABILITY}:organization`,
    now,
  )
    .select("ur.user_id")
    .distinct()
    .execute();
  await notifyAll(ctx, {
    userIds: admins.map((a) => a.user_id),
    organizationId: endpoint.organization_id,
    type: "webhook-disabled",
    variables: { url: endpoint.url, failures: String(endpoint.consecutive_failures) },
    data: { webhookId: endpoint.id, url: endpoint.url },
    actionPath: `/organization/webhooks/${endpoint.id}`,
  });
}

/** Sends the deliveries that are due, a batch at a time; answers how many were attempted. */
export async function deliverDue(ctx: Ctx, options: SendOptions = {}): Promise<number> {
  let attempted = 0;
  for (;;) {
    const due = await ctx.db
      .selectFrom("webhook_deliveries as d")
      .innerJoin("webhook_endpoints as e", "e.id", "d.endpoint_id")
      .select("d.id")
      .where("d.status", "in", ["pending", "failed"])
      .where("d.next_attempt_at", "<=", ctx.clock.now())
      .where("e.status", "=", "active")
      .orderBy("d.next_attempt_at")
      .orderBy("d.id")
      .limit(BATCH)
      .execute();
    for (const { id } of due) {
      await attemptDelivery(ctx, id, options);
      attempted++;
    }
    if (due.length < BATCH) return attempted;
  }
}

/** Deletes finished deliveries older than the retention; answers how many. */
export async function purgeOldDeliveries(ctx: Ctx): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - RETENTION_DAYS * 24 * 60 * 60_000);
  const result = await ctx.db
    .deleteFrom("webhook_deliveries")
    .where("created_at", "<", before)
    .where("status", "in", ["delivered", "dead"])
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** A delivery the actor may see (through its endpoint), or NOT_FOUND. */
export async function visibleDelivery(ctx: Ctx, id: string): Promise<OutboundDeliveryRow> {
  const row = await ctx.db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", "Delivery not found");
  await visibleEndpoint(ctx, row.endpoint_id).catch(() => {
    throw new AppError("NOT_FOUND", "Delivery not found");
  });
  return row;
}

function refuseDisabled(endpoint: WebhookEndpointRow) {
  if (endpoint.status !== "active")
    throw new AppError("UNPROCESSABLE", "The webhook is disabled; enable it first");
}

/**
 * Sends a delivery's event again as a new delivery (same event id, so a receiver that keeps
 * the ids it has seen can tell), due at once. Any delivery can be sent again.
 */
export async function redeliver(ctx: Ctx, deliveryId: string): Promise<OutboundDeliveryRow> {
  const original = await visibleDelivery(ctx, deliveryId);
  const endpoint = await visibleEndpoint(ctx, original.endpoint_id);
  refuseDisabled(endpoint);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const copy = await tx.db
      .insertInto("webhook_deliveries")
      .values({
        organization_id: original.organization_id,
        endpoint_id: original.endpoint_id,
        event_id: original.event_id,
        event_type: original.event_type,
        payload: JSON.stringify(original.payload),
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: original.organization_id,
      action: "webhook.redeliver",
      entityType: "webhook",
      entityId: original.endpoint_id,
      after: { delivery_id: copy.id, of: original.id, event_type: original.event_type },
    });
    await nudgeDeliveries(tx);
    return copy;
  });
}

/**
 * Sends a `webhook.ping` event to the endpoint now and answers the delivery with what came
 * back (a failed ping is retried like any delivery).
 */
export async function sendTest(
  ctx: Ctx,
  endpointId: string,
  options: SendOptions = {},
): Promise<OutboundDeliveryRow> {
  const endpoint = await visibleEndpoint(ctx, endpointId);
  refuseDisabled(endpoint);
  const now = ctx.clock.now();
  const payload: WebhookPayload = {
    id: newId(),
    type: PING_TYPE,
    createdAt: now.toISOString(),
    organizationId: endpoint.organization_id,
    data: { webhookId: endpoint.id, message: "A test event sent from Lyceum" },
  };
  const delivery = await inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .insertInto("webhook_deliveries")
      .values({
        organization_id: endpoint.organization_id,
        endpoint_id: endpoint.id,
        event_id: payload.id,
        event_type: PING_TYPE,
        payload: JSON.stringify(payload),
        next_attempt_at: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: endpoint.organization_id,
      action: "webhook.test",
      entityType: "webhook",
      entityId: endpoint.id,
      after: { delivery_id: row.id },
    });
    return row;
  });
  return (await attemptDelivery(ctx, delivery.id, options)) ?? delivery;
}
