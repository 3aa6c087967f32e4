import { z } from "zod";
import {
  envelope,
  isoDateTime as iso,
  listEnvelope,
  ok,
  okList,
} from "../../platform/http/envelope.js";
import { pagination } from "../../platform/http/pagination.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import { publicErrorMessage } from "../reports/jobs.js";
import type { ReportJobRow } from "../reports/schema.js";
import {
  downloadEvidencePack,
  evidencePack,
  evidenceParameters,
  listEvidencePacks,
  requestEvidencePack,
} from "./evidence.js";

const tags = ["Compliance"];
const STATUSES = [
  "pending",
  "queued",
  "processing",
  "ready",
  "failed",
  "cancelled",
  "expired",
] as const;

const packSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    requirementId: z.uuid(),
    from: z.iso.date(),
    to: z.iso.date(),
    name: z.string(),
    createdBy: z.uuid().nullable(),
    status: z.enum(STATUSES),
    progress: z.number().int(),
    queuedAt: iso(),
    finishedAt: iso().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    file: z
      .object({
        name: z.string(),
        size: z.number(),
        checksum: z.string().describe("SHA-256 of the ZIP, hex"),
        rows: z.number().int().describe("Rows of assignments.csv"),
        expiresAt: iso().nullable(),
        downloads: z.number().int(),
      })
      .nullable(),
  })
  .meta({ id: "ComplianceEvidencePack" });

function present(job: ReportJobRow) {
  const p = evidenceParameters.parse(job.definition);
  return {
    id: job.id,
    organizationId: job.organization_id,
    requirementId: p.requirementId,
    from: p.from,
    to: p.to,
    name: job.name,
    createdBy: job.created_by,
    status: job.status,
    progress: job.progress,
    queuedAt: job.queued_at.toISOString(),
    finishedAt: job.finished_at?.toISOString() ?? null,
    error: job.error_code ? { code: job.error_code, message: publicErrorMessage(job) ?? "" } : null,
    file:
      job.status === "ready" && job.file_name
        ? {
            name: job.file_name,
            size: Number(job.file_size ?? 0),
            checksum: job.file_checksum ?? "",
            rows: job.row_count ?? 0,
            expiresAt: job.expires_at?.toISOString() ?? null,
            downloads: job.download_count,
          }
        : null,
  };
}

const packParams = z.object({ organizationId: z.uuid(), jobId: z.uuid() });

/** The auditor's evidence pack: queue one, follow it, download it (issue 16 §1). */
export async function complianceEvidenceRoutes(app: App): Promise<void> {
  app.post(
    "/api/v1/organizations/:organizationId/compliance/requirements/:requirementId/evidence-packs",
    {
      config: { access: { permission: "compliance:read" } },
      schema: {
        tags,
        summary: "Queue an auditor's evidence pack for a requirement and period",
        description:
          "A report job makes a ZIP: summary.pdf (the requirement, the period, counts and score), assignments.csv (every assignment due in the period, and people exempted in it), exemptions.csv (exemptions in force in the period: reason, approver, dates) and manifest.json (what, when, by whom, SHA-256 of each file). The period is calendar days in UTC, both ends included, at most ten years. Counts against REPORT_JOBS_PER_HOUR (RATE_LIMITED). Audited.",
        params: z.object({ organizationId: z.uuid(), requirementId: z.uuid() }),
        body: z.object({
          from: z.iso.date().describe("First day of the period (YYYY-MM-DD)"),
          to: z.iso.date().describe("Last day of the period, included"),
        }),
        response: { 202: envelope(packSchema) },
      },
    },
    async (request, reply) => {
      const job = await requestEvidencePack(
        request.ctx,
        request.params.organizationId,
        request.params.requirementId,
        request.body,
      );
      reply.code(202);
      return ok(present(job));
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/compliance/evidence-packs",
    {
      config: { access: { permission: "compliance:read" } },
      schema: {
        tags,
        summary: "The organization's evidence packs, newest first",
        params: idParam("organizationId"),
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          requirementId: ref("compliance-requirement").optional(),
        }),
        response: { 200: listEnvelope(packSchema) },
      },
    },
    async (request) => {
      const { rows, total } = await listEvidencePacks(
        request.ctx,
        request.params.organizationId,
        request.query,
      );
      return okList(rows.map(present), pagination(request.query, total));
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/compliance/evidence-packs/:jobId",
    {
      config: { access: { permission: "compliance:read" } },
      schema: {
        tags,
        summary: "An evidence pack: status, progress and file",
        params: packParams,
        response: { 200: envelope(packSchema) },
      },
    },
    async (request) =>
      ok(
        present(
          await evidencePack(request.ctx, request.params.organizationId, request.params.jobId),
        ),
      ),
  );

  app.get(
    "/api/v1/organizations/:organizationId/compliance/evidence-packs/:jobId/file",
    {
      config: { access: { permission: "compliance:read" } },
      schema: {
        tags,
        summary: "Download a ready evidence pack (ZIP); each download is audited",
        params: packParams,
        produces: ["application/zip"],
      },
    },
    async (request, reply) => {
      const { job, body } = await downloadEvidencePack(
        request.ctx,
        request.params.organizationId,
        request.params.jobId,
      );
      if (job.file_size !== null) reply.header("content-length", job.file_size);
      return reply
        .header("content-disposition", `attachment; filename="${job.file_name ?? "evidence.zip"}"`)
        .header("cache-control", "private, no-store")
        .type("application/zip")
        .send(body);
    },
  );
}
