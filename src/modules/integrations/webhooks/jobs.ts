import { sql } from "kysely";
import { z } from "zod";
import { type AppServices, type Ctx, inTransaction, systemCtx } from "../../../platform/context.js";
import { AppError } from "../../../platform/http/errors.js";
import { enqueueJob } from "../../../platform/jobs/queue.js";
import type { ScheduledTask } from "../../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../../platform/jobs/worker.js";
import { requestSync, runSync, SYNC_JOB, type TargetLoader } from "../sync/engine.js";
import type { SyncRunRow } from "../sync/schema.js";
import { WEBHOOK_JOB } from "./deliveries.js";
import "./source.js";

/** Deliveries read by one run at most (each holds up to 1,000 courses and 1,000 enrollments). */
const DELIVERIES_PER_RUN = 20;

const SWEEP_JOB = "integrations.webhook-sweep";

/** Every minute: integrations with deliveries still waiting get their job (if it was lost). */
export const WEBHOOK_SCHEDULE: ScheduledTask[] = [
  { name: "integration-webhook-deliveries", pattern: "45 * * * * *", job: SWEEP_JOB },
];

/**
 * The processing of inbound webhook deliveries: one job per integration at a time (its dedupe
 * key) turns the received deliveries into sync runs with trigger `webhook` and runs them here,
 * then marks each delivery processed or failed with the run. While another run of the
 * integration is active (SYNC_IN_PROGRESS) the job fails and is tried again later.
 */
export function webhookJobs(services: AppServices, loadTarget: TargetLoader): JobDefinition[] {
  return [
    {
      name: WEBHOOK_JOB,
      payload: z.object({ integrationId: z.uuid() }).passthrough(),
      run: async (payload) =>
        processDeliveries(systemCtx(services, "worker"), String(payload.integrationId), loadTarget),
    },
    {
      name: SWEEP_JOB,
      payload: z.object({}).passthrough(),
      run: async () => ({ queued: await queueWaitingDeliveries(systemCtx(services, "scheduler")) }),
    },
  ];
}

/** Queues the job of every integration with deliveries waiting; answers how many. */
export async function queueWaitingDeliveries(ctx: Ctx): Promise<number> {
  const waiting = await ctx.db
    .selectFrom("integration_webhook_deliveries")
    .select("integration_id")
    .distinct()
    .where("status", "=", "received")
    .execute();
  let queued = 0;
  for (const { integration_id } of waiting) {
    const id = await enqueueJob(
      ctx.db,
      WEBHOOK_JOB,
      { integrationId: integration_id },
      { maxAttempts: 10, dedupeKey: `${WEBHOOK_JOB}:${integration_id}` },
    );
    if (id) queued++;
  }
  return queued;
}

/**
 * Runs the received deliveries of one integration through the sync engine, a batch per run,
 * until none waits; resumes first a run a stopped worker left. Answers the runs it ended.
 */
export async function processDeliveries(
  ctx: Ctx,
  integrationId: string,
  loadTarget: TargetLoader,
): Promise<{ runs: string[] }> {
  const runs: string[] = [];
  // A run whose worker stopped mid-way: its deliveries still wait with its id.
  const left = await ctx.db
    .selectFrom("integration_webhook_deliveries")
    .select("run_id")
    .distinct()
    .where("integration_id", "=", integrationId)
    .where("status", "=", "received")
    .where("run_id", "is not", null)
    .execute();
  for (const { run_id } of left)
    if (run_id) runs.push((await settle(ctx, await runSync(ctx, run_id, loadTarget))).id);
  for (;;) {
    const pending = await ctx.db
      .selectFrom("integration_webhook_deliveries")
      .select(["id", "organization_id"])
      .where("integration_id", "=", integrationId)
      .where("status", "=", "received")
      .where("run_id", "is", null)
      .orderBy("received_at")
      .orderBy("id")
      .limit(DELIVERIES_PER_RUN)
      .execute();
    const first = pending[0];
    if (!first) return { runs };
    const integration = await ctx.db
      .selectFrom("lms_integrations")
      .select(["id", "organization_id", "is_active", "deleted_at", "direction"])
      .where("id", "=", integrationId)
      .executeTakeFirstOrThrow();
    if (!integration.is_active || integration.deleted_at || integration.direction === "export") {
      await markDeliveries(ctx, {
        ids: pending.map((p) => p.id),
        status: "failed",
        runId: null,
        error: "The integration was deactivated or removed before the delivery was processed",
      });
      continue;
    }
    const run = await inTransaction(ctx, async (tx) => {
      const requested = await requestSync(
        tx,
        { id: integration.id, organizationId: integration.organization_id },
        {
          trigger: "webhook",
          source: { kind: "webhook", deliveryIds: pending.map((p) => p.id) },
        },
      );
      // This job runs the run itself: the queued sync job would only find it finished.
      await tx.db
        .deleteFrom("jobs")
        .where("name", "=", SYNC_JOB)
        .where("status", "=", "queued")
        .where(sql<string>`payload->>'runId'`, "=", requested.id)
        .execute();
      await tx.db
        .updateTable("integration_webhook_deliveries")
        .set({ run_id: requested.id, updated_at: tx.clock.now() })
        .where(
          "id",
          "in",
          pending.map((p) => p.id),
        )
        .execute();
      return requested;
    }).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "SYNC_IN_PROGRESS")
        throw new AppError(
          "SYNC_IN_PROGRESS",
          "Another sync of the integration is running; its deliveries wait for it to end",
        );
      throw error;
    });
    runs.push((await settle(ctx, await runSync(ctx, run.id, loadTarget))).id);
  }
}

/** Marks the deliveries a run read with how it ended. */
async function settle(ctx: Ctx, run: SyncRunRow): Promise<SyncRunRow> {
  if (run.status === "queued" || run.status === "running") return run;
  const ok = run.status === "succeeded" || run.status === "partial";
  const ids = await ctx.db
    .selectFrom("integration_webhook_deliveries")
    .select("id")
    .where("run_id", "=", run.id)
    .where("status", "=", "received")
    .execute();
  await markDeliveries(ctx, {
    ids: ids.map((r) => r.id),
    status: ok ? "processed" : "failed",
    runId: run.id,
    error: ok ? null : (run.error ?? `The sync run ended ${run.status}`),
  });
  return run;
}

async function markDeliveries(
  ctx: Ctx,
  change: {
    ids: string[];
    status: "processed" | "failed";
    runId: string | null;
    error: string | null;
  },
) {
  if (!change.ids.length) return;
  const now = ctx.clock.now();
  await ctx.db
    .updateTable("integration_webhook_deliveries")
    .set({
      status: change.status,
      run_id: change.runId,
      error: change.error?.slice(0, 4000) ?? null,
      processed_at: now,
      updated_at: now,
    })
    .where("id", "in", change.ids)
    .execute();
}
