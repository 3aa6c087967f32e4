import { z } from "zod";
import type { ApiKeyRow } from "../../db/schema.js";
import { isoDateTime } from "../../platform/http/envelope.js";
import type { RoleWithPermissions } from "./roles.js";

const iso = isoDateTime;

export const roleSchema = z
  .object({
    id: z.uuid(),
    key: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    isSystem: z.boolean().describe("Built-in roles can be edited and reset but not deleted"),
    dataAccessLevel: z.enum(["all", "organization", "department", "team", "own", "none"]),
    priority: z.number().int(),
    permissions: z.array(z.string()),
    memberCount: z.number().int(),
    createdAt: iso(),
    updatedAt: iso(),
  })
  .meta({ id: "Role" });

export function presentRole(role: RoleWithPermissions) {
  return {
    id: role.id,
    key: role.key,
    name: role.name,
    description: role.description,
    isSystem: role.is_system,
    dataAccessLevel: role.data_access_level,
    priority: role.priority,
    permissions: role.permissions,
    memberCount: role.memberCount,
    createdAt: role.created_at.toISOString(),
    updatedAt: role.updated_at.toISOString(),
  };
}

export const assignmentSchema = z
  .object({
    id: z.uuid(),
    user: z.object({ id: z.uuid(), email: z.string(), name: z.string() }),
    role: z.object({ id: z.uuid(), key: z.string(), name: z.string() }),
    departmentId: z.uuid().nullable().describe("Set when the role only reaches one department"),
    teamId: z.uuid().nullable().describe("Set when the role only reaches one team"),
    assignedBy: z.uuid().nullable(),
    assignedAt: iso(),
    expiresAt: iso().nullable(),
    expired: z.boolean(),
  })
  .meta({ id: "RoleAssignment" });

export function presentAssignment(
  row: {
    id: string;
    user_id: string;
    email: string;
    first_name: string;
    last_name: string;
    role_id: string;
    role_key: string;
    role_name: string;
    department_id: string | null;
    team_id: string | null;
    assigned_by: string | null;
    assigned_at: Date;
    expires_at: Date | null;
  },
  now: Date,
) {
  return {
    id: row.id,
    user: { id: row.user_id, email: row.email, name: `${row.first_name} ${row.last_name}` },
    role: { id: row.role_id, key: row.role_key, name: row.role_name },
    departmentId: row.department_id,
    teamId: row.team_id,
    assignedBy: row.assigned_by,
    assignedAt: row.assigned_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    expired: !!row.expires_at && row.expires_at <= now,
  };
}

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    prefix: z.string().describe("The first characters of the key, to recognize it"),
    scopes: z.array(z.string()),
    accessLevel: z.enum(["read-only", "read-write", "admin", "full-access"]),
    apiVersion: z.string(),
    rateLimitPerHour: z.number().int(),
    rateLimitPerDay: z.number().int(),
    allowedIps: z.array(z.string()),
    allowedMethods: z.array(z.string()),
    webhookUrl: z.string().nullable(),
    webhookEvents: z.array(z.string()),
    status: z.enum(["active", "inactive", "expired", "revoked"]),
    expiresAt: iso().nullable(),
    createdBy: z.uuid().nullable(),
    lastUsedAt: iso().nullable(),
    lastUsedIp: z.string().nullable(),
    usageCount: z.number().int(),
    usage: z.object({ currentHour: z.number().int(), currentDay: z.number().int() }),
    createdAt: iso(),
    revokedAt: iso().nullable(),
  })
  .meta({ id: "ApiKey" });

export function presentApiKey(key: ApiKeyRow, now: Date, usage = { hour: 0, day: 0 }) {
  const status = key.revoked_at
    ? "revoked"
    : key.expires_at && key.expires_at <= now
      ? "expired"
      : key.is_active
        ? "active"
        : "inactive";
  return {
    id: key.id,
    name: key.name,
    description: key.description,
    prefix: key.key_prefix,
    scopes: key.scopes,
    accessLevel: key.access_level,
    apiVersion: key.api_version,
    rateLimitPerHour: key.rate_limit_per_hour,
    rateLimitPerDay: key.rate_limit_per_day,
    allowedIps: key.allowed_ips,
    allowedMethods: key.allowed_methods,
    webhookUrl: key.webhook_url,
    webhookEvents: key.webhook_events,
    status: status as "active" | "inactive" | "expired" | "revoked",
    expiresAt: key.expires_at?.toISOString() ?? null,
    createdBy: key.created_by,
    lastUsedAt: key.last_used_at?.toISOString() ?? null,
    lastUsedIp: key.last_used_ip,
    usageCount: Number(key.usage_count),
    usage: { currentHour: usage.hour, currentDay: usage.day },
    createdAt: key.created_at.toISOString(),
    revokedAt: key.revoked_at?.toISOString() ?? null,
  };
}
