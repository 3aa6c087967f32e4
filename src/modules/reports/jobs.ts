import { sql } from "kysely";
import type { Ctx } from "../../platform/context.js";
import { hmac, safeEqual } from "../../platform/crypto.js";
import { AppError } from "../../platform/http/errors.js";
import { type ActorAccess, holds } from "../../platform/policy/engine.js";
import { revealed } from "./compile.js";
import type { ReportDefinition } from "./definition.js";
import { checkJobRate, insertQueuedJob, jobProducer, queueProducedJob } from "./producers.js";
import type { OutputFormat, ReportJobRow, ReportPriority } from "./schema.js";
import { requireDefinition, runScope } from "./service.js";

/**
 * Report jobs (seed 000 §3.1.1, §4.1.1): queue a report definition, follow its progress, cancel,
 * retry or duplicate it, and download its file through an expiring signed URL. The runner
 * (runner.ts) does the work.
 */

export interface NewReportJob {
  name: string;
  definition: unknown;
  outputFormat: OutputFormat;
  priority?: ReportPriority;
  reportType?: string;
  maxRetries?: number;
  /** Told of the result with a POST signed with `secret` (X-Lyceum-Signature). */
  webhook?: { url: string; secret: string } | null;
}

/** A webhook target must be http(s); its secret long enough to sign with. */
export function checkWebhook(webhook: NewReportJob["webhook"], field = "webhook") {
  if (!webhook) return;
  let url: URL;
  try {
    url = new URL(webhook.url);
  } catch {
    throw new AppError("VALIDATION_ERROR", "The webhook needs a URL", { field: `${field}.url` });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new AppError("VALIDATION_ERROR", "Webhooks go to http(s) URLs", {
      field: `${field}.url`,
    });
  if (webhook.secret.length < 16)
    throw new AppError("VALIDATION_ERROR", "Use a secret of 16 characters or more", {
      field: `${field}.secret`,
    });
}

/**
 * Whether the actor may take report data out of Lyceum as a file: reports:export in the
 * organization, held at least as widely as reports:read (a file holds everything the caller's
 * reports reach). Every report job makes a file, whatever its format; running a report in the
 * browser (preview, the real-time reports) needs reports:read only.
 */
export function mayExport(access: ActorAccess, organizationId: string): boolean {
  return revealed(access, "reports:export", organizationId);
}

/** FORBIDDEN unless the actor may export report files in the organization. */
export function requireExport(access: ActorAccess, organizationId: string): void {
  if (!mayExport(access, organizationId))
    throw new AppError(
      "FORBIDDEN",
      "Report files need reports:export in this organization, as wide as your reports:read",
      { details: { required: "reports:export" } },
    );
}

/**
 * Queues a report. The definition is checked for this caller now, and again when it runs. Each
 * person queues at most REPORT_JOBS_PER_HOUR jobs an hour; critical priority is for report
 * managers. Every job makes a file, so it needs reports:export.
 */
export async function createReportJob(
  ctx: Ctx,
  organizationId: string,
  input: NewReportJob,
): Promise<ReportJobRow> {
  await runScope(ctx, organizationId);
  if (ctx.actor.kind !== "user")
    throw new AppError("FORBIDDEN", "Report jobs are queued by people, for people");
  requireExport(await ctx.actor.access(), organizationId);
  const definition: ReportDefinition = await requireDefinition(
    ctx,
    organizationId,
    input.definition,
    "definition",
  );
  checkWebhook(input.webhook);
  if (input.reportType && jobProducer(input.reportType))
    throw new AppError("VALIDATION_ERROR", "That report type is queued from its own page", {
      field: "reportType",
    });
  const priority = input.priority ?? "normal";
  const access = await ctx.actor.access();
  if (priority === "critical" && !holds(access, "reports:manage", organizationId))
    throw new AppError("FORBIDDEN", "Critical priority is for report managers", {
      field: "priority",
    });
  await checkJobRate(ctx, ctx.actor.userId);
  return insertQueuedJob(ctx, organizationId, ctx.actor.userId, {
    ...input,
    reportType: input.reportType ?? "custom",
    definition,
    priority,
  });
}

/** A job the actor may see: their own, or any of the organization's with reports:manage. */
export async function visibleJob(ctx: Ctx, jobId: string): Promise<ReportJobRow> {
  const job = await ctx.db
    .selectFrom("report_jobs")
    .selectAll()
    .where("id", "=", jobId)
    .executeTakeFirst();
  const access = await ctx.actor.access();
  const own = !!job && ctx.actor.kind === "user" && job.created_by === ctx.actor.userId;
  if (!job || (!own && !holds(access, "reports:manage", job.organization_id)))
    throw new AppError("NOT_FOUND", "Report job not found");
  return job;
}

export async function listJobs(
  ctx: Ctx,
  organizationId: string,
  query: {
    all?: boolean;
    status?: ReportJobRow["status"];
    scheduleId?: string;
    page: number;
    limit: number;
  },
) {
  await runScope(ctx, organizationId);
  const access = await ctx.actor.access();
  let q = ctx.db.selectFrom("report_jobs").where("organization_id", "=", organizationId);
  if (!(query.all && holds(access, "reports:manage", organizationId)))
    q = q.where("created_by", "=", ctx.actor.kind === "user" ? ctx.actor.userId : null);
  if (query.status) q = q.where("status", "=", query.status);
  if (query.scheduleId) q = q.where("schedule_id", "=", query.scheduleId);
  const total = await q.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(query.limit)
    .offset((query.page - 1) * query.limit)
    .execute();
  return { rows, total: Number(total.n) };
}

/**
 * Cancels a job: at once while it waits; a running job is asked to stop and stops at its next
 * checkpoint (between reading, rendering and storing). Finished jobs cannot be cancelled.
 */
export async function cancelJob(ctx: Ctx, jobId: string): Promise<ReportJobRow> {
  const job = await visibleJob(ctx, jobId);
  const waiting = await ctx.db
    .updateTable("report_jobs")
    .set({ status: "cancelled", cancel_requested: true, finished_at: ctx.clock.now() })
    .where("id", "=", job.id)
    .where("status", "in", ["pending", "queued"])
    .returningAll()
    .executeTakeFirst();
  const updated =
    waiting ??
    (await ctx.db
      .updateTable("report_jobs")
      .set({ cancel_requested: true })
      .where("id", "=", job.id)
      .where("status", "=", "processing")
      .returningAll()
      .executeTakeFirst());
  if (!updated)
    throw new AppError("CONFLICT", `The job is already ${job.status}`, {
      details: { status: job.status },
    });
  return updated;
}

/** Queues a failed or cancelled job again, with its attempts counted afresh. */
export async function retryJob(ctx: Ctx, jobId: string): Promise<ReportJobRow> {
  const job = await visibleJob(ctx, jobId);
  const producer = jobProducer(job.report_type);
  if (!producer) requireExport(await ctx.actor.access(), job.organization_id);
  if (job.status !== "failed" && job.status !== "cancelled")
    throw new AppError("CONFLICT", "Only failed or cancelled jobs are retried", {
      details: { status: job.status },
    });
  if (producer) await producer.authorize(ctx, job.organization_id, job.definition);
  else await requireDefinition(ctx, job.organization_id, job.definition, "definition");
  return ctx.db
    .updateTable("report_jobs")
    .set({
      status: "queued",
      progress: 0,
      attempts: 0,
      cancel_requested: false,
      queued_at: ctx.clock.now(),
      started_at: null,
      finished_at: null,
      error_code: null,
      error_message: null,
      retryable: null,
    })
    .where("id", "=", job.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A new job with the same definition, format and priority. */
export async function duplicateJob(ctx: Ctx, jobId: string): Promise<ReportJobRow> {
  const job = await visibleJob(ctx, jobId);
  const name = `${job.name} (copy)`.slice(0, 200);
  const priority = job.priority === "critical" ? "high" : job.priority;
  const copy = jobProducer(job.report_type)
    ? await queueProducedJob(ctx, job.organization_id, {
        name,
        reportType: job.report_type,
        parameters: job.definition as Record<string, unknown>,
        outputFormat: job.output_format,
        priority,
        maxRetries: job.max_retries,
      })
    : await createReportJob(ctx, job.organization_id, {
        name,
        definition: job.definition,
        outputFormat: job.output_format as OutputFormat,
        priority,
        reportType: job.report_type,
        maxRetries: job.max_retries,
      });
  return ctx.db
    .updateTable("report_jobs")
    .set({ duplicated_from: job.id })
    .where("id", "=", copy.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** How long a download link works. */
export const DOWNLOAD_URL_SECONDS = 15 * 60;

function signature(ctx: Pick<Ctx, "config">, jobId: string, expires: number) {
  return hmac(ctx.config.secret, `report-file:${jobId}:${expires}`);
}

/** A link signed for one job's file, working for DOWNLOAD_URL_SECONDS. */
/**
 * What a job's failure says to people (its API answer, webhook, notification). A refusal
 * (an AppError's code) keeps its message; an unexpected failure's own text — which can hold
 * SQL or file paths — stays in the row and the log, and people read a fixed sentence.
 */
export function publicErrorMessage(job: Pick<ReportJobRow, "error_code" | "error_message">) {
  if (!job.error_code) return null;
  if (job.error_code === "INTERNAL_ERROR")
    return "The report could not be produced because of a fault on our side; try again, or quote the job id to an administrator.";
  return job.error_message ?? "";
}

export function signedFileUrl(ctx: Pick<Ctx, "config" | "clock">, jobId: string) {
  const expires = Math.floor(ctx.clock.now().getTime() / 1000) + DOWNLOAD_URL_SECONDS;
  const token = `${jobId}.${expires}.${signature(ctx, jobId, expires)}`;
  return {
    url: `${ctx.config.publicUrl}/api/v1/report-files/${token}`,
    expiresAt: new Date(expires * 1000).toISOString(),
  };
}

/**
 * An expiring signed URL to a ready job's file, for people who may export report files. The
 * link itself is the permission to fetch the file for DOWNLOAD_URL_SECONDS.
 */
export async function downloadUrl(ctx: Ctx, jobId: string) {
  const job = await visibleJob(ctx, jobId);
  const producer = jobProducer(job.report_type);
  if (producer) await producer.authorize(ctx, job.organization_id, job.definition);
  else requireExport(await ctx.actor.access(), job.organization_id);
  if (job.status !== "ready")
    throw new AppError("CONFLICT", `The report is ${job.status}, not ready`, {
      details: { status: job.status },
    });
  await producer?.downloaded?.(ctx, job);
  return signedFileUrl(ctx, job.id);
}

/** The file behind a signed token; counts the download. */
export async function fileForToken(ctx: Ctx, token: string) {
  const [jobId, expiresText, sig] = token.split(".");
  const expires = Number(expiresText);
  if (!jobId || !sig || !Number.isInteger(expires))
    throw new AppError("NOT_FOUND", "Unknown download link");
  if (!safeEqual(sig, signature(ctx, jobId, expires)))
    throw new AppError("NOT_FOUND", "Unknown download link");
  if (expires * 1000 < ctx.clock.now().getTime())
    throw new AppError("TOKEN_EXPIRED", "The download link expired; ask for a new one");
  return openJobFile(ctx, jobId);
}

/**
 * A ready job's file, counting the download. The caller has checked who may read it; NOT_FOUND
 * once the file is gone (expired).
 */
export async function openJobFile(ctx: Ctx, jobId: string) {
  const job = await ctx.db
    .updateTable("report_jobs")
    .set({
      download_count: sql`download_count + 1`,
      last_downloaded_at: ctx.clock.now(),
    })
    .where("id", "=", jobId)
    .where("status", "=", "ready")
    .returningAll()
    .executeTakeFirst();
  if (!job?.file_key) throw new AppError("NOT_FOUND", "The report file is gone");
  const body = await ctx.storage.open(job.file_key);
  if (!body) throw new AppError("NOT_FOUND", "The report file is gone");
  return { job, body };
}

/** Finished reports past their retention: the file is deleted and the job marked expired. */
export async function expireReportFiles(ctx: Ctx): Promise<number> {
  const due = await ctx.db
    .selectFrom("report_jobs")
    .select(["id", "file_key"])
    .where("status", "=", "ready")
    .where("expires_at", "<", ctx.clock.now())
    .limit(500)
    .execute();
  for (const job of due) {
    if (job.file_key) await ctx.storage.delete(job.file_key);
    await ctx.db
      .updateTable("report_jobs")
      .set({ status: "expired", file_key: null })
      .where("id", "=", job.id)
      .execute();
  }
  return due.length;
}
