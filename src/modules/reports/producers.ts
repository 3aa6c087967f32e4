import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import type { JobOutputFormat, ReportJobRow, ReportPriority } from "./schema.js";

/**
 * Report jobs whose file is not a report definition's rows: a higher module (compliance's
 * evidence pack) registers a producer for a report type at wiring time (src/app.ts), and jobs of
 * that type ride the same queue, runner lease, storage, expiry and download as every other
 * report job. The job's `definition` holds the producer's own parameters.
 */

export interface ProducedFile {
  body: Buffer;
  /** File name extension, without the dot. */
  extension: string;
  contentType: string;
  /** What the file counts as its rows (shown as the job's row count). */
  rows: number;
  /** Timings and sizes worth keeping with the job. */
  metrics?: Record<string, number>;
}

export interface JobProducer {
  /**
   * Throws (FORBIDDEN, NOT_FOUND …) unless the actor may have this file made and fetch it, with
   * these parameters, in the organization. Asked when the job is queued, retried, duplicated,
   * when it runs (as its author, with their access at that time) and when a link is asked for.
   */
  authorize(ctx: Ctx, organizationId: string, parameters: unknown): Promise<void>;
  /** Makes the file, as the job's author; `step` reports progress and notices cancellation. */
  produce(
    ctx: Ctx,
    job: ReportJobRow,
    step: (progress: number) => Promise<void>,
  ): Promise<ProducedFile>;
  /** Records a download link handed out (the owner audits it). */
  downloaded?(ctx: Ctx, job: ReportJobRow): Promise<void>;
}

/** Queue order: critical > high > normal > low > scheduled. */
export const PRIORITY_RANK: Record<ReportPriority, number> = {
  critical: 5,
  high: 4,
  normal: 3,
  low: 2,
  scheduled: 1,
};

const producers = new Map<string, JobProducer>();

/** Registers the producer of a report type (src/app.ts). */
export function provideJobProducer(reportType: string, producer: JobProducer): void {
  producers.set(reportType, producer);
}

/** The producer of a job's report type, if one was registered. */
export function jobProducer(reportType: string): JobProducer | undefined {
  return producers.get(reportType);
}

/** RATE_LIMITED once the person queued REPORT_JOBS_PER_HOUR jobs in the last hour. */
export async function checkJobRate(ctx: Ctx, userId: string): Promise<void> {
  const now = ctx.clock.now();
  const recent = await ctx.db
    .selectFrom("report_jobs")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("created_by", "=", userId)
    .where("created_at", ">", new Date(now.getTime() - 3_600_000))
    .executeTakeFirstOrThrow();
  const limit = ctx.config.reports.jobsPerHour;
  if (Number(recent.n) >= limit)
    throw new AppError("RATE_LIMITED", `At most ${limit} report jobs an hour`, {
      details: { limit, retryAfterMs: 3_600_000 },
    });
}

/**
 * Queues a job of a registered producer's type for the acting person, after the producer's
 * own check. The caller audits it (in its transaction).
 */
export async function queueProducedJob(
  ctx: Ctx,
  organizationId: string,
  input: {
    name: string;
    reportType: string;
    parameters: Record<string, unknown>;
    outputFormat: JobOutputFormat;
    priority?: ReportPriority;
    maxRetries?: number;
  },
): Promise<ReportJobRow> {
  const producer = jobProducer(input.reportType);
  if (!producer) throw new Error(`No producer for ${input.reportType} report jobs`);
  if (ctx.actor.kind !== "user")
    throw new AppError("FORBIDDEN", "Report jobs are queued by people, for people");
  const userId = ctx.actor.userId;
  await producer.authorize(ctx, organizationId, input.parameters);
  await checkJobRate(ctx, userId);
  return insertQueuedJob(ctx, organizationId, userId, {
    ...input,
    definition: input.parameters,
    priority: input.priority ?? "normal",
  });
}

/** Inserts a queued job for `userId`, once the caller checked who may queue it and how often. */
export async function insertQueuedJob(
  ctx: Ctx,
  organizationId: string,
  userId: string,
  input: {
    name: string;
    reportType: string;
    definition: unknown;
    outputFormat: JobOutputFormat;
    priority: ReportPriority;
    maxRetries?: number;
    webhook?: { url: string; secret: string } | null;
  },
): Promise<ReportJobRow> {
  const now = ctx.clock.now();
  return ctx.db
    .insertInto("report_jobs")
    .values({
      organization_id: organizationId,
      created_by: userId,
      name: input.name,
      report_type: input.reportType,
      definition: JSON.stringify(input.definition),
      output_format: input.outputFormat,
      priority: input.priority,
      priority_rank: PRIORITY_RANK[input.priority],
      max_retries: input.maxRetries ?? 3,
      webhook_url: input.webhook?.url ?? null,
      webhook_secret: input.webhook?.secret ?? null,
      queued_at: now,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
