import { z } from "zod";
import { isoDateTime } from "../../../platform/http/envelope.js";
import { type FileImport, importStatus } from "./imports.js";
import { FILE_FIELD_NAMES } from "./mapping.js";
import { type ColumnMapping, FILE_FORMATS, FILE_IMPORT_STATUSES, FILE_ORIGINS } from "./schema.js";

export const columnMappingSchema = z
  .partialRecord(z.enum(FILE_FIELD_NAMES), z.string().min(1).max(300))
  .describe("Which column holds each field: `{field: column name}`");

export const fileImportSchema = z
  .object({
    id: z.uuid(),
    integrationId: z.uuid(),
    fileName: z.string(),
    format: z.enum(FILE_FORMATS),
    sizeBytes: z.number().int(),
    origin: z.enum(FILE_ORIGINS),
    status: z.enum(FILE_IMPORT_STATUSES),
    columns: z.array(z.string()).describe("The header row's column names, in order"),
    rowCount: z.number().int().describe("Data rows, the header not counted"),
    sampleRows: z
      .array(z.array(z.string().nullable()))
      .describe("The first data rows, their cells as text, in the order of `columns`"),
    mapping: columnMappingSchema
      .nullable()
      .describe("The mapping saved with the import's run; null until it is mapped"),
    suggestedMapping: columnMappingSchema.describe(
      "The saved mapping, else the integration's last mapping when the file has its columns, else one guessed from the header names",
    ),
    runId: z
      .uuid()
      .nullable()
      .describe("The file's latest run (its report: /integration-sync-runs/{id})"),
    run: z
      .object({
        status: z.enum(["queued", "running", "succeeded", "partial", "failed", "cancelled"]),
        dryRun: z.boolean(),
        counts: z.object({
          created: z.number().int(),
          updated: z.number().int(),
          unchanged: z.number().int(),
          skipped: z.number().int(),
          failed: z.number().int(),
        }),
        error: z.string().nullable(),
        finishedAt: isoDateTime().nullable(),
      })
      .nullable(),
    resultAvailable: z.boolean().describe("Whether the per-row result file can be downloaded"),
    sftp: z
      .object({
        remoteName: z.string().describe("The file's name in the server's import directory"),
        deliveredAt: isoDateTime()
          .nullable()
          .describe("When its result was written back and the file moved to processed"),
        deliveryError: z
          .string()
          .nullable()
          .describe("Why the last attempt to write the result back failed"),
      })
      .nullable()
      .describe("For files picked up from an SFTP server; null for uploads"),
    createdBy: z.uuid().nullable(),
    createdAt: isoDateTime(),
    updatedAt: isoDateTime(),
  })
  .meta({ id: "IntegrationFileImport" });

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function presentFileImport(file: FileImport, suggested: ColumnMapping) {
  return {
    id: file.id,
    integrationId: file.integration_id,
    fileName: file.file_name,
    format: file.format,
    sizeBytes: file.size_bytes,
    origin: file.origin,
    status: importStatus(file),
    columns: file.columns,
    rowCount: file.row_count,
    sampleRows: file.samples,
    mapping: file.column_mapping,
    suggestedMapping: suggested,
    runId: file.run_id,
    run: file.run
      ? {
          status: file.run.status,
          dryRun: file.run.dry_run,
          counts: {
            created: file.run.created_count,
            updated: file.run.updated_count,
            unchanged: file.run.unchanged_count,
            skipped: file.run.skipped_count,
            failed: file.run.failed_count,
          },
          error: file.run.error,
          finishedAt: iso(file.run.finished_at),
        }
      : null,
    resultAvailable: !!file.run?.finished_at,
    sftp: file.remote_name
      ? {
          remoteName: file.remote_name,
          deliveredAt: iso(file.delivered_at),
          deliveryError: file.delivery_error,
        }
      : null,
    createdBy: file.created_by,
    createdAt: iso(file.created_at) as string,
    updatedAt: iso(file.updated_at) as string,
  };
}
