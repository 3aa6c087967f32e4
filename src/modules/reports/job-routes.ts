import { z } from "zod";
import { envelope, isoDateTime, listEnvelope, ok, okList } from "../../platform/http/envelope.js";
import { pagination, queryFlag } from "../../platform/http/pagination.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import { reportDefinition } from "./definition.js";
import { FORMATS } from "./export-file.js";
import {
  cancelJob,
  createReportJob,
  downloadUrl,
  duplicateJob,
  fileForToken,
  listJobs,
  publicErrorMessage,
  retryJob,
  visibleJob,
} from "./jobs.js";
import type { ReportJobRow } from "./schema.js";

const iso = isoDateTime;
const STATUSES = [
  "pending",
  "queued",
  "processing",
  "ready",
  "failed",
  "cancelled",
  "expired",
] as const;
const PRIORITIES = ["critical", "high", "normal", "low", "scheduled"] as const;

const jobSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    createdBy: z.uuid().nullable(),
    name: z.string(),
    reportType: z.string(),
    outputFormat: z.enum(["csv", "json", "excel", "pdf", "zip"]),
    status: z.enum(STATUSES),
    priority: z.enum(PRIORITIES),
    progress: z.number().int(),
    attempts: z.number().int(),
    maxRetries: z.number().int(),
    cancelRequested: z.boolean(),
    queuedAt: iso(),
    startedAt: iso().nullable(),
    finishedAt: iso().nullable(),
    error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).nullable(),
    file: z
      .object({
        name: z.string(),
        contentType: z.string(),
        size: z.number(),
        checksum: z.string(),
        rows: z.number().int(),
        expiresAt: iso().nullable(),
        downloads: z.number().int(),
      })
      .nullable(),
    metrics: z.record(z.string(), z.number()),
    definition: z.record(z.string(), z.unknown()),
    duplicatedFrom: z.uuid().nullable(),
    webhookUrl: z.string().nullable(),
  })
  .meta({ id: "ReportJob" });

function present(job: ReportJobRow) {
  return {
    id: job.id,
    organizationId: job.organization_id,
    createdBy: job.created_by,
    name: job.name,
    reportType: job.report_type,
    outputFormat: job.output_format,
    status: job.status,
    priority: job.priority,
    progress: job.progress,
    attempts: job.attempts,
    maxRetries: job.max_retries,
    cancelRequested: job.cancel_requested,
    queuedAt: job.queued_at.toISOString(),
    startedAt: job.started_at?.toISOString() ?? null,
    finishedAt: job.finished_at?.toISOString() ?? null,
    error: job.error_code
      ? {
          code: job.error_code,
          message: publicErrorMessage(job) ?? "",
          retryable: !!job.retryable,
        }
      : null,
    file:
      job.status === "ready" && job.file_name
        ? {
            name: job.file_name,
            contentType: job.content_type ?? "application/octet-stream",
            size: Number(job.file_size ?? 0),
            checksum: job.file_checksum ?? "",
            rows: job.row_count ?? 0,
            expiresAt: job.expires_at?.toISOString() ?? null,
            downloads: job.download_count,
          }
        : null,
    metrics: job.metrics,
    definition: job.definition as Record<string, unknown>,
    duplicatedFrom: job.duplicated_from,
    webhookUrl: job.webhook_url,
  };
}

/** Report jobs: queue, follow, cancel, retry, duplicate, download (seed 000 §4.1.1). */
export async function reportJobRoutes(app: App): Promise<void> {
  const tags = ["Report jobs"];
  const jobParams = idParam("jobId");

  app.post(
    "/api/v1/organizations/:organizationId/report-jobs",
    {
      config: { access: { permission: "reports:read" } },
      schema: {
        tags,
        summary: "Queue a report",
        description:
          "The definition is the one the report metadata API takes; it is checked now and again when the job runs, with the author's access at that time. Every job makes a file (whatever its format), so it needs reports:export held as widely as reports:read (FORBIDDEN, `details.required`), now and when it runs. Priority critical needs reports:manage. At most REPORT_JOBS_PER_HOUR jobs per person per hour (RATE_LIMITED).",
        params: idParam("organizationId"),
        body: z.object({
          name: z.string().trim().min(1).max(200),
          definition: reportDefinition,
          outputFormat: z.enum(["csv", "json", "excel", "pdf"]),
          priority: z.enum(PRIORITIES).default("normal"),
          reportType: z.string().trim().min(1).max(100).optional(),
          maxRetries: z.number().int().min(0).max(10).optional(),
          webhook: z
            .object({ url: z.url().max(2000), secret: z.string().min(16).max(200) })
            .nullable()
            .optional()
            .describe("POSTed the result, signed with the secret (X-Lyceum-Signature)"),
        }),
        response: { 201: envelope(jobSchema) },
      },
    },
    async (request, reply) => {
      const job = await createReportJob(request.ctx, request.params.organizationId, request.body);
      reply.code(201);
      return ok(present(job));
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/report-jobs",
    {
      config: { access: { permission: "reports:read" } },
      schema: {
        tags,
        summary: "My report jobs (everyone's with all=true and reports:manage)",
        params: idParam("organizationId"),
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          status: z.enum(STATUSES).optional(),
          scheduleId: ref("report-schedule").optional().describe("Only the runs of this schedule"),
          all: queryFlag().default(false),
        }),
        response: { 200: listEnvelope(jobSchema) },
      },
    },
    async (request) => {
      const { rows, total } = await listJobs(
        request.ctx,
        request.params.organizationId,
        request.query,
      );
      return okList(rows.map(present), pagination(request.query, total));
    },
  );

  app.get(
    "/api/v1/report-jobs/:jobId",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "A report job: status, progress, metrics and file",
        params: jobParams,
        response: { 200: envelope(jobSchema) },
      },
    },
    async (request) => ok(present(await visibleJob(request.ctx, request.params.jobId))),
  );

  app.get(
    "/api/v1/report-jobs/:jobId/status",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Just the status and progress, for polling",
        params: jobParams,
        response: {
          200: envelope(
            z.object({
              status: z.enum(STATUSES),
              progress: z.number().int(),
              attempts: z.number().int(),
            }),
          ),
        },
      },
    },
    async (request) => {
      const job = await visibleJob(request.ctx, request.params.jobId);
      return ok({ status: job.status, progress: job.progress, attempts: job.attempts });
    },
  );

  for (const [action, run, summary] of [
    ["cancel", cancelJob, "Cancel a job (a running one stops at its next step)"],
    ["retry", retryJob, "Queue a failed or cancelled job again"],
    ["duplicate", duplicateJob, "Queue a copy of a job"],
  ] as const)
    app.post(
      `/api/v1/report-jobs/:jobId/${action}`,
      {
        config: { access: { user: true } },
        schema: {
          tags,
          summary,
          params: jobParams,
          response: { [action === "duplicate" ? 201 : 200]: envelope(jobSchema) },
        },
      },
      async (request, reply) => {
        const job = await run(request.ctx, request.params.jobId);
        if (action === "duplicate") reply.code(201);
        return ok(present(job));
      },
    );

  app.post(
    "/api/v1/report-jobs/:jobId/download-url",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "An expiring signed link to a ready report's file (15 minutes)",
        description:
          "Needs reports:export in the job's organization, as wide as reports:read. The link itself is the permission to fetch the file until it expires.",
        params: jobParams,
        response: { 200: envelope(z.object({ url: z.string(), expiresAt: iso() })) },
      },
    },
    async (request) => ok(await downloadUrl(request.ctx, request.params.jobId)),
  );

  app.get(
    "/api/v1/report-files/:token",
    {
      config: { access: { public: true } },
      schema: {
        tags,
        summary: "Download a report file through its signed link (counts the download)",
        params: z.object({ token: z.string().min(10).max(300) }),
        produces: [
          ...Object.values(FORMATS).map((f) => f.contentType.split(";")[0] as string),
          "application/zip",
        ],
      },
    },
    async (request, reply) => {
      const { job, body } = await fileForToken(request.ctx, request.params.token);
      if (job.file_size !== null) reply.header("content-length", job.file_size);
      return reply
        .header("content-disposition", `attachment; filename="${job.file_name ?? "report"}"`)
        .header("cache-control", "private, no-store")
        .type(job.content_type ?? "application/octet-stream")
        .send(body);
    },
  );
}
