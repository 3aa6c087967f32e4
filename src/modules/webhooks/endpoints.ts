import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { randomToken } from "../../platform/crypto.js";
import { AppError } from "../../platform/http/errors.js";
import { type PageRequest, paginate, sortOf } from "../../platform/http/pagination.js";
import { newId } from "../../platform/ids.js";
import { holds } from "../../platform/policy/engine.js";
import { isWebhookEventType } from "../../platform/webhook-events.js";
import type { EndpointStatus, WebhookEndpointRow } from "./schema.js";

/** Who manages an organization's webhooks (the permission of its integrations). */
export const WEBHOOK_ABILITY = "integrations:manage" as const;
export const SECRET_PREFIX = "whsec_";

export interface EndpointInput {
  url: string;
  description?: string | null;
  eventTypes: string[];
}

/** The context a secret is sealed under: it opens on this endpoint's row only. */
export function secretContext(endpointId: string): string {
  return `webhook-endpoint:${endpointId}`;
}

function newSecret(ctx: Ctx, endpointId: string) {
  const secret = randomToken(32, SECRET_PREFIX);
  return {
    secret,
    secret_sealed: ctx.secrets.seal(secret, secretContext(endpointId)),
    secret_key_id: ctx.secrets.keyId,
  };
}

/** The endpoint's signing secret in clear (for signing a delivery). */
export function openSecret(ctx: Ctx, endpoint: WebhookEndpointRow): string {
  return ctx.secrets.open(endpoint.secret_sealed, secretContext(endpoint.id));
}

/** Event types must be in the catalog (GET /webhook-event-types); duplicates are dropped. */
export function checkEventTypes(types: readonly string[], field = "eventTypes"): string[] {
  const unknown = types.filter((t) => !isWebhookEventType(t));
  if (unknown.length)
    throw new AppError("VALIDATION_ERROR", `Unknown event type: ${unknown.join(", ")}`, {
      field,
    });
  return [...new Set(types)].sort();
}

/** Only http(s) addresses without credentials in them. */
export function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError("VALIDATION_ERROR", "Not a valid address", { field: "url" });
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    throw new AppError("VALIDATION_ERROR", "The address must start with https:// or http://", {
      field: "url",
    });
  if (parsed.username || parsed.password)
    throw new AppError("VALIDATION_ERROR", "The address may not hold a user name or password", {
      field: "url",
    });
  return parsed.toString();
}

/** What the audit trail keeps of an endpoint: never its secret. */
function audited(row: WebhookEndpointRow) {
  return {
    url: row.url,
    description: row.description,
    event_types: row.event_types,
    status: row.status,
    disabled_reason: row.disabled_reason,
    api_key_id: row.api_key_id,
  };
}

/** An endpoint the actor may manage, or NOT_FOUND (also for another organization's). */
export async function visibleEndpoint(ctx: Ctx, id: string): Promise<WebhookEndpointRow> {
  const [row, access] = await Promise.all([
    ctx.db.selectFrom("webhook_endpoints").selectAll().where("id", "=", id).executeTakeFirst(),
    ctx.actor.access(),
  ]);
  if (!row || !holds(access, WEBHOOK_ABILITY, row.organization_id))
    throw new AppError("NOT_FOUND", "Webhook not found");
  return row;
}

export interface EndpointListQuery extends PageRequest {
  status?: EndpointStatus;
}

export async function listEndpoints(ctx: Ctx, organizationId: string, query: EndpointListQuery) {
  let q = ctx.db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("organization_id", "=", organizationId);
  if (query.status) q = q.where("status", "=", query.status);
  return paginate(q, query, sortOf(query.sort, { createdAt: "created_at" }), "id");
}

/** Adds an endpoint; the answer holds its signing secret, which is shown only then. */
export async function createEndpoint(
  ctx: Ctx,
  organizationId: string,
  input: EndpointInput,
): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const url = checkUrl(input.url);
  const eventTypes = checkEventTypes(input.eventTypes);
  const id = newId();
  const { secret, ...sealed } = newSecret(ctx, id);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const endpoint = await tx.db
      .insertInto("webhook_endpoints")
      .values({
        id,
        organization_id: organizationId,
        url,
        description: input.description ?? null,
        event_types: eventTypes,
        ...sealed,
        created_by: tx.actor.kind === "user" ? tx.actor.userId : null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: "webhook.create",
      entityType: "webhook",
      entityId: id,
      after: audited(endpoint),
    });
    return { endpoint, secret };
  });
}

export interface EndpointPatch {
  url?: string;
  description?: string | null;
  eventTypes?: string[];
  status?: EndpointStatus;
}

function refuseKeyEndpoint(row: WebhookEndpointRow) {
  if (row.api_key_id)
    throw new AppError(
      "UNPROCESSABLE",
      "This webhook follows an API key's webhook settings; change the API key instead",
    );
}

/**
 * Changes an endpoint. Setting status `active` on a disabled endpoint enables it again with
 * its failure count reset (deliveries that went dead stay dead; redeliver them by hand).
 */
export async function updateEndpoint(
  ctx: Ctx,
  id: string,
  patch: EndpointPatch,
): Promise<WebhookEndpointRow> {
  const current = await visibleEndpoint(ctx, id);
  if (patch.url !== undefined || patch.eventTypes !== undefined || patch.description !== undefined)
    refuseKeyEndpoint(current);
  const url = patch.url !== undefined ? checkUrl(patch.url) : undefined;
  const eventTypes = patch.eventTypes ? checkEventTypes(patch.eventTypes) : undefined;
  return inTransaction(ctx, async (tx) => {
    const before = await tx.db
      .selectFrom("webhook_endpoints")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const now = tx.clock.now();
    const statusChange =
      patch.status && patch.status !== before.status
        ? patch.status === "active"
          ? {
              status: "active" as const,
              disabled_at: null,
              disabled_reason: null,
              consecutive_failures: 0,
              failing_since: null,
            }
          : {
              status: "disabled" as const,
              disabled_at: now,
              disabled_reason: "Disabled by hand",
            }
        : {};
    const after = await tx.db
      .updateTable("webhook_endpoints")
      .set({
        ...(url !== undefined ? { url } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(eventTypes ? { event_types: eventTypes } : {}),
        ...statusChange,
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (statusChange.status === "disabled")
      await tx.db
        .updateTable("webhook_deliveries")
        .set({
          status: "dead",
          next_attempt_at: null,
          error: "The webhook was disabled",
          updated_at: now,
        })
        .where("endpoint_id", "=", id)
        .where("status", "in", ["pending", "failed"])
        .execute();
    await audit(tx, {
      organizationId: after.organization_id,
      action:
        patch.status && patch.status !== before.status
          ? patch.status === "active"
            ? "webhook.enable"
            : "webhook.disable"
          : "webhook.update",
      entityType: "webhook",
      entityId: id,
      before: audited(before),
      after: audited(after),
    });
    return after;
  });
}

/** Removes an endpoint with its deliveries. */
export async function deleteEndpoint(ctx: Ctx, id: string): Promise<void> {
  const current = await visibleEndpoint(ctx, id);
  refuseKeyEndpoint(current);
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom("webhook_endpoints").where("id", "=", id).execute();
    await audit(tx, {
      organizationId: current.organization_id,
      action: "webhook.delete",
      entityType: "webhook",
      entityId: id,
      before: audited(current),
    });
  });
}

/** Replaces the signing secret; the new one is in the answer only. The old one stops at once. */
export async function rotateSecret(
  ctx: Ctx,
  id: string,
): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const current = await visibleEndpoint(ctx, id);
  const { secret, ...sealed } = newSecret(ctx, id);
  return inTransaction(ctx, async (tx) => {
    const endpoint = await tx.db
      .updateTable("webhook_endpoints")
      .set({ ...sealed, updated_at: tx.clock.now() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: current.organization_id,
      action: "webhook.rotate-secret",
      entityType: "webhook",
      entityId: id,
      after: { secret_key_id: endpoint.secret_key_id },
    });
    return { endpoint, secret };
  });
}

/**
 * Keeps the endpoint of an API key in step with the key's `webhook_url` and
 * `webhook_events` (docs/webhooks.md): created when the key gains a URL (with a secret of its
 * own, read by rotating it), changed with the key, removed when the key loses its URL or is
 * revoked; paused while the key is paused.
 */
export async function syncApiKeyEndpoint(
  ctx: Ctx,
  apiKeyId: string,
  organizationId: string,
): Promise<void> {
  const key = await ctx.db
    .selectFrom("api_keys")
    .selectAll()
    .where("id", "=", apiKeyId)
    .where("organization_id", "=", organizationId)
    .executeTakeFirst();
  const existing = await ctx.db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("api_key_id", "=", apiKeyId)
    .executeTakeFirst();
  const now = ctx.clock.now();
  const eventTypes = (key?.webhook_events ?? []).filter(isWebhookEventType).sort();
  if (!key || !key.webhook_url || key.revoked_at) {
    if (existing) {
      await ctx.db.deleteFrom("webhook_endpoints").where("id", "=", existing.id).execute();
      await audit(ctx, {
        organizationId,
        action: "webhook.delete",
        entityType: "webhook",
        entityId: existing.id,
        before: audited(existing),
      });
    }
    return;
  }
  const status: EndpointStatus = key.is_active ? "active" : "disabled";
  const statusFields =
    status === "active"
      ? { status, disabled_at: null, disabled_reason: null }
      : { status, disabled_at: now, disabled_reason: "The API key is paused" };
  if (!existing) {
    const id = newId();
    const { secret: _, ...sealed } = newSecret(ctx, id);
    const created = await ctx.db
      .insertInto("webhook_endpoints")
      .values({
        id,
        organization_id: organizationId,
        url: key.webhook_url,
        description: `API key ${key.name}`,
        event_types: eventTypes,
        ...sealed,
        ...statusFields,
        api_key_id: key.id,
        created_by: ctx.actor.kind === "user" ? ctx.actor.userId : null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(ctx, {
      organizationId,
      action: "webhook.create",
      entityType: "webhook",
      entityId: id,
      after: audited(created),
    });
    return;
  }
  const keepDisabled =
    existing.status === "disabled" &&
    status === "active" &&
    existing.disabled_reason !== "The API key is paused";
  const after = await ctx.db
    .updateTable("webhook_endpoints")
    .set({
      url: key.webhook_url,
      description: `API key ${key.name}`,
      event_types: eventTypes,
      ...(keepDisabled || existing.status === status ? {} : statusFields),
      updated_at: now,
    })
    .where("id", "=", existing.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(ctx, {
    organizationId,
    action: "webhook.update",
    entityType: "webhook",
    entityId: existing.id,
    before: audited(existing),
    after: audited(after),
  });
}
