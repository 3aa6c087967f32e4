import { isIP } from "node:net";
import { sql } from "kysely";
import type { Db } from "../../db/connection.js";
import type { ApiKeyActor } from "../../platform/auth/actor.js";
import { sha256 } from "../../platform/crypto.js";
import { AppError } from "../../platform/http/errors.js";
import { apiKeyAccess } from "./grants.js";

export const API_KEY_PREFIX = "lyk_";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Resolves an API key to an actor: checks it is active, unexpired and called from an allowed
 * address with an allowed method, and counts the call against its hourly and daily limits
 * (one round trip that also records last use and the usage count).
 */
export async function authenticateApiKey(
  db: Db,
  raw: string,
  request: { ip: string; method: string; now: Date },
): Promise<ApiKeyActor> {
  const key = await db
    .selectFrom("api_keys as k")
    .innerJoin("organizations as o", "o.id", "k.organization_id")
    .select([
      "k.id",
      "k.organization_id",
      "k.scopes",
      "k.is_active",
      "k.revoked_at",
      "k.expires_at",
      "k.allowed_ips",
      "k.allowed_methods",
      "k.access_level",
      "k.rate_limit_per_hour",
      "k.rate_limit_per_day",
      "o.status as organization_status",
      "o.deleted_at as organization_deleted_at",
    ])
    .where("k.key_hash", "=", sha256(raw))
    .executeTakeFirst();
  const { now } = request;
  if (!key || !key.is_active || key.revoked_at || (key.expires_at && key.expires_at <= now)) {
    throw new AppError("INVALID_API_KEY", "The API key is invalid, revoked or expired");
  }
  if (key.organization_status === "suspended" || key.organization_deleted_at) {
    throw new AppError("ORGANIZATION_SUSPENDED", "The organization of this API key is suspended");
  }
  if (key.allowed_ips.length && !key.allowed_ips.some((rule) => ipMatches(request.ip, rule))) {
    throw new AppError(
      "IP_NOT_ALLOWED",
      `Calls with this API key are not allowed from ${request.ip}`,
    );
  }
  const method = request.method.toUpperCase();
  if (key.access_level === "read-only" && method !== "GET" && method !== "HEAD") {
    throw new AppError("FORBIDDEN", "This API key is read-only");
  }
  if (key.allowed_methods.length && !key.allowed_methods.includes(method)) {
    throw new AppError("FORBIDDEN", `This API key may not use ${method}`);
  }
  const hourStart = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  const dayStart = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const usage = await sql<{ hour_count: number; day_count: number }>`
    with hour as (
      insert into api_key_usage (api_key_id, window_kind, window_start, count)
      values (${key.id}, 'hour', ${hourStart}, 1)
      on conflict (api_key_id, window_kind, window_start) do update set count = api_key_usage.count + 1
      returning count
    ), day as (
      insert into api_key_usage (api_key_id, window_kind, window_start, count)
      values (${key.id}, 'day', ${dayStart}, 1)
      on conflict (api_key_id, window_kind, window_start) do update set count = api_key_usage.count + 1
      returning count
    ), used as (
      update api_keys set last_used_at = ${now}, last_used_ip = ${request.ip}, usage_count = usage_count + 1
      where id = ${key.id}
    )
    select (select count from hour) as hour_count, (select count from day) as day_count`.execute(
    db,
  );
  const counts = usage.rows[0] ?? { hour_count: 0, day_count: 0 };
  if (counts.hour_count > key.rate_limit_per_hour || counts.day_count > key.rate_limit_per_day) {
    const hourly = counts.hour_count > key.rate_limit_per_hour;
    const resetAt = hourly ? hourStart.getTime() + HOUR_MS : dayStart.getTime() + DAY_MS;
    const retryAfterMs = resetAt - now.getTime();
    throw new AppError(
      "RATE_LIMITED",
      `This API key's ${hourly ? "hourly" : "daily"} limit is used up`,
      {
        details: {
          limit: hourly ? key.rate_limit_per_hour : key.rate_limit_per_day,
          window: hourly ? "hour" : "day",
          retryAfterMs,
        },
        headers: { "retry-after": String(Math.ceil(retryAfterMs / 1000)) },
      },
    );
  }
  const access = apiKeyAccess(key.organization_id, key.scopes);
  return {
    kind: "api-key",
    apiKeyId: key.id,
    organizationId: key.organization_id,
    access: async () => access,
  };
}

/** Whether an address matches an allow-list rule: an exact address or an IPv4 CIDR range. */
export function ipMatches(ip: string, rule: string): boolean {
  const address = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
  if (!rule.includes("/")) return address === rule;
  const [base, bitsText] = rule.split("/");
  const bits = Number(bitsText);
  if (isIP(address) !== 4 || isIP(base ?? "") !== 4 || !(bits >= 0 && bits <= 32)) return false;
  const toInt = (a: string) => a.split(".").reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (toInt(address) & mask) === (toInt(base as string) & mask);
}
