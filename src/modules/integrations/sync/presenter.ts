import { z } from "zod";
import { isoDateTime } from "../../../platform/http/envelope.js";
import type { IntegrationHealth } from "./monitoring.js";
import {
  type DeadLetterRow,
  type IncidentRow,
  SYNC_ENTITIES,
  SYNC_TRIGGERS,
  type SyncRecordRow,
  type SyncRunRow,
} from "./schema.js";

/** A timestamp as the API writes it, or null. */
export const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export const syncRunSchema = z
  .object({
    id: z.uuid(),
    integrationId: z.uuid(),
    direction: z.enum(["import", "export"]),
    dryRun: z.boolean(),
    trigger: z.enum(SYNC_TRIGGERS),
    requestedBy: z.uuid().nullable(),
    status: z.enum(["queued", "running", "succeeded", "partial", "failed", "cancelled"]),
    since: isoDateTime().nullable().describe("Only records changed since then were asked for"),
    counts: z.object({
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      skipped: z.number().int(),
      failed: z.number().int(),
    }),
    pages: z.number().int(),
    remoteCalls: z.number().int(),
    remoteMs: z.number().int().describe("Time the external system took to answer, in all"),
    phase: z.enum(["courses", "enrollments", "done"]).nullable(),
    error: z.string().nullable(),
    createdAt: isoDateTime(),
    startedAt: isoDateTime().nullable(),
    finishedAt: isoDateTime().nullable(),
  })
  .meta({ id: "IntegrationSyncRun" });

export function presentRun(run: SyncRunRow) {
  return {
    id: run.id,
    integrationId: run.integration_id,
    direction: run.direction,
    dryRun: run.dry_run,
    trigger: run.trigger,
    requestedBy: run.requested_by,
    status: run.status,
    since: iso(run.since),
    counts: {
      created: run.created_count,
      updated: run.updated_count,
      unchanged: run.unchanged_count,
      skipped: run.skipped_count,
      failed: run.failed_count,
    },
    pages: run.pages,
    remoteCalls: run.remote_calls,
    remoteMs: run.remote_ms,
    phase: run.cursor?.phase ?? null,
    error: run.error,
    createdAt: iso(run.created_at) as string,
    startedAt: iso(run.started_at),
    finishedAt: iso(run.finished_at),
  };
}

export const syncRecordSchema = z
  .object({
    id: z.uuid(),
    entity: z.enum(SYNC_ENTITIES),
    externalId: z.string(),
    outcome: z.enum(["created", "updated", "skipped", "failed"]),
    reason: z.string().nullable(),
    changes: z
      .record(z.string(), z.tuple([z.unknown(), z.unknown()]))
      .nullable()
      .describe("Field → [before, after]: for updates, and for everything a dry run would do"),
  })
  .meta({ id: "IntegrationSyncRecord" });

export function presentRecord(row: SyncRecordRow) {
  return {
    id: row.id,
    entity: row.entity,
    externalId: row.external_id,
    outcome: row.outcome,
    reason: row.reason,
    changes: row.changes,
  };
}

export const deadLetterSchema = z
  .object({
    id: z.uuid(),
    entity: z.enum(SYNC_ENTITIES),
    externalId: z.string(),
    error: z.string(),
    attempts: z.number().int(),
    status: z.enum(["open", "retried", "discarded"]),
    runId: z.uuid().nullable(),
    payload: z.unknown().describe("The record as the external system sent it"),
    createdAt: isoDateTime(),
    updatedAt: isoDateTime(),
  })
  .meta({ id: "IntegrationDeadLetter" });

export function presentDeadLetter(row: DeadLetterRow) {
  return {
    id: row.id,
    entity: row.entity,
    externalId: row.external_id,
    error: row.error,
    attempts: row.attempts,
    status: row.status,
    runId: row.run_id,
    payload: row.payload,
    createdAt: iso(row.created_at) as string,
    updatedAt: iso(row.updated_at) as string,
  };
}

export const incidentSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(["open", "resolved"]),
    failures: z.number().int().describe("Failed runs in a row"),
    lastError: z.string().nullable(),
    firstRunId: z.uuid().nullable(),
    lastRunId: z.uuid().nullable(),
    resolvedRunId: z.uuid().nullable(),
    openedAt: isoDateTime(),
    resolvedAt: isoDateTime().nullable(),
  })
  .meta({ id: "IntegrationIncident" });

export function presentIncident(row: IncidentRow) {
  return {
    id: row.id,
    status: row.status,
    failures: row.failures,
    lastError: row.last_error,
    firstRunId: row.first_run_id,
    lastRunId: row.last_run_id,
    resolvedRunId: row.resolved_run_id,
    openedAt: iso(row.opened_at) as string,
    resolvedAt: iso(row.resolved_at),
  };
}

export const healthSchema = z
  .object({
    status: z.enum(["healthy", "degraded", "failing", "idle"]),
    windowDays: z.number().int(),
    runs: z.number().int(),
    succeeded: z.number().int(),
    partial: z.number().int(),
    failed: z.number().int(),
    successRate: z.number().nullable().describe("Runs that ended well, 0–1"),
    errorRate: z.number().nullable().describe("Records that failed of those read, 0–1"),
    recordsPerRun: z.number().int().nullable(),
    averageDurationMs: z.number().int().nullable(),
    averageLatencyMs: z
      .number()
      .int()
      .nullable()
      .describe("Average time the external system took to answer one page"),
    lastRunAt: isoDateTime().nullable(),
    lastSuccessAt: isoDateTime().nullable(),
    sla: z
      .object({
        hours: z.number().int(),
        met: z.boolean(),
        hoursSinceSuccess: z.number().nullable(),
      })
      .nullable(),
    openIncident: incidentSchema.nullable(),
  })
  .meta({ id: "IntegrationHealth" });

export function presentHealth(health: IntegrationHealth) {
  return {
    ...health,
    lastRunAt: iso(health.lastRunAt),
    lastSuccessAt: iso(health.lastSuccessAt),
    openIncident: health.openIncident ? presentIncident(health.openIncident) : null,
  };
}
