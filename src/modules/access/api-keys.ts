import { isIP } from "node:net";
import type { ApiKeyAccessLevel, ApiKeyRow } from "../../db/schema.js";
import { audit, auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { randomToken, sha256 } from "../../platform/crypto.js";
import { AppError } from "../../platform/http/errors.js";
import { paginate } from "../../platform/http/pagination.js";
import { API_KEY_PREFIX } from "./api-key-auth.js";
import { assertGrantable, assertOrganizationPermissions } from "./grantable.js";

export interface ApiKeyInput {
  name: string;
  description?: string | null;
  scopes: string[];
  accessLevel?: ApiKeyAccessLevel;
  rateLimitPerHour?: number;
  rateLimitPerDay?: number;
  allowedIps?: string[];
  allowedMethods?: string[];
  expiresAt?: string | Date | null;
  webhookUrl?: string | null;
  webhookEvents?: string[];
}

/** An allow-list entry: an IPv4 or IPv6 address, or an IPv4 CIDR range. */
export function isIpRule(rule: string): boolean {
  if (!rule.includes("/")) return isIP(rule) !== 0;
  const [base, bits] = rule.split("/");
  return isIP(base ?? "") === 4 && /^\d{1,2}$/.test(bits ?? "") && Number(bits) <= 32;
}

function validate(input: Partial<ApiKeyInput>) {
  if (input.scopes) assertOrganizationPermissions(input.scopes, "scopes");
  const badIp = input.allowedIps?.find((rule) => !isIpRule(rule));
  if (badIp)
    throw new AppError("VALIDATION_ERROR", `Not an IP address or IPv4 CIDR range: ${badIp}`, {
      field: "allowedIps",
    });
  if (
    input.rateLimitPerHour &&
    input.rateLimitPerDay &&
    input.rateLimitPerHour > input.rateLimitPerDay
  ) {
    throw new AppError("VALIDATION_ERROR", "The hourly limit cannot exceed the daily limit", {
      field: "rateLimitPerHour",
    });
  }
}

function newSecret() {
  const secret = randomToken(32, API_KEY_PREFIX);
  return { secret, hash: sha256(secret), prefix: secret.slice(0, API_KEY_PREFIX.length + 8) };
}

/**
 * Creates an organization API key. The secret is returned once and only its SHA-256 is kept;
 * the key may carry only permissions its creator holds.
 */
export async function createApiKey(
  ctx: Ctx,
  organizationId: string,
  input: ApiKeyInput,
): Promise<{ key: ApiKeyRow; secret: string }> {
  validate(input);
  await assertGrantable(ctx, organizationId, input.scopes, "scopes");
  const { secret, hash, prefix } = newSecret();
  return inTransaction(ctx, async (tx) => {
    const key = await tx.db
      .insertInto("api_keys")
      .values({
        organization_id: organizationId,
        name: input.name,
        description: input.description ?? null,
        key_prefix: prefix,
        key_hash: hash,
        scopes: [...new Set(input.scopes)].sort(),
        access_level: input.accessLevel ?? "read-only",
        rate_limit_per_hour: input.rateLimitPerHour ?? 1000,
        rate_limit_per_day: input.rateLimitPerDay ?? 10000,
        allowed_ips: input.allowedIps ?? [],
        allowed_methods: (input.allowedMethods ?? []).map((m) => m.toUpperCase()),
        webhook_url: input.webhookUrl ?? null,
        webhook_events: input.webhookEvents ?? [],
        expires_at: input.expiresAt ? new Date(input.expiresAt) : null,
        created_by: tx.actor.kind === "user" ? tx.actor.userId : null,
        created_at: tx.clock.now(),
        updated_at: tx.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: "api-key.create",
      entityType: "api-key",
      entityId: key.id,
      after: key,
    });
    if (key.webhook_url)
      await tx.events.emit(tx, "api-key.webhook-changed", { apiKeyId: key.id, organizationId });
    return { key, secret };
  });
}

async function lockKey(ctx: Ctx, organizationId: string, keyId: string): Promise<ApiKeyRow> {
  const key = await ctx.db
    .selectFrom("api_keys")
    .selectAll()
    .where("id", "=", keyId)
    .where("organization_id", "=", organizationId)
    .forUpdate()
    .executeTakeFirst();
  if (!key) throw new AppError("NOT_FOUND", "API key not found");
  return key;
}

export type ApiKeyPatch = Partial<Omit<ApiKeyInput, "scopes">> & {
  scopes?: string[];
  isActive?: boolean;
};

/** Changes an API key's name, scopes, limits or restrictions. */
export async function updateApiKey(
  ctx: Ctx,
  organizationId: string,
  keyId: string,
  patch: ApiKeyPatch,
): Promise<ApiKeyRow> {
  validate(patch);
  if (patch.scopes) await assertGrantable(ctx, organizationId, patch.scopes, "scopes");
  return inTransaction(ctx, async (tx) => {
    const before = await lockKey(tx, organizationId, keyId);
    if (before.revoked_at)
      throw new AppError("UNPROCESSABLE", "A revoked API key cannot be changed");
    const hour = patch.rateLimitPerHour ?? before.rate_limit_per_hour;
    const day = patch.rateLimitPerDay ?? before.rate_limit_per_day;
    if (hour > day)
      throw new AppError("VALIDATION_ERROR", "The hourly limit cannot exceed the daily limit", {
        field: "rateLimitPerHour",
      });
    const after = await tx.db
      .updateTable("api_keys")
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.scopes ? { scopes: [...new Set(patch.scopes)].sort() } : {}),
        ...(patch.accessLevel ? { access_level: patch.accessLevel } : {}),
        ...(patch.rateLimitPerHour ? { rate_limit_per_hour: patch.rateLimitPerHour } : {}),
        ...(patch.rateLimitPerDay ? { rate_limit_per_day: patch.rateLimitPerDay } : {}),
        ...(patch.allowedIps ? { allowed_ips: patch.allowedIps } : {}),
        ...(patch.allowedMethods
          ? { allowed_methods: patch.allowedMethods.map((m) => m.toUpperCase()) }
          : {}),
        ...(patch.expiresAt !== undefined
          ? { expires_at: patch.expiresAt ? new Date(patch.expiresAt) : null }
          : {}),
        ...(patch.webhookUrl !== undefined ? { webhook_url: patch.webhookUrl } : {}),
        ...(patch.webhookEvents ? { webhook_events: patch.webhookEvents } : {}),
        ...(patch.isActive !== undefined ? { is_active: patch.isActive } : {}),
      })
      .where("id", "=", keyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditUpdate(tx, {
      organizationId,
      action: "api-key.update",
      entityType: "api-key",
      entityId: keyId,
      before,
      after,
    });
    if (before.webhook_url || after.webhook_url)
      await tx.events.emit(tx, "api-key.webhook-changed", { apiKeyId: keyId, organizationId });
    return after;
  });
}

/** Revokes a key for good; calls with it answer 401 from now on. */
export async function revokeApiKey(
  ctx: Ctx,
  organizationId: string,
  keyId: string,
): Promise<ApiKeyRow> {
  return inTransaction(ctx, async (tx) => {
    const before = await lockKey(tx, organizationId, keyId);
    if (before.revoked_at) return before;
    const after = await tx.db
      .updateTable("api_keys")
      .set({ revoked_at: tx.clock.now(), is_active: false })
      .where("id", "=", keyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: "api-key.revoke",
      entityType: "api-key",
      entityId: keyId,
      before: { revoked_at: null, is_active: before.is_active },
      after: { revoked_at: after.revoked_at, is_active: false },
    });
    if (after.webhook_url)
      await tx.events.emit(tx, "api-key.webhook-changed", { apiKeyId: keyId, organizationId });
    return after;
  });
}

/** Replaces a key's secret: the old secret stops working at once, the new one is returned once. */
export async function rotateApiKey(
  ctx: Ctx,
  organizationId: string,
  keyId: string,
): Promise<{ key: ApiKeyRow; secret: string }> {
  return inTransaction(ctx, async (tx) => {
    const before = await lockKey(tx, organizationId, keyId);
    if (before.revoked_at)
      throw new AppError("UNPROCESSABLE", "A revoked API key cannot be rotated");
    const { secret, hash, prefix } = newSecret();
    const key = await tx.db
      .updateTable("api_keys")
      .set({ key_hash: hash, key_prefix: prefix })
      .where("id", "=", keyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: "api-key.rotate",
      entityType: "api-key",
      entityId: keyId,
      before: { key_prefix: before.key_prefix },
      after: { key_prefix: prefix },
    });
    return { key, secret };
  });
}

export async function getApiKey(
  ctx: Ctx,
  organizationId: string,
  keyId: string,
): Promise<ApiKeyRow> {
  const key = await ctx.db
    .selectFrom("api_keys")
    .selectAll()
    .where("id", "=", keyId)
    .where("organization_id", "=", organizationId)
    .executeTakeFirst();
  if (!key) throw new AppError("NOT_FOUND", "API key not found");
  return key;
}

export async function listApiKeys(
  ctx: Ctx,
  organizationId: string,
  query: { page: number; limit: number; status?: "active" | "revoked" },
) {
  let q = ctx.db.selectFrom("api_keys").selectAll().where("organization_id", "=", organizationId);
  if (query.status === "active") q = q.where("revoked_at", "is", null);
  if (query.status === "revoked") q = q.where("revoked_at", "is not", null);
  return paginate(q, query, { column: "created_at", direction: "desc" }, "id");
}

/** Calls counted in the current hour and day windows of each key. */
export async function currentUsage(
  ctx: Ctx,
  keyIds: string[],
): Promise<Map<string, { hour: number; day: number }>> {
  const usage = new Map<string, { hour: number; day: number }>();
  if (!keyIds.length) return usage;
  const now = ctx.clock.now().getTime();
  const hourStart = new Date(Math.floor(now / 3_600_000) * 3_600_000);
  const dayStart = new Date(Math.floor(now / 86_400_000) * 86_400_000);
  const rows = await ctx.db
    .selectFrom("api_key_usage")
    .select(["api_key_id", "window_kind", "count"])
    .where("api_key_id", "in", keyIds)
    .where((eb) =>
      eb.or([
        eb.and([eb("window_kind", "=", "hour"), eb("window_start", "=", hourStart)]),
        eb.and([eb("window_kind", "=", "day"), eb("window_start", "=", dayStart)]),
      ]),
    )
    .execute();
  for (const id of keyIds) usage.set(id, { hour: 0, day: 0 });
  for (const row of rows) {
    const entry = usage.get(row.api_key_id) as { hour: number; day: number };
    entry[row.window_kind] = row.count;
  }
  return usage;
}
