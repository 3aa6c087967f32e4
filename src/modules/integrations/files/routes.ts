import { z } from "zod";
import { audit } from "../../../platform/audit/audit.js";
import { envelope, listEnvelope, ok, okList } from "../../../platform/http/envelope.js";
import { AppError } from "../../../platform/http/errors.js";
import { pageQuery } from "../../../platform/http/pagination.js";
import { type App, idParam } from "../../../platform/http/server.js";
import { visibleIntegration } from "../integrations.js";
import {
  createFileImport,
  importResult,
  listFileImports,
  mappingOf,
  requireFileIntegration,
  savedMapping,
  startFileImport,
  visibleFileImport,
} from "./imports.js";
import { FILE_FIELD_NAMES, suggestMapping } from "./mapping.js";
import { fileImportSchema, presentFileImport } from "./presenter.js";
import { queueSftpPoll, sftpOptionsOf } from "./sftp-poll.js";
// The reader of runs over a file: registered wherever the routes (and so the worker) are.
import "./reader.js";

/** `attachment` with the name twice: plain ASCII for old clients, and UTF-8 (RFC 6266, 8187). */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** File imports of enrollments and completions (issue 15 §2, docs/integrations-files.md). */
export async function fileImportRoutes(app: App): Promise<void> {
  const tags = ["LMS integrations"];
  const access = { permission: "integrations:manage" } as const;
  const fileImport = idParam("fileImportId");

  app.post(
    "/api/v1/lms-integrations/:integrationId/file-imports",
    {
      config: { access },
      schema: {
        tags,
        summary: "Upload a CSV or XLSX file of enrollments and completions",
        description:
          "multipart/form-data with one `file` part: a CSV (in the integration's encoding, UTF-8 by default) or an XLSX workbook (its first worksheet), header row first. For integrations of type `file` only (`422 UNPROCESSABLE` otherwise). At most `INTEGRATION_FILE_LIMIT_BYTES` (20 MiB unless configured; `413 PAYLOAD_TOO_LARGE` above) and `INTEGRATION_FILE_MAX_ROWS` data rows (100,000 unless configured; `422 INVALID_FILE` above); anything but CSV or XLSX answers `415 UNSUPPORTED_MEDIA_TYPE`. The file is stored and its header read: the answer has its columns, its first rows and a suggested mapping. Nothing is imported until the mapping is saved (PUT /integration-file-imports/{id}/mapping).",
        consumes: ["multipart/form-data"],
        params: idParam("integrationId"),
        response: { 201: envelope(fileImportSchema) },
      },
    },
    async (request, reply) => {
      const ctx = request.ctx;
      const integration = await visibleIntegration(ctx, request.params.integrationId);
      requireFileIntegration(integration);
      if (!request.isMultipart())
        throw new AppError(
          "UNSUPPORTED_MEDIA_TYPE",
          "Send the file as multipart/form-data in a 'file' field",
        );
      const maxBytes = ctx.config.fileImports.maxBytes;
      const part = await request.file({ limits: { fileSize: maxBytes } });
      if (!part || part.fieldname !== "file") {
        part?.file.resume();
        throw new AppError("VALIDATION_ERROR", "Send the file in a 'file' field", {
          field: "file",
        });
      }
      let data: Buffer;
      try {
        data = await part.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE")
          throw tooLarge(maxBytes);
        throw error;
      }
      if (part.file.truncated) throw tooLarge(maxBytes);
      const file = await createFileImport(ctx, integration, {
        fileName: part.filename,
        data,
        origin: "upload",
      });
      reply.code(201);
      return ok(presentFileImport(file, await mappingOf(ctx, file, integration)));
    },
  );

  app.get(
    "/api/v1/lms-integrations/:integrationId/file-imports",
    {
      config: { access },
      schema: {
        tags,
        summary: "An integration's imported files, newest first",
        params: idParam("integrationId"),
        querystring: pageQuery(["createdAt"], { sort: "-createdAt" }),
        response: { 200: listEnvelope(fileImportSchema) },
      },
    },
    async (request) => {
      const { rows, pagination, integration } = await listFileImports(
        request.ctx,
        request.params.integrationId,
        request.query,
      );
      const saved = await savedMapping(request.ctx, integration);
      return okList(
        rows.map((r) => presentFileImport(r, r.column_mapping ?? suggestMapping(r.columns, saved))),
        pagination,
      );
    },
  );

  app.get(
    "/api/v1/integration-file-imports/:fileImportId",
    {
      config: { access },
      schema: {
        tags,
        summary: "An imported file: its columns, mapping and run",
        params: fileImport,
        response: { 200: envelope(fileImportSchema) },
      },
    },
    async (request) => {
      const { file, integration } = await visibleFileImport(
        request.ctx,
        request.params.fileImportId,
      );
      return ok(presentFileImport(file, await mappingOf(request.ctx, file, integration)));
    },
  );

  app.put(
    "/api/v1/integration-file-imports/:fileImportId/mapping",
    {
      config: { access },
      schema: {
        tags,
        summary: "Map a file's columns and import it (or try it in a dry run)",
        description: `\`mapping\` names the column of each field: ${FILE_FIELD_NAMES.join(", ")}. courseTitle, email, and courseExternalId or courseCode are required; a field that is not one, or a column the file does not have, is refused naming the field (\`mapping.<field>\`). The mapping is saved with the file and becomes the integration's default for its next files; then a sync run reads the file (one run at a time per integration: SYNC_IN_PROGRESS otherwise). A dry run writes nothing but its report; the file can be mapped again after it. A file imported for real is not imported again (CONFLICT).`,
        params: fileImport,
        body: z
          .object({
            mapping: z
              .record(z.string().max(100), z.string().min(1).max(300))
              .describe("`{field: column name}`"),
            dryRun: z.boolean().default(false),
          })
          .strict(),
        response: { 202: envelope(fileImportSchema) },
      },
    },
    async (request, reply) => {
      const ctx = request.ctx;
      const { file, integration } = await visibleFileImport(ctx, request.params.fileImportId);
      const started = await startFileImport(ctx, file, request.body.mapping, {
        dryRun: request.body.dryRun,
      });
      reply.code(202);
      return ok(presentFileImport(started, await mappingOf(ctx, started, integration)));
    },
  );

  app.get(
    "/api/v1/integration-file-imports/:fileImportId/result",
    {
      config: { access },
      schema: {
        tags,
        summary: "The per-row result of an imported file, as CSV",
        description:
          "One line per data row of the file: `line` (the header is line 1), `email`, `course`, `external_id`, `outcome` (created, updated, unchanged, skipped, failed) and `reason`, from the report of the file's latest run. `409 CONFLICT` until that run has ended.",
        params: fileImport,
        produces: ["text/csv"],
      },
    },
    async (request, reply) => {
      const { file, integration } = await visibleFileImport(
        request.ctx,
        request.params.fileImportId,
      );
      const result = await importResult(request.ctx, file, integration);
      return reply
        .header("content-disposition", attachment(result.fileName))
        .type("text/csv; charset=utf-8")
        .serializer((p: unknown) => p as string)
        .send(result.csv.toString("utf8") as never);
    },
  );

  await sftpPollRoutes(app);
}

const pollAnswerSchema = z
  .object({
    integrationId: z.uuid(),
    queued: z
      .boolean()
      .describe("false when a poll of this server was already queued or running: that one does it"),
  })
  .meta({ id: "SftpPollRequest" });

/** The manual poll of a file integration's SFTP server. */
async function sftpPollRoutes(app: App): Promise<void> {
  app.post(
    "/api/v1/lms-integrations/:integrationId/sftp-poll",
    {
      config: { access: { permission: "integrations:manage" } },
      schema: {
        tags: ["LMS integrations"],
        summary: "Check the integration's SFTP server for files now",
        description:
          "For integrations of type `file` with `options.sftp` (`422 UNPROCESSABLE` for other types, `409 CONFLICT` without an SFTP server). Queues a poll, as the integration's cron does: results of files whose runs have ended are written back and those files moved to the processed directory; then, unless a run is going, the oldest new file is imported with the saved mapping (or waits for its columns to be mapped). Answers at once; the poll runs in the background, its failures shown as the integration's last error.",
        params: idParam("integrationId"),
        response: { 202: envelope(pollAnswerSchema) },
      },
    },
    async (request, reply) => {
      const ctx = request.ctx;
      const integration = await visibleIntegration(ctx, request.params.integrationId);
      requireFileIntegration(integration);
      if (!sftpOptionsOf(integration))
        throw new AppError(
          "CONFLICT",
          "The integration has no SFTP server: set options.sftp to pick files up from one",
        );
      const job = await queueSftpPoll(ctx, integration.id);
      await audit(ctx, {
        organizationId: integration.organization_id,
        action: "integration.sftp-poll-requested",
        entityType: "integration",
        entityId: integration.id,
        after: { queued: job !== null },
      });
      reply.code(202);
      return ok({ integrationId: integration.id, queued: job !== null });
    },
  );
}

const tooLarge = (maxBytes: number) =>
  new AppError(
    "PAYLOAD_TOO_LARGE",
    `The file is larger than ${maxBytes} bytes, the most one import takes: split it`,
    { field: "file", details: { maxBytes } },
  );
