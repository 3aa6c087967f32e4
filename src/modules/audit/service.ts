import { AUDIT_RISK_LEVELS, type AuditRiskLevel } from "../../db/schema.js";
import type { Ctx } from "../../platform/context.js";
import { paginate } from "../../platform/http/pagination.js";

export interface AuditQuery {
  page: number;
  limit: number;
  sort: "createdAt" | "-createdAt";
  organizationId?: string;
  actorUserId?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  riskLevel?: AuditRiskLevel;
  from?: string;
  to?: string;
}

/**
 * The audit trail, newest first by default. `action` matches exactly, or as a prefix when
 * it ends with a dot (`role.` finds every role change).
 */
export async function queryAuditLogs(ctx: Ctx, query: AuditQuery) {
  let q = ctx.db
    .selectFrom("audit_logs as a")
    .leftJoin("users as u", "u.id", "a.actor_user_id")
    .leftJoin("api_keys as k", "k.id", "a.actor_api_key_id")
    .leftJoin("scim_tokens as st", "st.id", "a.actor_scim_token_id")
    .select([
      "a.id",
      "a.organization_id",
      "a.actor_type",
      "a.actor_user_id",
      "a.actor_api_key_id",
      "a.actor_scim_token_id",
      "a.action",
      "a.entity_type",
      "a.entity_id",
      "a.before",
      "a.after",
      "a.ip_address",
      "a.user_agent",
      "a.request_id",
      "a.created_at",
      "a.justification",
      "a.risk_level",
      "a.data_sensitivity",
      "a.regulatory_impact",
      "a.chain_seq",
      "a.hash",
      "u.email as actor_email",
      "u.first_name as actor_first_name",
      "u.last_name as actor_last_name",
      "k.name as actor_api_key_name",
      "st.name as actor_scim_token_name",
    ]);
  if (query.organizationId) q = q.where("a.organization_id", "=", query.organizationId);
  if (query.actorUserId) q = q.where("a.actor_user_id", "=", query.actorUserId);
  if (query.action) {
    q = query.action.endsWith(".")
      ? q.where("a.action", "like", `${query.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
      : q.where("a.action", "=", query.action);
  }
  if (query.entityType) q = q.where("a.entity_type", "=", query.entityType);
  if (query.entityId) q = q.where("a.entity_id", "=", query.entityId);
  if (query.riskLevel)
    q = q.where(
      "a.risk_level",
      "in",
      AUDIT_RISK_LEVELS.slice(AUDIT_RISK_LEVELS.indexOf(query.riskLevel)),
    );
  if (query.from) q = q.where("a.created_at", ">=", new Date(query.from));
  if (query.to) q = q.where("a.created_at", "<", new Date(query.to));
  return paginate(
    q,
    query,
    { column: "a.created_at", direction: query.sort === "createdAt" ? "asc" : "desc" },
    "a.id",
  );
}

export type AuditRow = Awaited<ReturnType<typeof queryAuditLogs>>["rows"][number];

export interface SystemLogQuery {
  page: number;
  limit: number;
  event?: string;
  level?: "debug" | "info" | "warn" | "error";
  userId?: string;
  from?: string;
  to?: string;
}

/** Security and operational events (sign-ins, failures, lockouts, token reuse), newest first. */
export async function querySystemLogs(ctx: Ctx, query: SystemLogQuery) {
  let q = ctx.db.selectFrom("system_logs").selectAll();
  if (query.event) q = q.where("event", "=", query.event);
  if (query.level) q = q.where("level", "=", query.level);
  if (query.userId) q = q.where("user_id", "=", query.userId);
  if (query.from) q = q.where("created_at", ">=", new Date(query.from));
  if (query.to) q = q.where("created_at", "<", new Date(query.to));
  return paginate(q, query, { column: "created_at", direction: "desc" }, "id");
}

export interface OutboxQuery {
  page: number;
  limit: number;
  status?: "queued" | "sending" | "sent" | "failed";
  to?: string;
  template?: string;
}

export async function queryOutbox(ctx: Ctx, query: OutboxQuery) {
  let q = ctx.db.selectFrom("mail_outbox").selectAll();
  if (query.status) q = q.where("status", "=", query.status);
  if (query.to) q = q.where("to_address", "=", query.to.toLowerCase());
  if (query.template) q = q.where("template", "=", query.template);
  return paginate(q, query, { column: "created_at", direction: "desc" }, "id");
}

export interface JobQuery {
  page: number;
  limit: number;
  status?: "queued" | "running" | "completed" | "failed" | "cancelled";
  name?: string;
}

export async function queryJobs(ctx: Ctx, query: JobQuery) {
  let q = ctx.db.selectFrom("jobs").selectAll();
  if (query.status) q = q.where("status", "=", query.status);
  if (query.name) q = q.where("name", "=", query.name);
  return paginate(q, query, { column: "created_at", direction: "desc" }, "id");
}
