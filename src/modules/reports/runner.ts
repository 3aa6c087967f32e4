import { createHash, randomUUID } from "node:crypto";
import { readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import type { Logger } from "pino";
import type { Db } from "../../db/connection.js";
import { type AppServices, type Ctx, systemCtx } from "../../platform/context.js";
import { fromDatabaseError } from "../../platform/http/constraints.js";
import { AppError } from "../../platform/http/errors.js";
import { enqueueJob } from "../../platform/jobs/queue.js";
import { actingAsUser } from "../access/grants.js";
import { notify } from "../notifications/notify.js";
import { validateReport } from "./compile.js";
import { reportDefinition } from "./definition.js";
import {
  FORMATS,
  type OutputFormat,
  openReportFile,
  type ReportFileWriter,
} from "./export-file.js";
import { publicErrorMessage, requireExport } from "./jobs.js";
import { jobProducer } from "./producers.js";
import { scheduleFailed, scheduleSucceeded } from "./schedules.js";
import type { ReportJobRow } from "./schema.js";
import { announceReportRead, prepareReport } from "./service.js";
import { WEBHOOK_JOB } from "./webhooks.js";

/**
 * Runs report jobs. Workers claim the most urgent queued job — critical > high > normal > low >
 * scheduled, oldest first — with `FOR UPDATE SKIP LOCKED` under a lease, renew the lease at each
 * step, and only the lease holder may finish the job. A worker that dies leaves its job behind a
 * lease that expires, and the next worker takes it over: nothing is lost.
 */

export const REPORT_LEASE_MS = 60_000;
/** How often a streaming job reports progress (and renews its lease) at most. */
const PROGRESS_EVERY_MS = 2_000;

/** Claims the most urgent job that is queued, or running under a lease that expired. */
export async function claimReportJob(
  db: Db,
  workerId: string,
  now: Date,
  leaseMs = REPORT_LEASE_MS,
): Promise<ReportJobRow | undefined> {
  return db
    .updateTable("report_jobs")
    .set({
      status: "processing",
      attempts: sql`attempts + 1`,
      locked_by: workerId,
      lease_expires_at: new Date(now.getTime() + leaseMs),
      started_at: sql`coalesce(started_at, ${now})`,
    })
    .where(
      "id",
      "=",
      db
        .selectFrom("report_jobs")
        .select("id")
        .where((eb) =>
          eb.or([
            eb.and([eb("status", "=", "queued"), eb("queued_at", "<=", now)]),
            eb.and([eb("status", "=", "processing"), eb("lease_expires_at", "<", now)]),
          ]),
        )
        .orderBy("priority_rank", "desc")
        .orderBy("queued_at")
        .orderBy("id")
        .limit(1)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .executeTakeFirst();
}

class LeaseLost extends Error {}
class Cancelled extends Error {}
class Interrupted extends Error {}

/** The heartbeat stops renewing the lease of a job running longer than this (a stuck worker). */
export const REPORT_MAX_RUN_MS = 2 * 60 * 60_000;

/** Temporary report files live here, named lyceum-report-<job>-<random>. */
const TEMP_DIR = os.tmpdir();
const TEMP_PREFIX = "lyceum-report-";

export interface RunHooks {
  /** Called after each progress step (tests use it to stop a worker mid-job). */
  afterProgress?: (progress: number) => Promise<void>;
  /** Rows per database fetch (default STREAM_BATCH_ROWS). */
  batchRows?: number;
  /** Asked between batches: true hands the job back to the queue (the process is stopping). */
  shouldStop?: () => boolean;
}

/** Acts as the job's creator, with their access as it is now. */
async function creatorCtx(services: AppServices, job: ReportJobRow): Promise<Ctx> {
  if (!job.created_by) throw new AppError("FORBIDDEN", "The report's author no longer exists");
  return actingAsUser(systemCtx(services, "report-runner"), job.created_by, `report-job:${job.id}`);
}

/** Runs one claimed job to its end: ready, failed (retried while retryable), or cancelled. */
export async function runReportJob(
  services: AppServices,
  job: ReportJobRow,
  workerId: string,
  hooks: RunHooks = {},
): Promise<ReportJobRow> {
  const db = services.db;
  const started = performance.now();
  const step = async (progress: number) => {
    const row = await db
      .updateTable("report_jobs")
      .set({
        progress,
        lease_expires_at: new Date(services.clock.now().getTime() + REPORT_LEASE_MS),
      })
      .where("id", "=", job.id)
      .where("locked_by", "=", workerId)
      .where("status", "=", "processing")
      .returning("cancel_requested")
      .executeTakeFirst();
    if (!row) throw new LeaseLost();
    if (row.cancel_requested) throw new Cancelled();
    await hooks.afterProgress?.(progress);
    if (hooks.shouldStop?.()) throw new Interrupted();
  };
  const finish = (values: Record<string, unknown>) =>
    db
      .updateTable("report_jobs")
      .set({
        ...values,
        locked_by: null,
        lease_expires_at: null,
        finished_at: services.clock.now(),
      })
      .where("id", "=", job.id)
      .where("locked_by", "=", workerId)
      .returningAll()
      .executeTakeFirst();
  let fileKey: string | null = null;
  const format = FORMATS[job.output_format as OutputFormat];
  const attemptId = randomUUID().slice(0, 8);
  const tempPath = path.join(TEMP_DIR, `${TEMP_PREFIX}${job.id}-${attemptId}`);
  // Between steps (a long query, a slow upload) a heartbeat keeps the lease — for a while: a
  // worker stuck past REPORT_MAX_RUN_MS lets it run out, and another worker takes the job over.
  const heartbeat = setInterval(() => {
    if (performance.now() - started > REPORT_MAX_RUN_MS) return;
    db.updateTable("report_jobs")
      .set({ lease_expires_at: new Date(services.clock.now().getTime() + REPORT_LEASE_MS) })
      .where("id", "=", job.id)
      .where("locked_by", "=", workerId)
      .where("status", "=", "processing")
      .execute()
      .catch(() => undefined);
  }, REPORT_LEASE_MS / 3);
  heartbeat.unref();
  // Stores a made file under a key of this attempt's own (a worker that lost the lease removes
  // only its file) and marks the job ready with it.
  const ready = async (
    made: {
      extension: string;
      contentType: string;
      size: number;
      sha256: string;
      rows: number;
      metrics?: Record<string, number>;
    },
    store: (key: string) => Promise<void>,
  ) => {
    fileKey = `reports/${job.organization_id}/${job.id}-${attemptId}.${made.extension}`;
    await store(fileKey);
    const now = services.clock.now();
    const done = await finish({
      status: "ready",
      progress: 100,
      file_key: fileKey,
      file_name: `${fileStem(job.name)}.${made.extension}`,
      content_type: made.contentType,
      file_size: made.size,
      file_checksum: made.sha256,
      row_count: made.rows,
      metrics: JSON.stringify({
        ...made.metrics,
        totalMs: Math.round((performance.now() - started) * 10) / 10,
        rows: made.rows,
        bytes: made.size,
        attempts: job.attempts,
      }),
      expires_at: new Date(now.getTime() + services.config.reports.retentionDays * 86_400_000),
    });
    if (!done) throw new LeaseLost();
    return done;
  };
  let file: ReportFileWriter | null = null;
  try {
    await step(5);
    const producer = jobProducer(job.report_type);
    if (producer) {
      const ctx = await creatorCtx(services, job);
      await producer.authorize(ctx, job.organization_id, job.definition);
      await step(10);
      const produced = await producer.produce(ctx, job, step);
      await step(90);
      const done = await ready(
        {
          ...produced,
          size: produced.body.length,
          sha256: createHash("sha256").update(produced.body).digest("hex"),
        },
        (key) => services.storage.put(key, produced.body, produced.contentType),
      );
      await tell(services, done, true);
      return done;
    }
    if (!format)
      throw new AppError("UNPROCESSABLE", `${job.output_format} output is not available yet`);
    const ctx = await creatorCtx(services, job);
    const definition = reportDefinition.parse(job.definition);
    const access = await ctx.actor.access();
    const problems = await validateReport(ctx.db, definition, access, job.organization_id);
    if (problems.length)
      throw new AppError(
        problems.some((p) => p.forbidden) ? "FORBIDDEN" : "VALIDATION_ERROR",
        problems[0]?.message ?? "Invalid report",
        { field: problems[0]?.field, details: { problems } },
      );
    requireExport(access, job.organization_id);
    await step(10);
    const report = await prepareReport(ctx, job.organization_id, definition);
    const writer = openReportFile(
      {
        name: job.name,
        format: job.output_format as OutputFormat,
        base: report.base,
        columns: report.columns,
        definition,
        generatedAt: services.clock.now(),
      },
      tempPath,
    );
    file = writer;
    // Rows arrive in batches from a cursor and go straight into the file. Progress climbs from
    // 60 towards 90 as they come (the total is unknown until the end); the lease is renewed and
    // a cancellation noticed at least every PROGRESS_EVERY_MS.
    let writeMs = 0;
    let lastStep = performance.now();
    let seen = 0;
    const read = await report.stream(async (rows) => {
      if (seen === 0) await step(60);
      const t = performance.now();
      await writer.write(rows);
      writeMs += performance.now() - t;
      seen += rows.length;
      if (performance.now() - lastStep >= PROGRESS_EVERY_MS || hooks.shouldStop?.()) {
        lastStep = performance.now();
        await step(60 + Math.floor((29 * seen) / (seen + 100_000)));
      }
    }, hooks.batchRows);
    const finishStart = performance.now();
    const written = await writer.finish();
    const renderMs = writeMs + (performance.now() - finishStart);
    await step(90);
    const done = await ready(
      {
        extension: format.extension,
        contentType: format.contentType,
        size: written.size,
        sha256: written.sha256,
        rows: read.rows,
        metrics: { queryMs: read.queryMs, renderMs: Math.round(renderMs * 10) / 10 },
      },
      (key) => services.storage.putFile(key, written, format.contentType),
    );
    // The access log: who took a file of which people's data (docs/privacy.md).
    await announceReportRead(ctx, job.organization_id, await report.people(), {
      what: "report-export",
      detail: `${job.name} (${job.output_format})`,
    });
    await tell(services, done, true);
    await scheduleSucceeded(systemCtx(services, "report-runner"), done);
    return done;
  } catch (error) {
    if (fileKey && error instanceof LeaseLost) await services.storage.delete(fileKey);
    if (error instanceof LeaseLost) {
      // Another worker holds the job now; what this one did is dropped.
      return (await db
        .selectFrom("report_jobs")
        .selectAll()
        .where("id", "=", job.id)
        .executeTakeFirst()) as ReportJobRow;
    }
    if (error instanceof Interrupted) {
      // Back to the queue as it was: this attempt does not count.
      const back = await db
        .updateTable("report_jobs")
        .set({
          status: "queued",
          progress: 0,
          attempts: sql`greatest(attempts - 1, 0)`,
          locked_by: null,
          lease_expires_at: null,
          queued_at: services.clock.now(),
        })
        .where("id", "=", job.id)
        .where("locked_by", "=", workerId)
        .returningAll()
        .executeTakeFirst();
      return back ?? job;
    }
    if (error instanceof Cancelled) {
      if (fileKey) await services.storage.delete(fileKey);
      return (await finish({ status: "cancelled" })) ?? job;
    }
    const retryable = mayPassAgain(error);
    // A database refusal of a value in the definition fails as preview answers it (its code
    // and fixed message: the database's own text never reaches people).
    const refusal = retryable ? null : fromDatabaseError(error);
    const known = error instanceof AppError ? error : refusal;
    const message = known?.message ?? (error instanceof Error ? error.message : String(error));
    if (retryable && job.attempts <= job.max_retries) {
      const again = await db
        .updateTable("report_jobs")
        .set({
          status: "queued",
          locked_by: null,
          lease_expires_at: null,
          error_code: "INTERNAL_ERROR",
          error_message: message.slice(0, 2000),
          retryable: true,
          // Back off: 30 s, 2 min, 8 min … before the next claim.
          queued_at: new Date(services.clock.now().getTime() + 30_000 * 4 ** (job.attempts - 1)),
        })
        .where("id", "=", job.id)
        .where("locked_by", "=", workerId)
        .returningAll()
        .executeTakeFirst();
      return again ?? job;
    }
    const failed = await finish({
      status: "failed",
      error_code: known?.code ?? "INTERNAL_ERROR",
      error_message: message.slice(0, 2000),
      retryable,
    });
    if (failed) {
      await tell(services, failed, false);
      if (failed.schedule_id)
        await scheduleFailed(
          systemCtx(services, "report-runner"),
          failed.schedule_id,
          publicErrorMessage(failed) ?? message,
        );
    }
    return failed ?? job;
  } finally {
    clearInterval(heartbeat);
    file?.abort();
    await rm(tempPath, { force: true });
  }
}

/**
 * SQLSTATE classes of failures that may pass when the job runs again: connection exceptions
 * (08), serialization failures and deadlocks (40), insufficient resources (53), a lock not
 * available (55P03), cancellations and shutdowns — a statement timeout among them (57), and
 * system errors such as I/O (58).
 */
const TRANSIENT_SQLSTATES = ["08", "40", "53", "55P03", "57", "58"];

/**
 * Whether a failed job is worth another attempt. A refusal (an AppError: the definition, the
 * author's access, a PDF too long) never is; nor is an error the database raised about the
 * query itself or its values (a data exception such as an impossible date, a syntax error, …):
 * it would fail the same way every time. Transient database failures (TRANSIENT_SQLSTATES) and
 * failures outside the database (storage, files, network) may pass.
 */
export function mayPassAgain(error: unknown): boolean {
  if (error instanceof AppError) return false;
  const e = error as { code?: unknown; severity?: unknown } | null;
  const fromDatabase =
    !!e &&
    typeof e.severity === "string" &&
    typeof e.code === "string" &&
    /^[0-9A-Z]{5}$/.test(e.code);
  if (!fromDatabase) return true;
  const code = e.code as string;
  return TRANSIENT_SQLSTATES.some((c) => code.startsWith(c));
}

async function tell(services: AppServices, job: ReportJobRow, ready: boolean) {
  if (job.webhook_url)
    await enqueueJob(
      services.db,
      WEBHOOK_JOB,
      { jobId: job.id },
      {
        runAt: services.clock.now(),
        maxAttempts: 6,
      },
    );
  if (!job.created_by) return;
  await notify(systemCtx(services, "report-runner"), {
    userId: job.created_by,
    organizationId: job.organization_id,
    type: "report-ready",
    variables: {
      reportName: job.name,
      ready,
      rowCount: job.row_count ?? 0,
      reason: ready ? null : publicErrorMessage(job),
    },
    data: { reportJobId: job.id, status: job.status },
    actionPath: `/reports/jobs/${job.id}`,
  });
}

/** A file name from a job's name: word characters, dots and dashes. */
function fileStem(name: string): string {
  return name.replace(/[^\w.-]+/g, "-").slice(0, 80) || "report";
}

/** Claims and runs the next job, if any. */
export async function processNextReportJob(
  services: AppServices,
  workerId: string,
  hooks?: RunHooks,
): Promise<ReportJobRow | null> {
  const job = await claimReportJob(services.db, workerId, services.clock.now());
  return job ? runReportJob(services, job, workerId, hooks) : null;
}

/** The worker loop for report jobs: one at a time per process, polling while idle. */
export class ReportRunner {
  readonly id = `reports-${randomUUID()}`;
  private timer?: NodeJS.Timeout;
  private current: Promise<unknown> | null = null;
  private stopping = false;

  constructor(
    private readonly services: AppServices,
    private readonly log: Logger,
    private readonly pollMs = 1000,
  ) {}

  start(): void {
    this.stopping = false;
    void removeStaleTempFiles().catch((error) =>
      this.log.warn({ err: error }, "could not clear old report temp files"),
    );
    const tick = async () => {
      if (this.stopping) return;
      try {
        this.current = processNextReportJob(this.services, this.id, {
          shouldStop: () => this.stopping,
        });
        const job = await this.current;
        this.current = null;
        this.timer = setTimeout(tick, job ? 0 : this.pollMs);
      } catch (error) {
        this.current = null;
        this.log.error({ err: error }, "report runner failed");
        this.timer = setTimeout(tick, this.pollMs);
      }
    };
    this.timer = setTimeout(tick, this.pollMs);
  }

  /**
   * Stops polling; the job in hand goes back to the queue at its next batch or step (or
   * finishes, if it is past writing), and this waits for that.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current?.catch(() => undefined);
  }
}

/**
 * Removes report temp files older than a day: left behind by a process that was killed, or
 * that ran out of time while stopping. Running jobs write theirs far more often than that.
 */
export async function removeStaleTempFiles(now = Date.now()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(TEMP_DIR)) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const file = path.join(TEMP_DIR, name);
    const info = await stat(file).catch(() => null);
    if (info?.isFile() && now - info.mtimeMs > 24 * 60 * 60_000) {
      await rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}
