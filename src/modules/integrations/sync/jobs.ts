import { Cron } from "croner";
import { sql } from "kysely";
import { z } from "zod";
import { type AppServices, type Ctx, systemCtx } from "../../../platform/context.js";
import { AppError } from "../../../platform/http/errors.js";
import type { ScheduledTask } from "../../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../../platform/jobs/worker.js";
import { requestSync, runSync, SYNC_JOB, type TargetLoader } from "./engine.js";
// Runs over an imported file read it through this reader, registered wherever runs are worked.
import "../files/reader.js";
import { pollSftp, queueSftpPoll, SFTP_POLL_JOB, sftpOptionsOf } from "../files/sftp-poll.js";
import type { SyncRunRow } from "./schema.js";

export const SYNC_SCHEDULE: ScheduledTask[] = [
  { name: "integration-syncs", pattern: "30 * * * * *", job: "integrations.schedule-syncs" },
];

/**
 * Sync runs, and the minute task that queues the runs of integrations whose cron (read in
 * their organization's time zone) has come round since their last scheduled run: an import
 * run for direction `import`, an export run for `export`, and for `both` the import run, with
 * the export run queued as soon as that import run ends.
 */
export function syncJobs(services: AppServices, loadTarget: TargetLoader): JobDefinition[] {
  return [
    {
      name: SYNC_JOB,
      payload: z.object({ runId: z.uuid() }).passthrough(),
      run: async (payload, job) => {
        const ctx = systemCtx(services, "worker");
        const run = await runSync(ctx, String(payload.runId), loadTarget, {
          last: job.attempts >= job.max_attempts,
        });
        await exportAfterImport(ctx, run);
        await pollAfterSftpRun(ctx, run);
        return { status: run.status, created: run.created_count, updated: run.updated_count };
      },
    },
    {
      name: SFTP_POLL_JOB,
      payload: z.object({ integrationId: z.uuid() }).passthrough(),
      run: async (payload) => {
        const ctx = systemCtx(services, "worker");
        try {
          return { ...(await pollSftp(ctx, String(payload.integrationId))) };
        } catch (error) {
          // Removed, no longer a file integration, or no server any more: nothing to retry.
          if (
            error instanceof AppError &&
            ["NOT_FOUND", "CONFLICT", "UNPROCESSABLE"].includes(error.code)
          )
            return { skipped: error.message };
          throw error;
        }
      },
    },
    {
      name: "integrations.schedule-syncs",
      payload: z.object({}).passthrough(),
      run: async () => ({ queued: await queueScheduledSyncs(systemCtx(services, "scheduler")) }),
    },
  ];
}

/** Queues a run for every active integration whose schedule is due; answers how many. */
export async function queueScheduledSyncs(ctx: Ctx): Promise<number> {
  const now = ctx.clock.now();
  const due = await ctx.db
    .selectFrom("lms_integrations as i")
    .innerJoin("organizations as o", "o.id", "i.organization_id")
    .select([
      "i.id",
      "i.organization_id",
      "i.sync_cron",
      "i.direction",
      "i.lms_type",
      "i.options",
      "i.created_at",
      "o.timezone",
      sql<Date | null>`(select max(r.created_at) from integration_sync_runs r
                        where r.integration_id = i.id and r.trigger = 'schedule')`.as("last"),
      sql<Date | null>`(select max(j.run_at) from jobs j
                        where j.name = ${SFTP_POLL_JOB}
                          and j.dedupe_key = 'sftp-poll:' || i.id::text)`.as("last_poll"),
    ])
    .where("i.sync_frequency", "=", "cron")
    .where("i.is_active", "=", true)
    .where("i.deleted_at", "is", null)
    .execute();
  let queued = 0;
  for (const row of due) {
    if (!row.sync_cron) continue;
    // A file integration is scheduled only when it picks its files up from an SFTP server:
    // then its cron queues a poll of that server, not a sync run.
    const sftp = row.lms_type === "file";
    if (sftp && !sftpOptionsOf(row)) continue;
    let next: Date | null;
    try {
      next = new Cron(row.sync_cron, { timezone: row.timezone }).nextRun(
        (sftp ? row.last_poll : row.last) ?? row.created_at,
      );
    } catch {
      continue;
    }
    if (!next || next > now) continue;
    if (sftp) {
      if (await queueSftpPoll(ctx, row.id)) queued += 1;
      continue;
    }
    try {
      await requestSync(
        ctx,
        { id: row.id, organizationId: row.organization_id },
        { trigger: "schedule", direction: row.direction === "export" ? "export" : "import" },
      );
      queued += 1;
    } catch (error) {
      // A run still going: the schedule waits for the next time round.
      if (!(error instanceof AppError && error.code === "SYNC_IN_PROGRESS")) throw error;
    }
  }
  return queued;
}

/**
 * When the run of a file picked up from SFTP ends (and the integration still polls a server),
 * the next poll is queued at once: it writes the file's result back and takes the next file.
 * When a poll is already queued or running, the next cron tick does it.
 */
export async function pollAfterSftpRun(ctx: Ctx, run: SyncRunRow): Promise<string | null> {
  if (run.trigger !== "sftp" || run.dry_run) return null;
  if (run.status === "queued" || run.status === "running") return null;
  const integration = await ctx.db
    .selectFrom("lms_integrations")
    .select(["id", "lms_type", "options", "is_active"])
    .where("id", "=", run.integration_id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!integration || !sftpOptionsOf(integration)) return null;
  return queueSftpPoll(ctx, integration.id);
}

/**
 * For integrations that go both ways, the scheduled import run is followed by an export run,
 * queued when the import ends (one run at a time per integration).
 */
export async function exportAfterImport(ctx: Ctx, run: SyncRunRow): Promise<SyncRunRow | null> {
  if (run.direction !== "import" || run.trigger !== "schedule" || run.dry_run) return null;
  if (run.status === "queued" || run.status === "running" || run.status === "cancelled")
    return null;
  const integration = await ctx.db
    .selectFrom("lms_integrations")
    .select(["id", "organization_id", "direction", "is_active"])
    .where("id", "=", run.integration_id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!integration?.is_active || integration.direction !== "both") return null;
  try {
    return await requestSync(
      ctx,
      { id: integration.id, organizationId: integration.organization_id },
      { trigger: "schedule", direction: "export" },
    );
  } catch (error) {
    if (error instanceof AppError && error.code === "SYNC_IN_PROGRESS") return null;
    throw error;
  }
}
