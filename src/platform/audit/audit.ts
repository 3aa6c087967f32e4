import type { Insertable } from "kysely";
import type {
  AuditLogsTable,
  AuditRegulatoryImpact,
  AuditRiskLevel,
  AuditSensitivity,
} from "../../db/schema.js";
import type { Ctx } from "../context.js";

/** Fields that never reach an audit record, whatever entity they belong to. */
const REDACTED = new Set([
  "password",
  "password_hash",
  "passwordHash",
  "token",
  "token_hash",
  "tokenHash",
  "key_hash",
  "keyHash",
  "secret",
  "refresh_token",
]);

export interface AuditEntry {
  organizationId: string | null;
  /** `entity.verb`, e.g. `user.update`, `role.permissions-replace`. */
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
  /** Why it was done, as the person gave it (an exemption, an erasure, a manual change). */
  justification?: string | null;
  /** seed 004's classification; when absent, the defaults of `classify` by action. */
  riskLevel?: AuditRiskLevel | null;
  dataSensitivity?: AuditSensitivity | null;
  regulatoryImpact?: AuditRegulatoryImpact | null;
}

type Classification = Pick<AuditEntry, "riskLevel" | "dataSensitivity" | "regulatoryImpact">;

/**
 * Default classification of actions by their entity (the part before the dot), so an auditor
 * can filter the trail for what matters without every caller saying it. Callers that know
 * better pass their own.
 */
const CLASSES: Array<[RegExp, Classification]> = [
  [/^(role|api-key|scim-token)\./, { riskLevel: "high", dataSensitivity: "restricted" }],
  [/^lms-integration\.credentials/, { riskLevel: "high", dataSensitivity: "restricted" }],
  [
    /^(user|member|organization-member|invite|employee-import)\./,
    { riskLevel: "medium", dataSensitivity: "pii", regulatoryImpact: "gdpr" },
  ],
  [/^(enrollment|certificate|quiz-attempt|progress)\./, { dataSensitivity: "learning-data" }],
  [/^(lms-)?integration\./, { riskLevel: "medium", dataSensitivity: "learning-data" }],
];

export function classify(action: string): Classification {
  return CLASSES.find(([pattern]) => pattern.test(action))?.[1] ?? {};
}

function scrub(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(scrub);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = REDACTED.has(k) ? "[redacted]" : scrub(v);
  }
  return out;
}

/** Keeps only the fields that changed, so an audit record shows the change and nothing else. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    const x = scrub(before[key]);
    const y = scrub(after[key]);
    if (JSON.stringify(x) !== JSON.stringify(y)) {
      b[key] = x;
      a[key] = y;
    }
  }
  return { before: b, after: a };
}

/**
 * Records a state change. Call it with the transaction that makes the change, so the record
 * exists exactly when the change does.
 */
export async function audit(ctx: Ctx, entry: AuditEntry): Promise<void> {
  await ctx.db.insertInto("audit_logs").values(auditRow(ctx, entry)).execute();
}

/** Audit records written per statement by `auditMany`. */
const AUDIT_BATCH = 1000;

/**
 * Records many state changes, as `audit` does one, in one multi-row statement per thousand
 * (work done in bulk, such as a compliance evaluation assigning many people at once).
 */
export async function auditMany(ctx: Ctx, entries: readonly AuditEntry[]): Promise<void> {
  for (let start = 0; start < entries.length; start += AUDIT_BATCH)
    await ctx.db
      .insertInto("audit_logs")
      .values(entries.slice(start, start + AUDIT_BATCH).map((entry) => auditRow(ctx, entry)))
      .execute();
}

function auditRow(ctx: Ctx, entry: AuditEntry): Insertable<AuditLogsTable> {
  const actor = ctx.actor;
  const defaults = classify(entry.action);
  return {
    organization_id: entry.organizationId,
    actor_type:
      actor.kind === "user" || actor.kind === "api-key" || actor.kind === "scim-token"
        ? actor.kind
        : "system",
    actor_user_id: actor.kind === "user" ? actor.userId : null,
    actor_api_key_id: actor.kind === "api-key" ? actor.apiKeyId : null,
    actor_scim_token_id: actor.kind === "scim-token" ? actor.scimTokenId : null,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    before: entry.before === undefined ? null : JSON.stringify(scrub(entry.before)),
    after: entry.after === undefined ? null : JSON.stringify(scrub(entry.after)),
    ip_address: ctx.meta.ip,
    user_agent: ctx.meta.userAgent,
    request_id: ctx.meta.requestId,
    created_at: ctx.clock.now(),
    justification: entry.justification ?? null,
    risk_level: entry.riskLevel ?? defaults.riskLevel ?? null,
    data_sensitivity: entry.dataSensitivity ?? defaults.dataSensitivity ?? null,
    regulatory_impact: entry.regulatoryImpact ?? defaults.regulatoryImpact ?? null,
  };
}

export interface SystemLogEntry {
  event: string;
  level?: "debug" | "info" | "warn" | "error";
  userId?: string | null;
  organizationId?: string | null;
  message?: string;
  metadata?: Record<string, unknown>;
  status?: number;
}

/** Records a security or operational event (sign-ins, lockouts, token reuse) for operators. */
export async function systemLog(ctx: Ctx, entry: SystemLogEntry): Promise<void> {
  await ctx.db
    .insertInto("system_logs")
    .values({
      level: entry.level ?? "info",
      event: entry.event,
      user_id: entry.userId ?? null,
      organization_id: entry.organizationId ?? null,
      ip_address: ctx.meta.ip,
      user_agent: ctx.meta.userAgent,
      request_id: ctx.meta.requestId,
      response_status: entry.status ?? null,
      message: entry.message ?? null,
      metadata: JSON.stringify(entry.metadata ?? {}),
      created_at: ctx.clock.now(),
    })
    .execute();
}

/**
 * Records an update as the fields that changed between two versions of a row (ignoring
 * `updated_at`); records nothing when nothing changed.
 */
export async function auditUpdate(
  ctx: Ctx,
  entry: Omit<AuditEntry, "before" | "after"> & { before: object; after: object },
): Promise<void> {
  const diff = changedFields(
    entry.before as Record<string, unknown>,
    entry.after as Record<string, unknown>,
  );
  delete diff.before.updated_at;
  delete diff.after.updated_at;
  if (!Object.keys(diff.after).length) return;
  await audit(ctx, { ...entry, before: diff.before, after: diff.after });
}
