import { createHmac } from "node:crypto";
import { z } from "zod";
import { type AppServices, systemCtx } from "../../platform/context.js";
import type { JobDefinition } from "../../platform/jobs/worker.js";
import { publicErrorMessage, signedFileUrl } from "./jobs.js";

/**
 * Tells a job's webhook that its report is ready or failed (seed 000 §3.1.1). Each delivery is
 * a queued job, so it is retried with backoff when the receiver is down. The body is signed like
 * Stripe's: `X-Lyceum-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body" with the
 * secret>`, so receivers can check it and refuse replays.
 */

export const WEBHOOK_JOB = "reports.deliver-webhook";

export function signWebhook(secret: string, timestamp: number, body: string): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

export async function deliverReportWebhook(services: AppServices, jobId: string) {
  const ctx = systemCtx(services, "report-webhook");
  const job = await ctx.db
    .selectFrom("report_jobs")
    .selectAll()
    .where("id", "=", jobId)
    .executeTakeFirst();
  if (!job?.webhook_url || !job.webhook_secret) return { skipped: true };
  const body = JSON.stringify({
    event: job.status === "ready" ? "report-job.ready" : "report-job.failed",
    jobId: job.id,
    organizationId: job.organization_id,
    name: job.name,
    status: job.status,
    outputFormat: job.output_format,
    rows: job.row_count,
    file:
      job.status === "ready"
        ? {
            name: job.file_name,
            size: Number(job.file_size ?? 0),
            checksum: job.file_checksum,
            download: signedFileUrl(ctx, job.id),
          }
        : null,
    error: job.error_code ? { code: job.error_code, message: publicErrorMessage(job) } : null,
    finishedAt: job.finished_at?.toISOString() ?? null,
  });
  const timestamp = Math.floor(ctx.clock.now().getTime() / 1000);
  const res = await fetch(job.webhook_url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "Lyceum-Webhooks/1",
      "x-lyceum-event": job.status === "ready" ? "report-job.ready" : "report-job.failed",
      "x-lyceum-signature": signWebhook(job.webhook_secret, timestamp, body),
    },
    body,
    signal: AbortSignal.timeout(15_000),
  });
  if (!res.ok) throw new Error(`webhook answered ${res.status}`);
  return { delivered: true, status: res.status };
}

export function webhookJobs(services: AppServices): JobDefinition[] {
  return [
    {
      name: WEBHOOK_JOB,
      payload: z.object({ jobId: z.uuid() }).passthrough(),
      run: async (payload) => deliverReportWebhook(services, String(payload.jobId)),
    },
  ];
}
