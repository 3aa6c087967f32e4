import { z } from "zod";
import {
  AUDIT_REGULATORY_IMPACTS,
  AUDIT_RISK_LEVELS,
  AUDIT_SENSITIVITIES,
} from "../../db/schema.js";
import { type ChainReport, verifyAuditChains } from "../../platform/audit/chain.js";
import { envelope, isoDateTime, listEnvelope, ok, okList } from "../../platform/http/envelope.js";
import type { App } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import {
  type AuditRow,
  queryAuditLogs,
  queryJobs,
  queryOutbox,
  querySystemLogs,
} from "./service.js";

const iso = isoDateTime;
const page = {
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(50),
};
const range = {
  from: iso().optional().describe("Inclusive start (ISO 8601)"),
  to: iso().optional().describe("Exclusive end (ISO 8601)"),
};

const auditEntry = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid().nullable(),
    actor: z.object({
      type: z.enum(["user", "api-key", "system", "scim-token"]),
      userId: z.uuid().nullable(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      apiKeyId: z.uuid().nullable(),
      apiKeyName: z.string().nullable(),
      scimTokenId: z.uuid().nullable().describe("The provisioning (SCIM) token that acted"),
      scimTokenName: z.string().nullable(),
    }),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    ipAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
    createdAt: iso(),
    justification: z.string().nullable(),
    riskLevel: z.enum(AUDIT_RISK_LEVELS).nullable(),
    dataSensitivity: z.enum(AUDIT_SENSITIVITIES).nullable(),
    regulatoryImpact: z.enum(AUDIT_REGULATORY_IMPACTS).nullable(),
    chain: z
      .object({ seq: z.number().int(), hash: z.string() })
      .nullable()
      .describe(
        "The record's place in its organization's hash chain, once sealed (within a minute of the change)",
      ),
  })
  .meta({ id: "AuditEntry" });

const chainReport = z
  .object({
    organizationId: z.uuid().nullable(),
    sealed: z.number().int().describe("Records sealed into the chain and checked"),
    unsealed: z.number().int().describe("Records written since the last seal"),
    ok: z.boolean(),
    broken: z
      .object({ seq: z.number().int(), id: z.uuid().nullable(), reason: z.string() })
      .nullable()
      .describe("The first place the chain does not hold"),
  })
  .meta({ id: "AuditChainReport" });

function presentAudit(row: AuditRow) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    actor: {
      type: row.actor_type,
      userId: row.actor_user_id,
      name: row.actor_first_name ? `${row.actor_first_name} ${row.actor_last_name}` : null,
      email: row.actor_email,
      apiKeyId: row.actor_api_key_id,
      apiKeyName: row.actor_api_key_name,
      scimTokenId: row.actor_scim_token_id,
      scimTokenName: row.actor_scim_token_name,
    },
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    before: row.before ?? null,
    after: row.after ?? null,
    ipAddress: row.ip_address,
    userAgent: row.user_agent,
    requestId: row.request_id,
    createdAt: row.created_at.toISOString(),
    justification: row.justification,
    riskLevel: row.risk_level,
    dataSensitivity: row.data_sensitivity,
    regulatoryImpact: row.regulatory_impact,
    chain:
      row.chain_seq !== null && row.hash ? { seq: Number(row.chain_seq), hash: row.hash } : null,
  };
}

const auditFilters = z.object({
  ...page,
  ...range,
  sort: z.enum(["createdAt", "-createdAt"]).default("-createdAt"),
  actorUserId: ref("user").optional(),
  action: z
    .string()
    .max(100)
    .optional()
    .describe("Exact action, or a prefix ending in '.' such as 'role.'"),
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(100).optional(),
  riskLevel: z.enum(AUDIT_RISK_LEVELS).optional().describe("Records of this risk level or higher"),
});

/** The audit trail for auditors, and the operator views of system logs, mail and jobs. */
export async function auditRoutes(app: App): Promise<void> {
  const tags = ["Audit and operations"];

  app.get(
    "/api/v1/organizations/:organizationId/audit-logs",
    {
      config: { access: { permission: "audit-logs:read" } },
      schema: {
        tags,
        summary: "The organization's audit trail",
        description:
          "Every state change: who (person or API key), what, before and after values, IP, user agent and request id.",
        params: z.object({ organizationId: z.uuid() }),
        querystring: auditFilters,
        response: { 200: listEnvelope(auditEntry) },
      },
    },
    async (request) => {
      const { rows, pagination } = await queryAuditLogs(request.ctx, {
        ...request.query,
        organizationId: request.params.organizationId,
      });
      return okList(rows.map(presentAudit), pagination);
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/audit-logs/verification",
    {
      config: { access: { permission: "audit-logs:read" } },
      schema: {
        tags,
        summary: "Check that the organization's audit trail is intact",
        description:
          "Recomputes the hash chain of every sealed record, in order, and answers the first record that was changed, inserted or removed after it was sealed, if any. The same check as `lyceum audit verify`.",
        params: z.object({ organizationId: z.uuid() }),
        response: { 200: envelope(chainReport) },
      },
    },
    async (request) => {
      const [report] = await verifyAuditChains(request.ctx, {
        organizationId: request.params.organizationId,
      });
      return ok(report as ChainReport);
    },
  );

  app.get(
    "/api/v1/audit-logs",
    {
      config: { access: { permission: "audit-logs:read", platform: true } },
      schema: {
        tags,
        summary: "The whole platform's audit trail (platform administrators)",
        querystring: auditFilters.extend({ organizationId: ref("organization").optional() }),
        response: { 200: listEnvelope(auditEntry) },
      },
    },
    async (request) => {
      const { rows, pagination } = await queryAuditLogs(request.ctx, request.query);
      return okList(rows.map(presentAudit), pagination);
    },
  );

  app.get(
    "/api/v1/admin/system-logs",
    {
      config: { access: { permission: "system-logs:read", platform: true } },
      schema: {
        tags,
        summary: "Security and system events (platform administrators)",
        description:
          "Sign-ins and failures, lockouts, refresh-token reuse, password reset requests, registrations.",
        querystring: z.object({
          ...page,
          ...range,
          event: z.string().max(100).optional().describe("e.g. auth.login-failed"),
          level: z.enum(["debug", "info", "warn", "error"]).optional(),
          userId: ref("user").optional(),
        }),
        response: {
          200: listEnvelope(
            z.object({
              id: z.uuid(),
              level: z.string(),
              event: z.string(),
              userId: z.uuid().nullable(),
              organizationId: z.uuid().nullable(),
              ipAddress: z.string().nullable(),
              userAgent: z.string().nullable(),
              requestId: z.string().nullable(),
              message: z.string().nullable(),
              metadata: z.record(z.string(), z.unknown()),
              createdAt: iso(),
            }),
          ),
        },
      },
    },
    async (request) => {
      const { rows, pagination } = await querySystemLogs(request.ctx, request.query);
      return okList(
        rows.map((r) => ({
          id: r.id,
          level: r.level,
          event: r.event,
          userId: r.user_id,
          organizationId: r.organization_id,
          ipAddress: r.ip_address,
          userAgent: r.user_agent,
          requestId: r.request_id,
          message: r.message,
          metadata: r.metadata,
          createdAt: r.created_at.toISOString(),
        })),
        pagination,
      );
    },
  );

  app.get(
    "/api/v1/admin/mail-outbox",
    {
      config: { access: { permission: "mail-outbox:read", platform: true } },
      schema: {
        tags,
        summary: "Outgoing mail (platform administrators)",
        querystring: z.object({
          ...page,
          status: z.enum(["queued", "sending", "sent", "failed"]).optional(),
          to: z.string().max(255).optional(),
          template: z.string().max(100).optional(),
        }),
        response: {
          200: listEnvelope(
            z.object({
              id: z.uuid(),
              to: z.string(),
              subject: z.string(),
              text: z.string(),
              template: z.string(),
              status: z.string(),
              attempts: z.number().int(),
              lastError: z.string().nullable(),
              provider: z.string().nullable(),
              createdAt: iso(),
              sentAt: iso().nullable(),
            }),
          ),
        },
      },
    },
    async (request) => {
      const { rows, pagination } = await queryOutbox(request.ctx, request.query);
      return okList(
        rows.map((r) => ({
          id: r.id,
          to: r.to_address,
          subject: r.subject,
          text: r.text_body,
          template: r.template,
          status: r.status,
          attempts: r.attempts,
          lastError: r.last_error,
          provider: r.provider,
          createdAt: r.created_at.toISOString(),
          sentAt: r.sent_at?.toISOString() ?? null,
        })),
        pagination,
      );
    },
  );

  app.get(
    "/api/v1/admin/jobs",
    {
      config: { access: { permission: "jobs:read", platform: true } },
      schema: {
        tags,
        summary: "Background jobs (platform administrators)",
        querystring: z.object({
          ...page,
          status: z.enum(["queued", "running", "completed", "failed", "cancelled"]).optional(),
          name: z.string().max(100).optional(),
        }),
        response: {
          200: listEnvelope(
            z.object({
              id: z.uuid(),
              name: z.string(),
              status: z.string(),
              priority: z.number().int(),
              attempts: z.number().int(),
              maxAttempts: z.number().int(),
              runAt: iso(),
              lockedBy: z.string().nullable(),
              leaseExpiresAt: iso().nullable(),
              lastError: z.string().nullable(),
              createdAt: iso(),
              finishedAt: iso().nullable(),
            }),
          ),
        },
      },
    },
    async (request) => {
      const { rows, pagination } = await queryJobs(request.ctx, request.query);
      return okList(
        rows.map((r) => ({
          id: r.id,
          name: r.name,
          status: r.status,
          priority: r.priority,
          attempts: r.attempts,
          maxAttempts: r.max_attempts,
          runAt: r.run_at.toISOString(),
          lockedBy: r.locked_by,
          leaseExpiresAt: r.lease_expires_at?.toISOString() ?? null,
          lastError: r.last_error,
          createdAt: r.created_at.toISOString(),
          finishedAt: r.finished_at?.toISOString() ?? null,
        })),
        pagination,
      );
    },
  );
}
