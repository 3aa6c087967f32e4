import { sql } from "kysely";
import type { Ctx } from "../../../platform/context.js";
import { notifyAll } from "../../notifications/notify.js";
import type { IncidentRow, SyncRunRow } from "./schema.js";

/**
 * Monitoring of integrations (issue 15 §5; seed 004 13.4.5). After every run that is not a
 * dry run: repeated failures (the integration's `incident_after_failures` in a row) open an
 * incident and tell the integration's owners; the next run that ends well resolves it and
 * tells them too. One open incident per integration at a time.
 */
export async function watchRun(ctx: Ctx, run: SyncRunRow): Promise<void> {
  if (run.status === "cancelled" || run.status === "queued" || run.status === "running") return;
  const integration = await ctx.db
    .selectFrom("lms_integrations")
    .select(["id", "name", "organization_id", "owner_ids", "created_by", "incident_after_failures"])
    .where("id", "=", run.integration_id)
    .executeTakeFirstOrThrow();
  const open = await ctx.db
    .selectFrom("integration_incidents")
    .selectAll()
    .where("integration_id", "=", run.integration_id)
    .where("status", "=", "open")
    .executeTakeFirst();
  const now = ctx.clock.now();
  const owners = [
    ...new Set([
      ...integration.owner_ids,
      ...(integration.created_by ? [integration.created_by] : []),
    ]),
  ];
  const tell = async (
    variables: { resolved: boolean; failures: number; endedAt?: string; error?: string | null },
    incident: IncidentRow,
  ) => {
    await notifyAll(ctx, {
      userIds: owners,
      organizationId: integration.organization_id,
      type: "integration-incident",
      variables: { integrationName: integration.name, ...variables },
      data: { integrationId: integration.id, incidentId: incident.id, runId: run.id },
      actionPath: `/integrations/${integration.id}`,
    });
  };

  if (run.status === "failed")
    await ctx.events.emit(ctx, "integration.sync-failed", {
      integrationId: integration.id,
      runId: run.id,
      organizationId: integration.organization_id,
      error: run.error,
    });
  if (run.status !== "failed") {
    if (!open) return;
    const resolved = await ctx.db
      .updateTable("integration_incidents")
      .set({ status: "resolved", resolved_at: now, resolved_run_id: run.id, updated_at: now })
      .where("id", "=", open.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await tell({ resolved: true, endedAt: now.toISOString(), failures: open.failures }, resolved);
    return;
  }
  if (open) {
    await ctx.db
      .updateTable("integration_incidents")
      .set({
        failures: sql`failures + 1`,
        last_error: run.error,
        last_run_id: run.id,
        updated_at: now,
      })
      .where("id", "=", open.id)
      .execute();
    return;
  }
  // Failed runs since the last one that ended well (this one included).
  const streak = await ctx.db
    .selectFrom("integration_sync_runs")
    .select(["id", "status"])
    .where("integration_id", "=", run.integration_id)
    .where("dry_run", "=", false)
    .where("status", "in", ["succeeded", "partial", "failed"])
    .orderBy("finished_at", "desc")
    .orderBy("id", "desc")
    .limit(integration.incident_after_failures)
    .execute();
  const failures = streak.findIndex((r) => r.status !== "failed");
  const count = failures === -1 ? streak.length : failures;
  if (count < integration.incident_after_failures) return;
  const incident = await ctx.db
    .insertInto("integration_incidents")
    .values({
      organization_id: integration.organization_id,
      integration_id: integration.id,
      failures: count,
      last_error: run.error,
      first_run_id: streak[count - 1]?.id ?? run.id,
      last_run_id: run.id,
      opened_at: now,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tell({ resolved: false, failures: count, error: run.error }, incident);
}

export interface IntegrationHealth {
  windowDays: number;
  runs: number;
  succeeded: number;
  partial: number;
  failed: number;
  /** Runs that ended well (succeeded or partial) of those that ended, 0–1; null without runs. */
  successRate: number | null;
  /** Records that failed of those read, 0–1; null when nothing was read. */
  errorRate: number | null;
  recordsPerRun: number | null;
  averageDurationMs: number | null;
  /** Average time the external system took to answer one page. */
  averageLatencyMs: number | null;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  sla: { hours: number; met: boolean; hoursSinceSuccess: number | null } | null;
  openIncident: IncidentRow | null;
  /** `healthy`, `degraded` (failures or a missed service level), `failing` (an open incident), `idle`. */
  status: "healthy" | "degraded" | "failing" | "idle";
}

/** How one integration has been doing over the last `windowDays` (real runs, not dry runs). */
export async function integrationHealth(
  ctx: Ctx,
  integration: { id: string; sla_hours: number | null; last_successful_sync_at: Date | null },
  windowDays = 30,
): Promise<IntegrationHealth> {
  const now = ctx.clock.now();
  const from = new Date(now.getTime() - windowDays * 86_400_000);
  const figures = await ctx.db
    .selectFrom("integration_sync_runs")
    .select([
      sql<number>`count(*) filter (where status in ('succeeded', 'partial', 'failed'))::integer`.as(
        "runs",
      ),
      sql<number>`count(*) filter (where status = 'succeeded')::integer`.as("succeeded"),
      sql<number>`count(*) filter (where status = 'partial')::integer`.as("partial"),
      sql<number>`count(*) filter (where status = 'failed')::integer`.as("failed"),
      sql<number>`coalesce(sum(created_count + updated_count + unchanged_count + skipped_count + failed_count), 0)::bigint`.as(
        "records",
      ),
      sql<number>`coalesce(sum(failed_count), 0)::bigint`.as("failedRecords"),
      sql<
        number | null
      >`avg(extract(epoch from finished_at - started_at) * 1000) filter (where finished_at is not null)`.as(
        "duration",
      ),
      sql<number>`coalesce(sum(remote_ms), 0)::bigint`.as("remoteMs"),
      sql<number>`coalesce(sum(remote_calls), 0)::bigint`.as("remoteCalls"),
      sql<Date | null>`max(coalesce(finished_at, started_at))`.as("lastRunAt"),
    ])
    .where("integration_id", "=", integration.id)
    .where("dry_run", "=", false)
    .where("created_at", ">=", from)
    .executeTakeFirstOrThrow();
  const openIncident =
    (await ctx.db
      .selectFrom("integration_incidents")
      .selectAll()
      .where("integration_id", "=", integration.id)
      .where("status", "=", "open")
      .executeTakeFirst()) ?? null;
  const runs = Number(figures.runs);
  const records = Number(figures.records);
  const remoteCalls = Number(figures.remoteCalls);
  const lastSuccessAt = integration.last_successful_sync_at;
  const hoursSinceSuccess = lastSuccessAt
    ? Math.round(((now.getTime() - new Date(lastSuccessAt).getTime()) / 3_600_000) * 10) / 10
    : null;
  const sla = integration.sla_hours
    ? {
        hours: integration.sla_hours,
        met: hoursSinceSuccess !== null && hoursSinceSuccess <= integration.sla_hours,
        hoursSinceSuccess,
      }
    : null;
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const successRate = runs
    ? round((Number(figures.succeeded) + Number(figures.partial)) / runs)
    : null;
  return {
    windowDays,
    runs,
    succeeded: Number(figures.succeeded),
    partial: Number(figures.partial),
    failed: Number(figures.failed),
    successRate,
    errorRate: records ? round(Number(figures.failedRecords) / records) : null,
    recordsPerRun: runs ? Math.round(records / runs) : null,
    averageDurationMs: figures.duration === null ? null : Math.round(Number(figures.duration)),
    averageLatencyMs: remoteCalls ? Math.round(Number(figures.remoteMs) / remoteCalls) : null,
    lastRunAt: figures.lastRunAt,
    lastSuccessAt,
    sla,
    openIncident,
    status: openIncident
      ? "failing"
      : !runs
        ? "idle"
        : Number(figures.failed) > 0 || (sla && !sla.met)
          ? "degraded"
          : "healthy",
  };
}
